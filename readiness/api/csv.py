"""`?format=csv` on every list: UTF-8 with a byte-order mark (so Excel reads Lao text), one
header row of the JSON field names (stable for Power BI and scripts), streamed from a
server-side cursor, every row of the filtered list (no page, no cap).

Text cells that a spreadsheet would run as a formula (= + - @ at the start, OWASP's "CSV
injection") get a leading apostrophe, as the exports' CSV do; numbers stay numbers."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator

from django.db import connection, transaction
from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 2000  # rows per round trip of the server-side cursor, and per chunk sent


class _Line:
    """A file-like target for csv.writer that hands back what was written."""

    def write(self, text: str) -> str:
        return text


def cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_lines(header: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """The BOM and header, then one line per row (a dict keyed by the header), in chunks."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(header)
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow([cell(row[name]) for name in header]))
        if len(buffer) >= CHUNK_ROWS:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def csv_response(header: list[str], rows: Iterable[dict], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(header, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def shaped(rows: Iterable, shape: Callable[[object], dict]) -> Iterator[dict]:
    return (shape(row) for row in rows)


class CSVRenderer(BaseRenderer):
    """Declares text/csv for content negotiation and the schema. Lists stream their CSV from
    the view (ApiViewSet.list); this renders the rest: one object, or an error's fields."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        rows = data if isinstance(data, list) else [data or {}]
        header = list(rows[0].keys()) if rows else []
        flat = [
            {k: v if not isinstance(v, (dict, list)) else str(v) for k, v in r.items()}
            for r in rows
        ]
        return "".join(csv_lines(header, flat)).encode("utf-8")


COPY_SETTINGS = (
    # As the exports' COPY (reports/exports/csvzip.py): no JIT (compiling a national query's
    # expressions took PostgreSQL longer than running them), sorts in memory, floats as their
    # shortest exact text (what Python's repr writes).
    "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL extra_float_digits = 1"
)


class _CopyRows:
    """COPY's target: one write per row; each row's newline becomes the csv module's CRLF."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.last_key: bytes | None = None

    def write(self, row: bytes) -> None:
        self.parts.append(row[:-1] + b"\r\n")
        self.last_key = row.split(b",", 1)[0]


def copy_block(sql: str, params: list) -> _CopyRows:
    """The CSV rows PostgreSQL writes for one query (COPY ... TO STDOUT WITH (FORMAT csv))."""
    rows = _CopyRows()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(COPY_SETTINGS)
        query = cursor.mogrify(sql, params).decode()
        cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", rows)
    return rows


def copy_response(
    header: list[str], blocks: Iterator[tuple[str, list]], filename: str
) -> StreamingHttpResponse:
    """A streamed CSV whose rows PostgreSQL writes, one query per block (bounded memory)."""

    def stream() -> Iterator[bytes]:
        yield "".join(csv_lines(header, [])).encode("utf-8")
        for sql, params in blocks:
            rows = copy_block(sql, params)
            if rows.parts:
                yield b"".join(rows.parts)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
