"""Reading the organisation import's file: rows with the line numbers users see, and the problems
found while reading (a file that cannot be read, a wrong header, a row of the wrong width)."""

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from organisations.import_rules import identifier_problems
from readiness.identifiers import label_clean
from readiness.tabular import MAX_BYTES, TableError, upload_read

REQUIRED_COLUMNS = ("code", "parent_code", "kind", "name_lo", "name_en")
OPTIONAL_COLUMNS = ("line_ministry_code", "iso_code")


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


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


def _text_of(source: bytes | str | Path | IO) -> tuple[str | None, ImportProblem | None]:
    if not isinstance(source, str):
        try:  # the size limit of every upload, checked before anything is parsed
            source = upload_read(source, MAX_BYTES)
        except TableError as error:
            return None, ImportProblem(1, str(error))
    try:
        text = source if isinstance(source, str) else source.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = source[: error.start].count(b"\n") + 1
        return None, ImportProblem(
            line,
            _(
                "The file is not UTF-8 text (the first bad character is on this line). "
                "Save it as “CSV UTF-8” and import it again."
            ),
        )
    if "\x00" in text:  # PostgreSQL cannot store it; csv would stop with a server error
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, ImportProblem(line, _("This line holds a NUL character; delete it."))
    return text.removeprefix("\ufeff"), None


def _records_from_text(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[ImportProblem]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, dict[str, str]]] = []
    try:
        header = [_clean(column).lower() for column in next(reader, [])]
        if not header:
            return [], [ImportProblem(1, _("The file is empty."))]
        problems = _header_problems(header)
        if problems:
            return [], problems
        line = reader.line_num + 1
        for values in reader:
            if any(value.strip() for value in values):
                if len(values) != len(header):
                    message = _("This row has %(found)d values; the header has %(expected)d.") % {
                        "found": len(values),
                        "expected": len(header),
                    }
                    problems.append(ImportProblem(line, message))
                else:
                    records.append((line, dict(zip(header, values, strict=True))))
            line = reader.line_num + 1
    except csv.Error as error:
        return [], [
            ImportProblem(
                reader.line_num, _("The file is not valid CSV: %(error)s") % {"error": error}
            )
        ]
    return records, problems


def _header_problems(header: list[str]) -> list[ImportProblem]:
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
        problems.append(ImportProblem(1, message))
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


def import_rows_read(rows_or_file: Any) -> tuple[list[ImportRow], list[ImportProblem]]:
    """Rows from a CSV (path, bytes, text or file object) or from dicts (line = index + 2, as
    if a header were line 1)."""
    if isinstance(rows_or_file, list | tuple) and all(isinstance(r, Mapping) for r in rows_or_file):
        return _rows_from((index + 2, row) for index, row in enumerate(rows_or_file)), []
    if isinstance(rows_or_file, str) and "\n" not in rows_or_file and Path(rows_or_file).is_file():
        rows_or_file = Path(rows_or_file)
    text, problem = _text_of(rows_or_file)
    if problem:
        return [], [problem]
    records, problems = _records_from_text(text)
    if not records and not problems:
        problems = [ImportProblem(2, _("The file has no rows."))]
    return _rows_from(records), problems
