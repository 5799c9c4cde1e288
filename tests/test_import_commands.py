"""Every import command refuses a damaged, ambiguous or very long file in
words, naming the file, writes nothing, and lists at most the first 100
problems of a long file, reading it as a stream."""

import csv
import io
import re
import tracemalloc
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from assessments.models import Answer, Round
from organisations.models import Organisation, SizeFigure, Succession
from scoring import exports
from scoring.models import MeasureScore

pytestmark = pytest.mark.django_db

# Each command, its header, a sound-looking row, a bad row, and how many
# problems N bad rows make.
IMPORTERS = {
    "import-answers": (
        ["ods_code", "round", "care_setting", "domain_id", "elements_met", "not_applicable",
         "not_applicable_reason", "comment"],
        ["RTEST", "2026/27", "acute", "", "1a", "no", "", "A comment"],
        lambda n: n,
    ),
    "import-organisations": (
        ["ods_code", "name", "org_type", "icb_code", "region"],
        ["?", "NHS Test ICB", "icb", "?", "North West"],
        lambda n: 2 * n,
    ),
    "import-successions": (
        ["predecessor_ods_code", "successor_ods_code", "succession_date", "succession_type"],
        ["?", "RTEST", "2025-04-01", "merger"],
        lambda n: 3 * n - 1,
    ),
    "import-profiles": (
        ["ods_code", "year", "annual_expenditure", "staff", "source"],
        ["RTEST", "1999", "250", "5000", "Annual report"],
        lambda n: 3 * n - 1,
    ),
    "import-published-scores": (
        ["ods_code", "org_level", "care_setting", "well_led", "ensure_smart_foundations",
         "safe_practice", "support_workforce", "empower_people", "improve_care",
         "healthy_populations", "overall_comparable_2025"],
        ["RTEST", "provider", "Acute", "9", "3", "3", "3", "3", "3", "3", "3"],
        lambda n: 3 * n - 1,
    ),
    "score": (
        list(exports.COLUMNS),
        ["bogus", "RTEST", "2026/27", "acute", *[""] * (len(exports.COLUMNS) - 4)],
        lambda n: n,
    ),
}  # fmt: skip


def run(command, path):
    arguments = ["--effective-from", "2026-04-01"] if command == "import-organisations" else []
    call_command(command, str(path), *arguments, stdout=io.StringIO(), stderr=io.StringIO())


def stored():
    return [
        model.objects.count()
        for model in (Organisation, Answer, SizeFigure, Succession, MeasureScore, Round)
    ]


def refused(command, path):
    """The command's message; nothing was written."""
    before = stored()
    with pytest.raises(CommandError) as error:
        run(command, path)
    assert stored() == before
    assert "Traceback" not in str(error.value)
    return str(error.value)


def workbook(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def rezipped(path, change, *, compression=zipfile.ZIP_DEFLATED):
    """The workbook at ``path`` with each part passed through ``change(name, data)``."""
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", compression) as target:
        for name, data in parts:
            target.writestr(name, change(name, data))
    return path


@pytest.fixture(params=IMPORTERS)
def importer(request):
    return request.param, *IMPORTERS[request.param]


def test_a_workbook_whose_sheet_does_not_parse_is_refused_in_words(importer, tmp_path):
    command, header, row, _ = importer
    path = workbook(tmp_path / "broken.xlsx", [header, row])
    rezipped(
        path,
        lambda name, data: (
            b"<worksheet><sheetData><row r=" if name.endswith("sheet1.xml") else data
        ),
    )
    message = refused(command, path)
    assert message.startswith("broken.xlsx: is not a readable .xlsx workbook")


def test_a_workbook_with_a_damaged_part_is_refused_in_words(importer, tmp_path):
    command, header, row, _ = importer
    rows = 1_000  # long enough that the fault is met while reading rows, not opening the file
    path = rezipped(
        workbook(tmp_path / "damaged.xlsx", [header, *[row] * rows]),
        lambda name, data: data,
        compression=zipfile.ZIP_STORED,
    )
    raw = path.read_bytes()
    # The last row's number changes: still XML, but the part's CRC no longer matches.
    last = f'<row r="{rows + 1}">'.encode()
    path.write_bytes(raw.replace(last, f'<row r="{rows + 9}">'.encode()))
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is not None
    message = refused(command, path)
    assert message.startswith("damaged.xlsx: is not a readable .xlsx workbook")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_column_named_twice_is_refused_naming_both(importer, tmp_path, suffix):
    command, header, row, _ = importer
    name = header[1]
    header, row = [*header, name], [*row, "the second one"]
    path = tmp_path / f"twice{suffix}"
    if suffix == ".csv":
        with path.open("w", newline="") as out:
            csv.writer(out).writerows([header, row])
    else:
        workbook(path, [header, row])
    message = refused(command, path)
    letter = chr(ord("A") + len(header) - 1)
    assert f"columns B and {letter} are both called '{name}'" in message
    assert message.startswith(f"twice{suffix}: row 1, column {name}: ")


def test_a_long_bad_file_lists_its_first_hundred_problems_and_counts_the_rest(importer, tmp_path):
    command, header, row, problems = importer
    rows = 30_000
    path = tmp_path / "long.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([row] * rows)
    tracemalloc.start()
    try:
        message = refused(command, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    lines = message.splitlines()
    assert len([line for line in lines if line.startswith("long.csv: row ")]) == 100
    assert f"and {problems(rows) - 100:,} more problems" in lines
    assert len(lines) <= 103
    # Holding every row, or every problem, would take tens of megabytes.
    assert peak < 10_000_000, f"peak {peak / 1e6:.0f} MB"


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused(importer, tmp_path):
    command, header, row, _ = importer
    path = rezipped(
        workbook(tmp_path / "bomb.xlsx", [header, row]),
        lambda name, data: data + b" " * 50_000_000 if name.endswith("sheet1.xml") else data,
    )
    message = refused(command, path)
    assert re.match(
        r"bomb\.xlsx: cannot be opened safely: it has a compression ratio above 100:1", message
    )
