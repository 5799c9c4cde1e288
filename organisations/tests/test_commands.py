import pytest
from django.core.management import ManagementUtility, call_command
from django.db import connections

from organisations.models import Organisation
from organisations.tests.conftest import STRUCTURE_2022, STRUCTURE_2026, SUCCESSIONS_2026

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    # A command run from the command line closes every connection when it ends,
    # which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)


def northstar(*args):
    """Run a command as the console script does, exit status and all."""
    ManagementUtility(["northstar", *map(str, args)]).execute()


def test_import_organisations_command_prints_the_counts(capsys):
    northstar("import-organisations", STRUCTURE_2022, "--effective-from", "2022-07-01")

    assert capsys.readouterr().out == (
        "Organisations effective from 2022-07-01: 247 created, 0 updated, 0 unchanged\n"
    )


def test_import_organisations_command_defaults_to_today(capsys, tmp_path):
    path = tmp_path / "icb.csv"
    path.write_text("ods_code,name,org_type,icb_code,region\nQAA,NHS A ICB,icb,QAA,London\n")

    call_command("import-organisations", str(path))

    assert Organisation.objects.get().details_from is not None
    assert "1 created" in capsys.readouterr().out


def test_import_organisations_command_rejects_with_every_message_and_exits_non_zero(
    capsys, tmp_path
):
    path = tmp_path / "bad.csv"
    path.write_text(
        "ods_code,name,org_type,icb_code,region\nRAA,A Trust,acute,QZZ,London\nRAA,,acute,QZZ,\n"
    )

    with pytest.raises(SystemExit) as exited:
        northstar("import-organisations", path)

    assert exited.value.code == 1
    error = capsys.readouterr().err
    assert "bad.csv: row 2, column icb_code: QZZ is not an ICB" in error
    assert "bad.csv: row 3, column name: is empty" in error
    assert "bad.csv: row 3, column ods_code: RAA is also on row 2" in error
    assert f"5 problems: nothing was imported from {path}." in error
    assert not Organisation.objects.exists()


def test_import_organisations_command_refuses_a_date_that_is_not_iso(capsys):
    with pytest.raises(SystemExit) as exited:
        northstar("import-organisations", STRUCTURE_2022, "--effective-from", "1/7/2022")

    assert exited.value.code == 2
    assert "'1/7/2022' is not a date: use YYYY-MM-DD" in capsys.readouterr().err


def test_import_successions_command_prints_the_counts(capsys):
    northstar("import-organisations", STRUCTURE_2022, "--effective-from", "2022-07-01")
    northstar("import-organisations", STRUCTURE_2026, "--effective-from", "2026-04-01")
    capsys.readouterr()

    northstar("import-successions", SUCCESSIONS_2026)

    assert capsys.readouterr().out == (
        "Successions: 16 created, 0 updated, 0 unchanged; 12 predecessors closed\n"
    )


def test_import_successions_command_before_the_organisations_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as exited:
        northstar("import-successions", SUCCESSIONS_2026)

    assert exited.value.code == 1
    error = capsys.readouterr().err
    assert "icb_successions_2026.csv: row 2, column predecessor_ods_code: no organisation" in error
    assert "nothing was imported" in error
