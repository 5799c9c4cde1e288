"""Export, then recompute from the file alone: no differences."""

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment
from core.tables import write_table
from northstar import demo
from scoring import calculation, exports
from scoring.models import MeasureScore
from scoring.tests.builders import answer, assessment, levels

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored_round(version, trust):
    mine = assessment(version, trust)
    answer(mine, "epr", met=levels(3) + ["4a", "5a", "5b"])
    answer(mine, "smart-foundations-core", met=levels(2))
    answer(mine, "well-led-core", not_applicable=True)
    answer(mine, "closed-loop-medicines", met=["1b"])
    calculation.recompute_round(mine.round)
    return mine.round


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_score_reports_no_differences(scored_round, tmp_path, capsys, suffix):
    path = tmp_path / f"scores.{suffix}"
    write_table(path, exports.COLUMNS, exports.score_rows(scored_round))
    call_command("score", str(path))
    assert "1 assessment recomputed: no differences." in capsys.readouterr().out


def test_a_changed_score_in_the_file_is_reported(scored_round, tmp_path):
    rows = list(exports.score_rows(scored_round))
    for row in rows:
        if row[0] == "measure" and row[4] == "smart_foundations":
            row[12] = "4.0000000000"
    path = tmp_path / "tampered.csv"
    write_table(path, exports.COLUMNS, rows)
    with pytest.raises(CommandError) as found:
        call_command("score", str(path))
    stored = MeasureScore.objects.get(measure__key="smart_foundations").score
    assert (
        f"RXN acute 2026/27, measure smart_foundations, score: file 4.0000, recomputed {stored:.4f}"
        in str(found.value)
    )


def test_a_malformed_file_names_the_row_and_column(scored_round, tmp_path):
    rows = list(exports.score_rows(scored_round))
    rows[0][6] = "heavy"
    rows[1][7] = "1-1a"
    rows[2][0] = "domian"
    path = tmp_path / "broken.csv"
    write_table(path, exports.COLUMNS, rows)
    with pytest.raises(CommandError) as refused:
        call_command("score", str(path))
    message = str(refused.value)
    assert "broken.csv: row 2, column weight: 'heavy' is not a number" in message
    assert "broken.csv: row 3, column levels: '1-1a' is not like 1:1a,1b" in message
    assert "broken.csv: row 4, column record: 'domian' is not domain, measure or overall" in message


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_demo_round_export_then_score_reports_no_differences(tmp_path, capsys, suffix):
    demo.load_reference_data(lambda line: None)
    demo.create_demo_content(lambda line: None)
    path = tmp_path / f"demo-scores.{suffix}"
    call_command("export", "scores", str(path), round="2026/27")
    written = capsys.readouterr().out
    assert f"rows of answers and scores written to {path}" in written
    call_command("score", str(path))
    assessments = Assessment.objects.filter(round__name="2026/27").count()
    assert f"{assessments} assessments recomputed: no differences." in capsys.readouterr().out


def test_export_scores_of_a_round_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--round: there is no round called 1999/00"):
        call_command("export", "scores", str(tmp_path / "x.csv"), round="1999/00")


def test_export_scores_of_a_round_published_by_nhs_england_is_refused(tmp_path):
    demo.load_reference_data(lambda line: None)
    path = tmp_path / "published.csv"
    with pytest.raises(CommandError, match="holds the measure scores NHS England published"):
        call_command("export", "scores", str(path), round="2025 (NHS England)")
    assert not path.exists()


def test_export_into_a_folder_that_does_not_exist_is_refused(scored_round, tmp_path):
    path = tmp_path / "missing" / "scores.csv"
    with pytest.raises(CommandError, match="there is no folder .*missing to write it in"):
        call_command("export", "scores", str(path), round="2026/27")
