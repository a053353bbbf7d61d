"""CSV writer: UTF-8 with a byte-order mark (Excel then reads Lao correctly), one file per
table, several tables in one zip. Rows are streamed into the zip.

A text cell that begins with =, +, -, @ (or a tab or carriage return) gets a leading
apostrophe, so a spreadsheet opening the file shows it as text instead of running it as a
formula (OWASP "CSV injection"); numbers are written as numbers, negative ones included."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from reports.exports.tables import DATE, DATETIME, TEXT, Table, is_value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str | float | int:
    if not is_value(value):
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _write_rows(stream, table: Table, tick) -> int:
    writer = csv.writer(stream)
    writer.writerow([column.header for column in table.columns])
    # Only text and date columns need converting; the csv module writes None as an empty
    # field and numbers as they are. Calling `cell` on every one of a national round's two
    # million cells doubled the time of the writing.
    converted = [
        index for index, column in enumerate(table.columns) if column.kind in (TEXT, DATE, DATETIME)
    ]
    count = 0
    for row in table.rows:
        if converted:
            row = list(row)
            for index in converted:
                row[index] = cell(row[index])
        writer.writerow(row)
        count += 1
        if tick and count % 1000 == 0:
            tick(1000)
    if tick:
        tick(count % 1000)
    return count


def write_csv(path: Path, table: Table, tick: Callable[[int], None] | None = None) -> int:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        return _write_rows(stream, table, tick)


def write_zip(path: Path, tables: list[Table], tick: Callable[[int], None] | None = None) -> int:
    written = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            with archive.open(f"{table.key}.csv", "w", force_zip64=True) as member:
                text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
                written += _write_rows(text, table, tick)
                text.flush()
                text.detach()
    return written
