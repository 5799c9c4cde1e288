import datetime
import re
from decimal import Decimal

import pytest

from core.tables import ImportRejected, Problems, read_rows, table_response, write_table
from core.tests.spreadsheets import PLANTED, csv_rows, quoted, xlsx_rows

NUMBERS = [3, -3, 2.5, -2.5, Decimal("-1.25"), 0]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_written_tables_quote_text_that_would_start_a_formula_and_keep_numbers(tmp_path, suffix):
    path = tmp_path / f"table{suffix}"
    count = write_table(path, ["text", "number"], zip(PLANTED, NUMBERS * 2, strict=False))
    assert count == len(PLANTED)
    xlsx = suffix == ".xlsx"
    _, *rows = (xlsx_rows if xlsx else csv_rows)(path.read_bytes())
    assert [row[0] for row in rows] == [quoted(value, xlsx=xlsx) for value in PLANTED]
    numbers = [row[1] for row in rows]
    if xlsx:
        assert numbers == [float(n) if isinstance(n, Decimal) else n for n in NUMBERS * 2][:8]
    else:
        assert numbers == [str(n) for n in NUMBERS * 2][:8]


@pytest.mark.parametrize("filename", ["table.csv", "table.xlsx"])
def test_table_downloads_quote_text_that_would_start_a_formula(filename):
    response = table_response(filename, ["text"], ([value] for value in PLANTED))
    xlsx = filename.endswith(".xlsx")
    _, *rows = (xlsx_rows if xlsx else csv_rows)(response.content)
    assert [row[0] for row in rows] == [quoted(value, xlsx=xlsx) for value in PLANTED]


def test_plain_text_dates_and_a_quote_inside_text_are_written_as_they_are(tmp_path):
    path = tmp_path / "table.xlsx"
    day = datetime.date(2026, 4, 1)
    write_table(path, ["a", "b", "c"], [["plain", "it's 1-2", day]])
    _, row = xlsx_rows(path.read_bytes())
    assert row[:2] == ["plain", "it's 1-2"] and row[2].date() == day


def test_a_control_character_a_worksheet_cannot_hold_is_dropped_before_quoting(tmp_path):
    path = tmp_path / "table.xlsx"
    write_table(path, ["comment"], [["\x07=1+1"], ["bell\x07"]])
    _, *rows = xlsx_rows(path.read_bytes())
    assert rows == [["'=1+1"], ["bell"]]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_export_reads_back_as_it_was_typed(tmp_path, suffix):
    path = tmp_path / f"table{suffix}"
    typed = [value for value in PLANTED if not value.startswith(("\t", "\r"))]
    write_table(path, ["comment"], ([value] for value in typed))
    rows = read_rows(path, required=["comment"], optional=())
    assert [row.values["comment"] for row in rows] == typed


def test_a_long_file_lists_its_first_hundred_problems_and_counts_the_rest():
    problems = Problems("long.csv")
    for number in range(2, 1_002):
        problems.add(number, "comment", "is wrong")
    with pytest.raises(ImportRejected) as refused:
        problems.raise_if_any()
    assert refused.value.count == 1_000
    assert len(refused.value.messages) == 101
    assert refused.value.messages[99] == "long.csv: row 101, column comment: is wrong"
    assert refused.value.messages[-1] == "and 900 more problems"


def test_rows_are_read_afresh_on_each_pass(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("Comment\n\nfirst\n  second  \n", encoding="utf-8")
    rows = read_rows(path, required=["comment"], optional=())
    assert [(row.number, row.values) for row in rows] == [
        (3, {"comment": "first"}),
        (4, {"comment": "second"}),
    ]
    assert len(list(rows)) == 2


def test_a_file_with_only_blank_header_cells_is_refused(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(",,\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        read_rows(path, required=["comment"], optional=())
    assert refused.value.messages == ["blank.csv: is empty; the first row must name the columns"]


def test_a_workbook_with_too_many_parts_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    from core import files, tables

    path = tmp_path / "parts.xlsx"
    write_table(path, ["comment"], [["fine"]])
    monkeypatch.setattr(files, "MAX_PARTS", 3)
    monkeypatch.setattr(tables, "load_workbook", None)  # never reached
    with pytest.raises(ImportRejected) as refused:
        read_rows(path, required=["comment"], optional=())
    assert re.fullmatch(
        r"parts\.xlsx: cannot be opened safely: it has more than 3 parts",
        refused.value.messages[0],
    )
