"""Reads an .xlsx or .xls workbook into plain rows of text, keeping Excel's row numbers so every
problem can point at its cell. pyxform validates the form as a whole; we read the rows ourselves
because our own sheets (pillars, stages, recommendations) and columns are outside its model."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

import openpyxl
import xlrd
from django.utils.translation import gettext as _

# A workbook past these is not a questionnaire; reading it would only tie up the server.
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 200
# Trailing formatted-but-empty rows (some forms carry ~1,000) are skipped, and reading stops
# after this many blank rows in a row.
BLANK_RUN_LIMIT = 500


class WorkbookError(ValueError):
    """The file is not a workbook we can read."""


@dataclass(slots=True)
class Row:
    number: int  # as Excel shows it: the header is row 1
    cells: dict[str, str]  # original header -> text, only non-empty cells

    def get(self, header: str | None) -> str:
        return self.cells.get(header, "") if header else ""


@dataclass(slots=True)
class Sheet:
    name: str
    headers: list[str] = field(default_factory=list)  # original header texts, stripped
    rows: list[Row] = field(default_factory=list)


def _text(value: object, datemode: int | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _rows_to_sheet(name: str, rows: list[list[str]]) -> Sheet:
    sheet = Sheet(name=name.strip())
    if not rows:
        return sheet
    headers = [cell.strip() for cell in rows[0][:MAX_COLUMNS]]
    sheet.headers = [header for header in headers if header]
    blank_run = 0
    for index, values in enumerate(rows[1:], start=2):
        cells = {
            header: value
            for header, value in zip(headers, values, strict=False)
            if header and value != ""
        }
        if not cells:
            blank_run += 1
            if blank_run > BLANK_RUN_LIMIT:
                break
            continue
        blank_run = 0
        sheet.rows.append(Row(number=index, cells=cells))
    return sheet


def _read_xlsx(data: bytes) -> list[Sheet]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows = []
            for values in worksheet.iter_rows(max_row=MAX_ROWS + 1, values_only=True):
                rows.append([_text(value) for value in values[:MAX_COLUMNS]])
            sheets.append(_rows_to_sheet(worksheet.title, rows))
        return sheets
    finally:
        workbook.close()


def _read_xls(data: bytes) -> list[Sheet]:
    book = xlrd.open_workbook(file_contents=data, on_demand=True)
    sheets = []
    for worksheet in book.sheets():
        rows = []
        for index in range(min(worksheet.nrows, MAX_ROWS + 1)):
            values = []
            for cell in worksheet.row(index)[:MAX_COLUMNS]:
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        values.append(_text(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                    except (ValueError, OverflowError):
                        values.append(_text(cell.value))
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    values.append(_text(bool(cell.value)))
                else:
                    values.append(_text(cell.value))
            rows.append(values)
        sheets.append(_rows_to_sheet(worksheet.name, rows))
    return sheets


def read_bytes(file: str | bytes | BinaryIO | object) -> bytes:
    if isinstance(file, bytes):
        data = file
    elif isinstance(file, str) or hasattr(file, "__fspath__"):
        with open(file, "rb") as handle:  # noqa: PTH123 - str or PathLike alike
            data = handle.read(MAX_BYTES + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise WorkbookError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    return data


def read_workbook(data: bytes, filename: str) -> list[Sheet]:
    """Every sheet of the workbook, or WorkbookError with a message for the administrator."""
    lower = filename.lower()
    is_zip = data[:4] == b"PK\x03\x04"
    is_ole = data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if not (lower.endswith((".xlsx", ".xlsm", ".xls")) or is_zip or is_ole):
        raise WorkbookError(_("Only Excel workbooks (.xlsx or .xls) can be imported."))
    try:
        if is_zip:
            return _read_xlsx(data)
        if is_ole:
            return _read_xls(data)
    except (zipfile.BadZipFile, xlrd.XLRDError, KeyError, ValueError, OSError, EOFError) as exc:
        raise WorkbookError(
            _("The file could not be read as an Excel workbook (%(reason)s).")
            % {"reason": exc.__class__.__name__}
        ) from exc
    except Exception as exc:  # openpyxl/xlrd raise many kinds on damaged files
        raise WorkbookError(
            _("The file could not be read as an Excel workbook (%(reason)s).")
            % {"reason": exc.__class__.__name__}
        ) from exc
    raise WorkbookError(_("The file is not an Excel workbook, or it is damaged."))
