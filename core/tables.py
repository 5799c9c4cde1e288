"""Reading a CSV or XLSX import file into rows, and collecting its problems.
Shared by every import (organisations, answers, published scores).

Problems read as a spreadsheet user would find them:
``organisations.csv: row 7, column icb_code: QZZ is not an ICB in this file or in Northstar``
(the header is row 1).
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from zipfile import BadZipFile

from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class ImportRejected(Exception):
    """A file was refused and nothing was changed; ``messages`` names every problem."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class Problems:
    filename: str
    messages: list = field(default_factory=list)

    def add(self, row, column, reason):
        self.messages.append(f"{self.filename}: row {row}, column {column}: {reason}")

    def add_to_file(self, reason):
        self.messages.append(f"{self.filename}: {reason}")

    def raise_if_any(self):
        if self.messages:
            raise ImportRejected(self.messages)


@dataclass(frozen=True)
class Row:
    number: int
    values: dict


def read_rows(path, *, required, optional):
    """The file's data rows, each value a stripped string ("" when empty).

    Refuses the file when it cannot be read or its header lacks a required
    column or has one Northstar does not know (a misspelt optional column would
    otherwise be silently ignored)."""
    path = Path(path)
    problems = Problems(path.name)
    table = _read_table(path, problems)
    problems.raise_if_any()
    if not table:
        problems.add_to_file("is empty; the first row must name the columns")
        problems.raise_if_any()
    header = [_text(cell).lower() for cell in table[0]]
    known = (*required, *optional)
    for column in required:
        if column not in header:
            problems.add(1, column, "missing required column")
    for column in header:
        if column and column not in known:
            problems.add(1, column, f"unknown column; the columns are {', '.join(known)}")
    problems.raise_if_any()
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {
            column: _text(cell) for column, cell in zip(header, cells, strict=False) if column
        }
        if any(values.values()):
            rows.append(
                Row(number, {column: values.get(column, "") for column in header if column})
            )
    return rows


def _read_table(path, problems):
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        problems.add_to_file("is neither a .csv nor an .xlsx file")
        return []
    if not path.is_file():
        problems.add_to_file("no such file")
        return []
    if suffix == ".xlsx":
        return _read_xlsx(path, problems)
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            return list(csv.reader(file))
    except UnicodeDecodeError:
        problems.add_to_file("is not UTF-8 text; save it as CSV UTF-8")
    except csv.Error as error:
        problems.add_to_file(f"is not valid CSV ({error})")
    return []


def _read_xlsx(path, problems):
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, OSError, KeyError, ValueError):
        problems.add_to_file("is not a readable .xlsx workbook")
        return []
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _text(cell):
    """A cell as text: spreadsheet dates as ISO dates, whole numbers without ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value):
    """A YYYY-MM-DD date, or None when the text is not a real one."""
    if not ISO_DATE.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _write_csv(out, columns, rows):
    """Write the table as CSV; return how many rows (not counting the header)."""
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 (the count is the result)
        writer.writerow(row)
    return count


def _write_xlsx(out, columns, rows, sheet_name):
    """Write the table as XLSX; return how many rows (not counting the header)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:31])
    sheet.append(columns)
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 (the count is the result)
        sheet.append(row)
    workbook.save(out)
    return count


def write_table(path, columns, rows):
    """Write rows under a header row, as XLSX when ``path`` ends .xlsx and CSV
    (UTF-8, which spreadsheets open cleanly) otherwise. Rows may be a generator.
    Returns how many rows were written."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _write_xlsx(path, columns, rows, path.stem)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        return _write_csv(out, columns, rows)


def table_response(filename, columns, rows):
    """A download of rows under a header row: XLSX when ``filename`` ends
    .xlsx, CSV otherwise."""
    xlsx = filename.lower().endswith(".xlsx")
    response = HttpResponse(content_type=XLSX_TYPE if xlsx else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if xlsx:
        buffer = io.BytesIO()
        _write_xlsx(buffer, columns, rows, Path(filename).stem)
        response.write(buffer.getvalue())
    else:
        _write_csv(response, columns, rows)
    return response
