"""CSV writer: UTF-8 with a byte-order mark (Excel then reads Lao correctly), one file per
table, several tables in one zip. Rows are streamed into the zip.

A text cell that begins with =, +, -, @ (or a tab or carriage return) gets a leading
apostrophe, so a spreadsheet opening the file shows it as text instead of running it as a
formula (OWASP "CSV injection"); numbers are written as numbers, negative ones included.

A table that carries its rows as SQL (`Table.copy_sql`: the raw answers, the organisation
results, the results by area and the gender indicators) is written by
PostgreSQL itself, `COPY (...) TO STDOUT WITH (FORMAT csv)`, streamed into the file: the same
cells (the SQL formats them as `cell` does), without a Python object per cell."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from django.db import connection, transaction

from reports.exports.tables import DATE, DATETIME, TEXT, Table, is_value
from reports.exports.tables.base import formula_safe


def cell(value) -> str | float | int:
    if not is_value(value):
        return ""
    if isinstance(value, str):
        return formula_safe(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


class _CopyRows:
    """The file psycopg2's copy_expert writes into: one call per row, ending in a newline that
    becomes the csv module's CRLF (a newline inside a quoted cell stays as it is, as the csv
    module leaves it). Rows are buffered so the zip compresses large blocks."""

    FLUSH_AT = 1 << 18

    def __init__(self, binary, tick) -> None:
        self.binary, self.tick = binary, tick
        self.pending: list[bytes] = []
        self.size = self.count = 0

    def write(self, row: bytes) -> None:
        row = row[:-1] + b"\r\n"
        self.pending.append(row)
        self.size += len(row)
        self.count += 1
        if self.size >= self.FLUSH_AT:
            self.flush()
        if self.tick and self.count % 1000 == 0:
            self.tick(1000)

    def flush(self) -> None:
        self.binary.write(b"".join(self.pending))
        self.pending, self.size = [], 0


def _copy_rows(text, binary, table: Table, tick) -> int:
    text.flush()  # the header (and the byte-order mark) before the rows
    sql, params = table.copy_sql
    rows = _CopyRows(binary, tick)
    with transaction.atomic(), connection.cursor() as cursor:
        # No JIT: compiling the raw answers' hundreds of expressions took PostgreSQL longer
        # (2.8 s on the national round) than running them. Sorts of a national table's rows
        # in memory (the default 4 MB spilled the results by area to disk). Floats as their
        # shortest exact text (PostgreSQL's default; sql.float_cell relies on it).
        cursor.execute(
            "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL extra_float_digits = 1"
        )
        query = cursor.mogrify(sql, params).decode()
        cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", rows)
    rows.flush()
    if tick:
        tick(rows.count % 1000)
    return rows.count


def _write_rows(stream, table: Table, tick, binary=None) -> int:
    writer = csv.writer(stream)
    writer.writerow([column.header for column in table.columns])
    if table.copy_sql is not None:
        return _copy_rows(stream, binary if binary is not None else stream.buffer, table, tick)
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
                written += _write_rows(text, table, tick, binary=member)
                text.flush()
                text.detach()
    return written
