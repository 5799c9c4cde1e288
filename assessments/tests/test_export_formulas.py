"""Every answers and scores export writes what people typed as text, never as
a formula a spreadsheet would run."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.tests.factories import answer
from core.tests.spreadsheets import PLANTED, csv_rows, quoted, xlsx_rows

pytestmark = pytest.mark.django_db

DOMAINS = ["epr", "well-led-core"]


def _comments(rows):
    head, *rows = rows
    return [row[head.index("comment")] for row in rows]


@pytest.mark.parametrize("format", ["csv", "xlsx"])
@pytest.mark.parametrize("value", PLANTED)
def test_answer_downloads_quote_a_comment_that_would_start_a_formula(client, world, format, value):
    # Saving trims a leading tab or carriage return: what is stored must be quoted too.
    comment = answer(world, "epr", ["1a", "1b"], comment=value).comment
    assert comment.strip() == value.strip()
    a = world.assessment()
    client.force_login(world.contributor)
    for url in (
        reverse(
            "assessments:download", args=[a.round.slug, a.organisation.ods_code, a.care_setting]
        ),
        reverse("assessments:round_download", args=[a.round.slug]),
    ):
        response = client.get(url, {"format": format})
        assert response.status_code == 200
        xlsx = format == "xlsx"
        rows = (xlsx_rows if xlsx else csv_rows)(response.content)
        assert _comments(rows) == [quoted(comment, xlsx=xlsx)]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_answers_quotes_comments_and_reimports_them_unchanged(world, tmp_path, suffix):
    for key, value in zip(DOMAINS, PLANTED[6:], strict=True):
        answer(world, key, ["1a", "1b"], comment=value)
    path = tmp_path / f"answers{suffix}"
    call_command("export", "answers", "--round", "2026/27", str(path), stdout=io.StringIO())
    xlsx = suffix == ".xlsx"
    rows = (xlsx_rows if xlsx else csv_rows)(path.read_bytes())
    assert sorted(_comments(rows)) == sorted(quoted(value) for value in PLANTED[6:])
    out = io.StringIO()
    call_command("import-answers", str(path), stdout=out)
    assert "2 unchanged" in out.getvalue()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_scores_writes_no_formula_and_keeps_counts_as_numbers(world, tmp_path, suffix):
    from assessments.models import Round

    Round.objects.filter(pk=world.round.pk).update(name="=1+1")
    answer(world, "epr", ["1a", "1b"], comment="=cmd|' /C calc'!A0")
    path = tmp_path / f"scores{suffix}"
    call_command("export", "scores", "--round", "=1+1", str(path), stdout=io.StringIO())
    xlsx = suffix == ".xlsx"
    head, *rows = (xlsx_rows if xlsx else csv_rows)(path.read_bytes())
    assert {row[head.index("round")] for row in rows} == {"'=1+1"}
    measures = [row for row in rows if row[0] == "measure"]
    assert measures and all(
        isinstance(row[head.index("scored_domains")], int if xlsx else str) for row in measures
    )
    out = io.StringIO()
    call_command("score", str(path), stdout=out)
    assert "no differences" in out.getvalue()
