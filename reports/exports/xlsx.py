"""Excel writer: XlsxWriter in constant-memory mode, one sheet per table, rows streamed.

Headers frozen with an autofilter, widths from the headers and the first rows, numbers as
numbers, dates as dates, and every text cell written with `write_string`, so a text such as
"=HYPERLINK(...)" or "+856 20 ..." stays text and never becomes a formula."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from reports.exports.tables import DATE, DATETIME, INTEGER, NUMBER, Table, is_value

MAX_SHEET_NAME = 31
SAMPLE_ROWS = 200  # rows buffered to size the columns before streaming the rest
MAX_WIDTH = 60
TICK_ROWS = 1000  # progress is reported every this many rows
INVALID_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def sheet_names(titles: list[str]) -> list[str]:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not blank, unique regardless of
    case (a truncated Lao name can collide with another: the later gets " (2)")."""
    names: list[str] = []
    taken: set[str] = set()
    for index, title in enumerate(titles, start=1):
        base = INVALID_SHEET_CHARACTERS.sub(" ", title).strip().strip("'") or f"Sheet{index}"
        name = base[:MAX_SHEET_NAME]
        counter = 2
        while name.casefold() in taken:
            suffix = f" ({counter})"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            counter += 1
        taken.add(name.casefold())
        names.append(name)
    return names


def _display_width(value) -> int:
    if not is_value(value):
        return 0
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return len(str(value))


def write_workbook(
    path: Path, tables: list[Table], tick: Callable[[int], None] | None = None
) -> int:
    """Writes each table to its sheet, streaming its rows; returns the rows written."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    formats = {
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#DDE6F0", "text_wrap": True, "valign": "top"}
        ),
        NUMBER: workbook.add_format({"num_format": "0.00"}),
        INTEGER: workbook.add_format({"num_format": "0"}),
        DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        DATETIME: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    written = 0
    for table, name in zip(tables, sheet_names([t.title for t in tables]), strict=True):
        written += _write_sheet(workbook, name, table, formats, tick)
    workbook.close()
    return written


def _write_sheet(workbook, name: str, table: Table, formats: dict, tick) -> int:
    sheet = workbook.add_worksheet(name)
    sample = []
    for row in table.rows:
        sample.append(row)
        if len(sample) >= SAMPLE_ROWS:
            break
    for index, column in enumerate(table.columns):
        width = max(
            [column.width, min(len(column.header), 24)]
            + [_display_width(row[index]) for row in sample]
        )
        sheet.set_column(index, index, min(width + 1, MAX_WIDTH))
    sheet.set_row(0, None, formats["header"])
    for index, column in enumerate(table.columns):
        sheet.write_string(0, index, column.header, formats["header"])
    sheet.freeze_panes(1, 0)
    kinds = [column.kind for column in table.columns]
    count = 0
    for row in itertools.chain(sample, table.rows):
        count += 1
        _write_row(sheet, count, row, kinds, formats)
        if tick and count % TICK_ROWS == 0:
            tick(TICK_ROWS)
    if tick:
        tick(count % TICK_ROWS)
    sheet.autofilter(0, 0, max(count, 1), len(table.columns) - 1)
    return count


def _write_row(sheet, row_number: int, row: tuple, kinds: list[str], formats: dict) -> None:
    for col, value in enumerate(row):
        if not is_value(value) or value == "":
            continue
        if isinstance(value, str):
            sheet.write_string(row_number, col, value)
        elif isinstance(value, bool):
            sheet.write_boolean(row_number, col, value)
        elif isinstance(value, datetime | date):
            sheet.write_datetime(row_number, col, value, formats[kinds[col]])
        else:
            sheet.write_number(row_number, col, value, formats.get(kinds[col]))
