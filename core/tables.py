"""CSV and XLSX tables in and out. Every import reads its file here, as a
stream, and collects its problems; every export writes here, so no cell of
any export is a formula a spreadsheet would run.

Problems read as a spreadsheet user would find them:
``organisations.csv: row 7, column icb_code: QZZ is not an ICB in this file or in Northstar``
(the header is row 1).
"""

import csv
import datetime
import io
import re
import zlib
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from zipfile import BadZipFile

from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from core.files import DAMAGED, UnsafeZip, open_safe_zip
from core.presenters import plural


class ImportRejected(Exception):
    """A file was refused and nothing was changed. ``messages`` names the first
    problems (and how many more there are); ``count`` is how many in all."""

    def __init__(self, messages, *, more=0):
        self.count = len(messages) + more
        self.messages = list(messages) + ([f"and {plural(more, 'more problem')}"] if more else [])
        super().__init__("\n".join(self.messages))


SHOWN = 100  # problems listed when a file is refused; the rest are counted


@dataclass
class Problems:
    filename: str
    messages: list = field(default_factory=list)
    count: int = 0

    def add(self, row, column, reason):
        self._note(f"{self.filename}: row {row}, column {column}: {reason}")

    def add_to_file(self, reason):
        self._note(f"{self.filename}: {reason}")

    def _note(self, message):
        self.count += 1
        if len(self.messages) < SHOWN:
            self.messages.append(message)

    def raise_if_any(self):
        if self.count:
            raise ImportRejected(self.messages, more=self.count - len(self.messages))


@dataclass(frozen=True)
class Row:
    number: int
    values: dict


def read_rows(path, *, required, optional):
    """The file's data rows, each value a stripped string ("" when empty),
    read from the file as a stream each time they are iterated, so a file of
    any length fits in memory.

    Refuses the file when it cannot be read or its header lacks a required
    column, names one twice or has one Northstar does not know (a misspelt
    optional column would otherwise be silently ignored)."""
    path = Path(path)
    problems = Problems(path.name)
    _check_file(path, problems)
    problems.raise_if_any()
    with closing(_cells(path)) as cells:
        header = [_text(cell).lower() for cell in next(cells, [])]
    if not any(header):
        problems.add_to_file("is empty; the first row must name the columns")
        problems.raise_if_any()
    _check_header(header, problems, known=(*required, *optional), required=required)
    problems.raise_if_any()
    return Rows(path, header)


class Rows:
    """An import file's data rows, read afresh from the file on each pass."""

    def __init__(self, path, header):
        self.path = path
        self.header = header

    def __iter__(self):
        columns = [column for column in self.header if column]
        with closing(_cells(self.path)) as cells:
            next(cells, None)
            for number, row in enumerate(cells, start=2):
                values = {
                    column: _text(cell)
                    for column, cell in zip(self.header, row, strict=False)
                    if column
                }
                if any(values.values()):
                    yield Row(number, {column: values.get(column, "") for column in columns})


def _check_header(header, problems, *, known, required):
    for column in required:
        if column not in header:
            problems.add(1, column, "missing required column")
    first = {}
    for index, column in enumerate(header):
        if not column:
            continue
        if column not in known:
            problems.add(1, column, f"unknown column; the columns are {', '.join(known)}")
        elif column in first:
            problems.add(
                1,
                column,
                f"columns {get_column_letter(first[column] + 1)} and "
                f"{get_column_letter(index + 1)} are both called {column!r}; keep one",
            )
        else:
            first[column] = index


def _check_file(path, problems):
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        problems.add_to_file("is neither a .csv nor an .xlsx file")
    elif not path.is_file():
        problems.add_to_file("no such file")
    elif suffix == ".xlsx":
        _check_zip(path, problems)


# An import may be a national file: larger than an attachment, still bounded.
XLSX_MOST_EXPANDED = 300 * 1024 * 1024


def _check_zip(path, problems):
    """The zip directory is checked before openpyxl unpacks anything."""
    with open(path, "rb") as opened:
        try:
            open_safe_zip(opened, most_expanded=XLSX_MOST_EXPANDED)
        except UnsafeZip as unsafe:
            if str(unsafe) == DAMAGED:
                problems.add_to_file(UNREADABLE_XLSX)
            else:
                problems.add_to_file(f"cannot be opened safely: {unsafe}")


UNREADABLE_XLSX = "is not a readable .xlsx workbook; open it and save it again, or save it as CSV"
# What openpyxl and zipfile raise on a damaged workbook: a bad zip or CRC,
# damaged compressed data, or XML that does not parse (ParseError is a SyntaxError).
XLSX_ERRORS = (
    BadZipFile,
    InvalidFileException,
    zlib.error,
    EOFError,
    OSError,
    SyntaxError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
)


def _cells(path):
    """The file's rows as lists of cells, read as a stream; a file that
    cannot be read is refused, whichever row the fault is on."""
    name = path.name
    if path.suffix.lower() == ".xlsx":
        try:
            yield from _xlsx_cells(path)
        except XLSX_ERRORS as error:
            raise ImportRejected([f"{name}: {UNREADABLE_XLSX}"]) from error
        return
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            yield from csv.reader(file)
    except UnicodeDecodeError as error:
        raise ImportRejected([f"{name}: is not UTF-8 text; save it as CSV UTF-8"]) from error
    except csv.Error as error:
        raise ImportRejected([f"{name}: is not valid CSV ({error})"]) from error


def _xlsx_cells(path):
    # Opened here, so the file is closed even when a damaged part is left open.
    with path.open("rb") as file:
        workbook = load_workbook(file, read_only=True, data_only=True)
        try:
            yield from workbook.worksheets[0].iter_rows(values_only=True)
        finally:
            workbook.close()


def _text(cell):
    """A cell as text: spreadsheet dates as ISO dates, whole numbers without
    ".0", and text an export quoted (so no spreadsheet takes it for a formula)
    as it was."""
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


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


# A spreadsheet takes text starting with one of these for a formula (a tab or
# carriage return may be trimmed away in front of one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    """A cell no spreadsheet takes for a formula: text that could start one
    gets a leading quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _write_csv(out, columns, rows):
    """Write the table as CSV; return how many rows (not counting the header)."""
    writer = csv.writer(out)
    writer.writerow([_safe(value) for value in columns])
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 (the count is the result)
        writer.writerow([_safe(value) for value in row])
    return count


def _xlsx_cell(sheet, value):
    if isinstance(value, str):
        # A worksheet cannot hold control characters; what is left may start a formula.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, _safe(value))
    if isinstance(value, str):
        cell.data_type = "s"  # text, never a formula
    return cell


def _write_xlsx(out, columns, rows, sheet_name):
    """Write the table as XLSX; return how many rows (not counting the header)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:31])
    sheet.append([_xlsx_cell(sheet, value) for value in columns])
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 (the count is the result)
        sheet.append([_xlsx_cell(sheet, value) for value in row])
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
