import csv
import html
import re

import pytest

from accounts.models import Role, RoleName
from accounts.tests.factories import UserFactory
from funding.demo import DEMO_FUNDING
from funding.services import import_funding
from northstar import demo
from organisations.models import Organisation

COLUMNS = [
    "ods_code",
    "year",
    "total_expenditure",
    "it_revenue_spend",
    "it_capital_spend",
    "source",
    "funding_type",
    "amount",
    "description",
    "measure",
    "domains",
]


def person(role, organisation=None, **names):
    user = UserFactory(**names)
    Role.objects.create(user=user, name=role, organisation=organisation)
    return user


def org(code):
    return Organisation.objects.get(ods_code=code)


@pytest.fixture
def reference(db):
    """The real framework and NHS structure (RXN is in QE1)."""
    demo.load_reference_data(lambda line: None)


@pytest.fixture
def demo_funding(reference):
    return import_funding(path=DEMO_FUNDING)


def write_csv(path, rows, columns=COLUMNS):
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def text_of(response):
    """The main content's words, without markup."""
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.fixture
def approver(reference):
    return person(RoleName.APPROVER, org("RXN"))
