"""Cells we write are data, never formulas.

A spreadsheet program runs a cell whose text begins with `=`, `+`, `-` or `@` as a formula
(and openpyxl itself stores a string beginning with `=` as one). Every text cell we write goes
through `text_cell_guard`: such a cell is stored as a text cell with Excel's quote prefix, so
the program shows the text and a re-import reads back exactly the same text."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@")


def looks_like_formula(text: object) -> bool:
    return isinstance(text, str) and text.startswith(FORMULA_STARTS)


def text_cell_guard(cells: Iterable[Cell]) -> None:
    """Marks every cell whose text could be taken for a formula as a text cell."""
    for cell in cells:
        if looks_like_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
