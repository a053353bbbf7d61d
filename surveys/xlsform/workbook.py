"""Reads an .xlsx or .xls workbook into plain rows of text, keeping Excel's row numbers so every
problem can point at its cell. pyxform validates the form as a whole; we read the rows ourselves
because our own sheets (pillars, stages, recommendations) and columns are outside its model.

The reading itself is the project's one tabular reader (`readiness.tabular`): every row of every
sheet, limits as refusals, zip bombs refused before parsing."""

from __future__ import annotations

from typing import BinaryIO

from readiness.tabular import MAX_BYTES, Row, Sheet, TableError, read_tables, upload_read

__all__ = ["MAX_BYTES", "Row", "Sheet", "WorkbookError", "read_bytes", "read_workbook"]

WorkbookError = TableError


def read_bytes(file: str | bytes | BinaryIO | object) -> bytes:
    return upload_read(file, MAX_BYTES)


def read_workbook(data: bytes, filename: str) -> list[Sheet]:
    """Every sheet of the workbook, or WorkbookError with a message for the administrator."""
    return read_tables(data, filename, allow_csv=False)
