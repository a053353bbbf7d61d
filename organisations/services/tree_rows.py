"""Reading the organisation import's file: rows with the line numbers users see, and the problems
found while reading (a file that cannot be read, a wrong header, a row of the wrong width)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from organisations.import_rules import identifier_problems
from readiness.identifiers import label_clean
from readiness.imports import Problem
from readiness.tabular import MAX_BYTES, Sheet, TableError, read_tables, upload_read

REQUIRED_COLUMNS = ("code", "parent_code", "kind", "name_lo", "name_en")
OPTIONAL_COLUMNS = ("line_ministry_code", "iso_code")


@dataclass
class ImportRow:
    line: int
    code: str
    parent_code: str
    kind: str
    name_lo: str
    name_en: str
    line_ministry_code: str | None  # None: the column is absent, keep what the tree has
    iso_code: str | None
    problems: list[str] = field(default_factory=list)  # found while reading (e.g. invisible)


def _clean(text: str | None) -> str:
    """Trimmed, NFC-normalised text (Lao is typed with different code point orders); stray
    zero-width characters at the ends go, a line break inside becomes one space."""
    return label_clean(text)


def _source_bytes(source: bytes | str | Path | IO) -> tuple[bytes, str]:
    """The file's bytes, refused past the upload limit before anything parses them, and its
    name (an uploaded or named file; bytes and text have none and are recognised by content)."""
    if isinstance(source, str):
        return upload_read(source.encode("utf-8"), MAX_BYTES), ""
    return upload_read(source, MAX_BYTES), str(getattr(source, "name", "") or "")


def _header_width(header: list[str]) -> int:
    """A workbook's header ends at its last named column (empty formatted cells follow)."""
    named = [index for index, title in enumerate(header) if title]
    return named[-1] + 1 if named else 0


def _records_from_sheet(
    sheet: Sheet,
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    header = [_clean(column).lower() for column in sheet.header_columns]
    width = len(header) if sheet.delimited else _header_width(header)
    header = header[:width]
    if not any(header):
        return [], [Problem(line=1, message=_("The file is empty."))]
    problems = _header_problems(header)
    if problems:
        return [], problems
    key_of = {title: _clean(title).lower() for title in sheet.header_columns if title}
    records: list[tuple[int, dict[str, str]]] = []
    for row in sheet.rows:
        # A CSV line carries exactly as many values as the header (a missing or extra comma
        # shifts every value after it); a workbook row may end early, never past the header.
        if row.width > width or (sheet.delimited and row.width != width):
            message = _("This row has %(found)d values; the header has %(expected)d.") % {
                "found": row.width,
                "expected": width,
            }
            problems.append(Problem(line=row.number, message=message))
            continue
        record = dict.fromkeys((column for column in header if column), "")
        record.update((key_of[title], value) for title, value in row.cells.items())
        records.append((row.number, record))
    return records, problems


def _header_problems(header: list[str]) -> list[Problem]:
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    duplicated = {c for c in header if header.count(c) > 1}
    problems = []
    if missing or unknown or duplicated:
        message = _(
            "The header must be %(expected)s (with optional %(optional)s); "
            "missing: %(missing)s; unknown or repeated: %(unknown)s."
        ) % {
            "expected": ",".join(REQUIRED_COLUMNS),
            "optional": ", ".join(OPTIONAL_COLUMNS),
            "missing": ", ".join(missing) or "-",
            "unknown": ", ".join(unknown + sorted(duplicated)) or "-",
        }
        problems.append(Problem(line=1, message=message))
    return problems


def _rows_from(records: Iterable[tuple[int, Mapping[str, Any]]]) -> list[ImportRow]:
    rows = []
    for line, record in records:
        optional = {
            column: (_clean(str(record[column] or "")) if column in record else None)
            for column in OPTIONAL_COLUMNS
        }
        rows.append(
            ImportRow(
                line=line,
                code=_clean(record.get("code")),
                parent_code=_clean(record.get("parent_code")),
                kind=_clean(record.get("kind")).lower(),
                name_lo=_clean(record.get("name_lo")),
                name_en=_clean(record.get("name_en")),
                line_ministry_code=optional["line_ministry_code"],
                iso_code=optional["iso_code"],
                problems=identifier_problems(record),
            )
        )
    return rows


def import_rows_read(rows_or_file: Any) -> tuple[list[ImportRow], list[Problem]]:
    """Rows from a CSV or Excel file (path, bytes, text or file object; read by the one tabular
    reader) or from dicts (line = index + 2, as if a header were line 1)."""
    if isinstance(rows_or_file, list | tuple) and all(isinstance(r, Mapping) for r in rows_or_file):
        return _rows_from((index + 2, row) for index, row in enumerate(rows_or_file)), []
    if isinstance(rows_or_file, str) and "\n" not in rows_or_file and Path(rows_or_file).is_file():
        rows_or_file = Path(rows_or_file)
    try:
        data, filename = _source_bytes(rows_or_file)
        sheets = read_tables(data, filename)
    except TableError as error:  # unreadable, too large, a NUL: one problem with its line
        return [], [Problem(line=error.row or 1, message=error.message)]
    records, problems = _records_from_sheet(sheets[0]) if sheets else ([], [])
    if not records and not problems:
        problems = [Problem(line=2, message=_("The file has no rows."))]
    return _rows_from(records), problems
