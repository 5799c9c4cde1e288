"""The library's CSV export, on its page and through the API, writes what
people typed as text, never as a formula a spreadsheet would run."""

import pytest

from accounts.models import RoleName
from core.tests.spreadsheets import PLANTED, csv_rows, quoted
from learning.tests.conftest import person, published
from learning.tests.test_api import bearer

pytestmark = pytest.mark.django_db

TYPED = {
    "title": PLANTED[6],
    "summary": PLANTED[7],
    "what_went_wrong": "-1+1",
    "do_differently": "+1+1",
}


def test_library_exports_quote_text_that_would_start_a_formula(client, measures, writer, trust):
    published(writer, trust, **TYPED, suppliers=["@SUM(1+1)"])
    page = client.get("/learning/export/?format=csv")
    api = client.get("/api/v1/learning/export.csv", **bearer(person(RoleName.NATIONAL_ANALYST)))
    for response in (page, api):
        head, row = csv_rows(response.content)
        for column, value in TYPED.items():
            assert row[head.index(column)] == quoted(value)
        assert row[head.index("suppliers")] == quoted("@SUM(1+1)")
