import csv
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.policy import Step
from assessments import workflow
from assessments.exchange import COLUMNS, import_answers
from assessments.models import Answer, AnswerRevision, Assessment, MetElement
from assessments.tests.factories import answer, answer_everything, open_test_round
from core.tables import ImportRejected
from frameworks.models import Domain
from organisations.models import Organisation, OrganisationType
from scoring.models import MeasureScore

pytestmark = pytest.mark.django_db


def write(tmp_path, rows, name="answers.csv"):
    path = tmp_path / name
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def row(domain="epr", elements="1a;1b", **extra):
    values = {
        "ods_code": "RTEST",
        "round": "2026/27",
        "care_setting": "acute",
        "domain_id": domain,
        "elements_met": elements,
        "not_applicable": "no",
        "not_applicable_reason": "",
        "comment": "From the spreadsheet",
    }
    values.update(extra)
    return [values[c] for c in COLUMNS]


def refused(tmp_path, *rows):
    with pytest.raises(ImportRejected) as error:
        import_answers(path=write(tmp_path, rows))
    assert not Answer.objects.exists()
    return error.value.messages


def test_import_writes_answers_levels_and_revisions(world, tmp_path):
    summary = import_answers(path=write(tmp_path, [row(), row("well-led-core", "1a;1b;2a;2b")]))
    assert (summary.created, summary.changed, summary.unchanged) == (2, 0, 0)
    levels = dict(Answer.objects.values_list("domain__key", "level"))
    assert levels == {"epr": 1, "well-led-core": 2}
    assert AnswerRevision.objects.filter(note="Imported from answers.csv").count() == 2
    again = import_answers(path=write(tmp_path, [row(), row("well-led-core", "1a;1b")]))
    assert (again.created, again.changed, again.unchanged) == (0, 1, 1)


def test_an_import_updates_the_stored_scores(world, tmp_path):
    def well_led():
        return MeasureScore.objects.get(
            measure__key="well_led", assessment__organisation__ods_code="RTEST"
        ).score

    import_answers(path=write(tmp_path, [row("well-led-core", "1a;1b;2a;2b")]))
    assert well_led() == 2
    import_answers(path=write(tmp_path, [row("well-led-core", "1a;1b")]))
    assert well_led() == 1


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (row(ods_code="RNONE"), "row 2, column ods_code: no organisation has ODS code RNONE"),
        (row(round="1999/00"), "row 2, column round: there is no round called 1999/00"),
        (row(care_setting="dental"), "row 2, column care_setting: dental is not a care setting"),
        (
            row(care_setting="community"),
            "row 2, column care_setting: RTEST has no community assessment",
        ),
        (row("no-such-domain"), "row 2, column domain_id: no-such-domain is not a domain of RTEST"),
        (row(elements="1a;7z"), "row 2, column elements_met: 7z is not an element of Epr"),
        (row(not_applicable="maybe"), "row 2, column not_applicable: maybe is not yes or no"),
        (
            row(elements="", not_applicable="yes", not_applicable_reason="None"),
            "row 2, column not_applicable: Epr cannot be answered as not applicable",
        ),
        (row(domain_id=""), "row 2, column domain_id: is empty"),
    ],
)
def test_import_bad_row_is_named_and_nothing_is_written(world, tmp_path, bad, message):
    messages = refused(tmp_path, bad, row("well-led-core"))
    assert any(m.startswith(f"answers.csv: {message}") for m in messages), messages


def test_import_duplicate_row(world, tmp_path):
    messages = refused(tmp_path, row(), row("well-led-core"), row())
    assert messages == [
        "answers.csv: row 4, column domain_id: duplicates row 2: one row per domain"
    ]


def test_import_closed_round(world, tmp_path):
    workflow.close_round(round=world.round, by=world.admin)
    messages = refused(tmp_path, row())
    assert messages == [
        "answers.csv: row 2: The acute assessment of Test Hospitals NHS Trust in round 2026/27 "
        "takes no answers: round 2026/27 is closed, and answers can be changed only while it "
        "is open"
    ]


def test_import_frozen_assessment(world, tmp_path):
    answer_everything(world)
    workflow.take_step(assessment=world.assessment(), step=Step.SUBMIT, by=world.contributor)
    before = Answer.objects.count()
    with pytest.raises(ImportRejected, match="submitted, so its answers are frozen"):
        import_answers(path=write(tmp_path, [row()]))
    assert Answer.objects.count() == before


def test_import_missing_column(world, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("ods_code,round,care_setting\nRTEST,2026/27,acute\n")
    with pytest.raises(ImportRejected, match="row 1, column domain_id: missing required column"):
        import_answers(path=path)


def test_export_reimports_unchanged_csv_and_xlsx(world, tmp_path):
    answer(world, "epr", ["1a", "1b", "2a"], comment="Live, with “quotes”, and commas")
    Domain.objects.filter(key="well-led-core").update(allows_not_applicable=True)
    answer(world, "well-led-core", [], not_applicable=True, not_applicable_reason="Not ours")
    for name in ("out.csv", "out.xlsx"):
        path = tmp_path / name
        call_command(
            "export", "answers", str(path), "--round", "2026/27", "--organisation", "RTEST"
        )
        summary = import_answers(path=path)
        assert (summary.rows, summary.changed, summary.created, summary.unchanged) == (2, 0, 0, 2)


def test_import_command_reports_summary_and_refusals(world, tmp_path, capsys):
    call_command("import-answers", str(write(tmp_path, [row()])))
    assert "1 row for 1 assessment: 1 answer added" in capsys.readouterr().out
    with pytest.raises(CommandError, match="1 problem: nothing was imported"):
        call_command("import-answers", str(write(tmp_path, [row(ods_code="RNONE")])))


def test_import_ten_thousand_rows_fast_and_all_or_nothing(
    world, tmp_path, django_assert_max_num_queries
):
    Organisation.objects.bulk_create(
        Organisation(
            ods_code=f"RB{n:04d}",
            name=f"Bulk trust {n}",
            org_type=OrganisationType.ACUTE,
            care_settings=["acute"],
        )
        for n in range(1112)
    )
    round = open_test_round(
        world, name="2027/28", organisations=Organisation.objects.filter(ods_code__startswith="RB")
    )
    keys = [
        d.key for d in Domain.objects.filter(framework_version=world.version, level="organisation")
    ]
    rows = [
        row(key, "1a;1b;2a;2b;3a", ods_code=f"RB{n:04d}", round="2027/28")
        for n in range(1112)
        for key in keys
    ][:10_000]
    assert Assessment.objects.filter(round=round).count() == 1112
    bad = list(rows)
    key = keys[7500 % len(keys)]
    name = Domain.objects.get(framework_version=world.version, key=key).name
    bad[7500] = row(key, "1a;1z", ods_code=f"RB{7500 // len(keys):04d}", round="2027/28")
    with pytest.raises(ImportRejected) as error:
        import_answers(path=write(tmp_path, bad, "bad.csv"))
    assert error.value.messages == [
        f"bad.csv: row 7502, column elements_met: 1z is not an element of {name}: "
        "its elements are 1a, 1b, 2a, 2b, 3a, 3b, 4a, 4b, 5a, 5b"
    ]
    assert not Answer.objects.exists()
    seen = []
    started = time.monotonic()
    # Bulk writes: a few hundred statements (SQLite caps each at 999
    # parameters), never one or more per row.
    with django_assert_max_num_queries(1000):
        summary = import_answers(
            path=write(tmp_path, rows), progress=lambda done, total: seen.append(done)
        )
    elapsed = time.monotonic() - started
    assert summary.created == 10_000
    assert MetElement.objects.count() == 50_000
    assert seen[-1] == 10_000 and len(seen) >= 20
    print(f"10,000-row import took {elapsed:.2f}s")
