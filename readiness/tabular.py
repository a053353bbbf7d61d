"""The one tabular reader every importer uses (XLSForm, responses, organisations): CSV, .xlsx
and legacy .xls files become sheets of text rows that keep the line numbers users see.

Nothing is cut: every row of every sheet is read, blank rows are skipped wherever they are, and a
file past a limit is refused with the limit and the place where reading stopped. A bad file is
cheap to refuse: the size is checked before anything is parsed, and an .xlsx whose unpacked size
or shared-strings table is out of proportion (a zip bomb) is refused from its zip directory
before openpyxl sees it. A NUL or other control character is a problem with its place, never a
server error.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from readiness.numbers import number_text

MAX_BYTES = 10 * 1024 * 1024  # an upload of any kind
# An .xlsx unpacks to XML; real questionnaires and lists of 10,000 villages stay far below.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_SHARED_STRINGS = 1_000_000
MAX_RATIO = 100  # unpacked size / file size
MIN_RATIO_CHECKED = 20 * 1024 * 1024  # small workbooks may compress well and do no harm
MAX_ROWS = 250_000  # per sheet, counting blank rows (a refusal, never a cut)
MAX_COLUMNS = 500
# Control characters other than tab and line breaks cannot be stored or shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SST_COUNT = re.compile(rb'uniqueCount="(\d+)"|count="(\d+)"')
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class TableError(ValueError):
    """The file cannot be read; the message (translated) says where and what to do."""

    def __init__(self, message: str, *, sheet: str = "", row: int | None = None, column: str = ""):
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.row = row
        self.column = column


@dataclass(slots=True)
class Row:
    number: int  # as a spreadsheet or text editor shows it: the header is row 1
    cells: dict[str, str]  # header -> text, only non-empty cells
    # Values on the line: every field of a CSV line, a workbook row up to its last non-empty cell.
    width: int = 0

    def get(self, header: str | None) -> str:
        return self.cells.get(header, "") if header else ""


@dataclass(slots=True)
class Sheet:
    name: str
    headers: list[str] = field(default_factory=list)  # header texts, stripped, non-empty
    rows: list[Row] = field(default_factory=list)
    header_columns: list[str] = field(default_factory=list)  # every header cell, in order
    delimited: bool = False  # a CSV: every line should carry as many values as the header


def upload_read(file: str | bytes | BinaryIO | object, limit: int = MAX_BYTES) -> bytes:
    """The bytes of an upload, refused past `limit` before anything parses them."""
    if isinstance(file, bytes):
        data = file
    elif isinstance(file, str) or hasattr(file, "__fspath__"):
        with open(file, "rb") as handle:  # noqa: PTH123 - str or PathLike alike
            data = handle.read(limit + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    if len(data) > limit:
        raise TableError(
            _("The file is larger than %(limit)s MB; nothing was read.")
            % {"limit": f"{limit / (1024 * 1024):g}"}
        )
    return data


def _control_problem(sheet: str, row: int, column: str) -> TableError:
    return TableError(
        _(
            "Sheet %(sheet)s, row %(row)s, column %(column)s holds a control character (such as "
            "NUL) that cannot be stored. Delete it and import the file again."
        )
        % {"sheet": sheet or "–", "row": row, "column": column or "–"},
        sheet=sheet,
        row=row,
        column=column,
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)  # never an exponent: 0.00001 stays 0.00001
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _width(values: list[str]) -> int:
    for index in range(len(values) - 1, -1, -1):
        if values[index] != "":
            return index + 1
    return 0


def _sheet_from_rows(name: str, rows, line_of=None, *, delimited: bool = False) -> Sheet:
    """Rows of texts -> a Sheet; blank rows are skipped wherever they are (never a stop) and do
    not count towards the limit (a sheet formatted down to Excel's last row is a real form)."""
    sheet = Sheet(name=name.strip(), delimited=delimited)
    header: list[str] | None = None
    for index, values in enumerate(rows, start=1):
        if not values or (header is not None and not any(value.strip() for value in values)):
            continue
        number = line_of(index) if line_of else index
        if len(sheet.rows) >= MAX_ROWS:
            raise TableError(
                _(
                    "Sheet %(sheet)s has more than %(limit)s rows; reading stopped at row "
                    "%(row)s and nothing was imported. Split the file."
                )
                % {"sheet": sheet.name or "–", "limit": f"{MAX_ROWS:,}", "row": number},
                sheet=sheet.name,
                row=number,
            )
        if header is None:
            header = [value.strip() for value in values]
            if len(header) > MAX_COLUMNS and any(header[MAX_COLUMNS:]):
                raise TableError(
                    _("Sheet %(sheet)s has more than %(limit)s columns; nothing was imported.")
                    % {"sheet": sheet.name or "–", "limit": MAX_COLUMNS},
                    sheet=sheet.name,
                    row=1,
                )
            for column, text in enumerate(header):
                if _CONTROL.search(text):
                    raise _control_problem(sheet.name, number, _column_letter(column))
            sheet.header_columns = header
            sheet.headers = [text for text in header if text]
            continue
        cells = {}
        for column, (title, value) in enumerate(zip(header, values, strict=False)):
            if value == "":
                continue
            if _CONTROL.search(value):
                raise _control_problem(sheet.name, number, title or _column_letter(column))
            if title:
                cells.setdefault(title, value)
        if cells or (delimited and any(value.strip() for value in values)):
            width = len(values) if delimited else _width(values)
            sheet.rows.append(Row(number=number, cells=cells, width=width))
    return sheet


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _guard_xlsx(data: bytes) -> None:
    """Refuses a zip bomb from the zip directory and the shared strings' declared count,
    before any XML is parsed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        # A real workbook unpacks to a few times its size; a bomb to hundreds of times.
        if unpacked > MIN_RATIO_CHECKED and unpacked > MAX_RATIO * len(data):
            raise TableError(
                _(
                    "The workbook unpacks to %(size)s MB, %(ratio)s times its own size, which no "
                    "real workbook does; it was not read. Save the sheets you need in a new "
                    "workbook."
                )
                % {"size": f"{unpacked // (1024 * 1024):,}", "ratio": f"{unpacked // len(data):,}"}
            )
        if len(members) > 10_000 or unpacked > MAX_UNPACKED_BYTES:
            raise TableError(
                _(
                    "The workbook unpacks to more than %(limit)s MB, out of proportion to its "
                    "size; it was not read. Save the sheets you need in a new workbook."
                )
                % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
            )
        for member in members:
            if member.filename.lower().endswith("sharedstrings.xml"):
                with archive.open(member) as stream:
                    head = stream.read(2048)
                counts = [int(a or b) for a, b in _SST_COUNT.findall(head)]
                if counts and max(counts) > MAX_SHARED_STRINGS:
                    raise TableError(
                        _(
                            "The workbook declares %(count)s different texts, more than the "
                            "%(limit)s we read; it was not read."
                        )
                        % {"count": f"{max(counts):,}", "limit": f"{MAX_SHARED_STRINGS:,}"}
                    )


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _guard_uncached_formulas(data: bytes) -> None:
    """Refuses a formula whose result the file does not carry (a workbook written by a program
    that does not calculate): read for its value it would be an empty cell, silently."""
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        if not any(_FORMULA.search(archive.read(name)) for name in names if name.endswith(".xml")):
            return
    values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        pairs = zip(
            _without_dimensions(values.worksheets),
            _without_dimensions(formulas.worksheets),
            strict=True,
        )
        for sheet_values, sheet_formulas in pairs:
            rows = zip(
                sheet_values.iter_rows(values_only=True),
                sheet_formulas.iter_rows(values_only=True),
                strict=False,
            )
            for number, (row_values, row_formulas) in enumerate(rows, start=1):
                for column, (value, formula) in enumerate(
                    zip(row_values, row_formulas, strict=False)
                ):
                    if value is None and isinstance(formula, str) and formula.startswith("="):
                        raise TableError(
                            _(
                                "Sheet %(sheet)s, row %(row)s, column %(column)s holds the "
                                "formula %(formula)s, whose result is not saved in the file. "
                                "Open the file in Excel or LibreOffice and save it again, or "
                                "type the value itself."
                            )
                            % {
                                "sheet": sheet_values.title,
                                "row": number,
                                "column": _column_letter(column),
                                "formula": formula,
                            },
                            sheet=sheet_values.title,
                            row=number,
                            column=_column_letter(column),
                        )
    finally:
        values.close()
        formulas.close()


def _read_xlsx(data: bytes) -> list[Sheet]:
    import openpyxl

    _guard_xlsx(data)
    _guard_uncached_formulas(data)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [
            _sheet_from_rows(
                worksheet.title,
                (
                    [_text(value) for value in values]
                    for values in worksheet.iter_rows(values_only=True)
                ),
            )
            for worksheet in _without_dimensions(workbook.worksheets)
        ]
    finally:
        workbook.close()


def _without_dimensions(worksheets: list) -> list:
    """The worksheets with their declared size forgotten: a sheet formatted down to row
    1,048,576 and column AMJ declares that size, and openpyxl would pad every row to 1,024
    cells and yield a million rows. Without it each row is as wide as its cells, and rows
    missing from the file come as empty tuples."""
    for worksheet in worksheets:
        worksheet.reset_dimensions()
    return worksheets


def _read_xls(data: bytes) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, on_demand=True)

    def cell_text(cell) -> str:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return _text(xlrd.xldate_as_datetime(cell.value, book.datemode))
            except (ValueError, OverflowError):
                return _text(cell.value)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return _text(bool(cell.value))
        return _text(cell.value)

    return [
        _sheet_from_rows(
            worksheet.name,
            (
                [cell_text(cell) for cell in worksheet.row(index)]
                for index in range(worksheet.nrows)
            ),
        )
        for worksheet in book.sheets()
    ]


def _decode(data: bytes) -> str:
    # Excel's "Unicode text" is UTF-16 with its byte-order mark: read it as the user meant it.
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TableError(
            _(
                "The file is not UTF-8 text (the first character that cannot be read is on line "
                "%(line)s). In Excel choose “Save as” and the type “CSV UTF-8 (comma delimited)”, "
                "or in LibreOffice choose the character set “Unicode (UTF-8)”, then import again."
            )
            % {"line": line},
            row=line,
        ) from None


def read_csv(data: bytes | str, *, name: str = "") -> Sheet:
    """A CSV file as one sheet; the delimiter (',', ';' or tab) is taken from the header line."""
    text = data.removeprefix("\ufeff") if isinstance(data, str) else _decode(data)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise _control_problem(name, line, "")
    first_line = text.split("\n", 1)[0]
    # KoboToolbox's CSV export separates with ";" by default, ODK Central with ",".
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    starts: list[int] = []

    def records():
        start = 1
        try:
            for values in reader:
                starts.append(start)
                yield values
                start = reader.line_num + 1
        except csv.Error as error:
            raise TableError(
                _("Line %(line)s is not valid CSV (%(reason)s).")
                % {"line": reader.line_num, "reason": error},
                row=reader.line_num,
            ) from None

    return _sheet_from_rows(
        name, records(), line_of=lambda index: starts[index - 1], delimited=True
    )


def read_tables(data: bytes, filename: str, *, allow_csv: bool = True) -> list[Sheet]:
    """Every sheet of a workbook, or the one sheet of a CSV; TableError with a message for the
    user when the file cannot be read."""
    lower = filename.lower()
    is_zip = data[:4] == ZIP_MAGIC
    is_ole = data[:8] == OLE_MAGIC
    try:
        if is_zip:
            return _read_xlsx(data)
        if is_ole:
            return _read_xls(data)
    except TableError:
        raise
    except Exception as exc:  # openpyxl/xlrd raise many kinds on damaged files
        raise TableError(
            _("The file could not be read as an Excel workbook (%(reason)s).")
            % {"reason": exc.__class__.__name__}
        ) from exc
    if allow_csv and (lower.endswith((".csv", ".txt")) or not lower.endswith((".xlsx", ".xls"))):
        return [read_csv(data, name=filename)]
    if allow_csv:
        raise TableError(_("The file is not an Excel workbook, or it is damaged."))
    if not lower.endswith((".xlsx", ".xlsm", ".xls")):
        raise TableError(_("Only Excel workbooks (.xlsx or .xls) can be imported."))
    raise TableError(_("The file is not an Excel workbook, or it is damaged."))
