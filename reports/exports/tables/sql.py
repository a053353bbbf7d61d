"""The pieces of SQL that write a table's cells as the CSV writer writes the Python rows
(csvzip.cell and the csv module), so that PostgreSQL can write a table's CSV by COPY:
- text: as it is, with a leading apostrophe when it begins with = + - @, a tab or a carriage
  return (a spreadsheet would run it as a formula), and NULL rather than '' (COPY writes ''
  as a quoted "" and NULL as an empty field, which is what the csv module writes for both);
- floats: Python's repr: a whole number gets ".0" (3.0), others the shortest text that reads
  back to the same double (PostgreSQL 12+ with extra_float_digits >= 1, set by csvzip);
- integers as they are; labels in the export's language, looked up in JSON maps built in
  Python and passed as parameters (only constants and column names are formatted into SQL).

`Query` collects the parameters in the order their placeholders appear in the text."""

from __future__ import annotations

import json

from django.conf import settings
from django.db.models.functions import Collate

from organisations.models import Organisation, OrganisationKind
from reports.exports.tables.base import FORMULA_STARTS, INTEGER, NUMBER, TEXT

FORMULA_STARTS_SQL = "(" + ", ".join(f"chr({ord(start)})" for start in FORMULA_STARTS) + ")"


def text_cell(column: str) -> str:
    return (
        f"CASE WHEN left({column}, 1) IN {FORMULA_STARTS_SQL} THEN '''' || {column}"
        f" ELSE NULLIF({column}, '') END"
    )


def number_cell(column: str) -> str:
    """Python's repr of float(value) for a numeric column (numeric(18, 4): never large enough
    for the exponent notation, which the two write differently)."""
    return (
        f"CASE WHEN {column} = trunc({column}) THEN trunc({column})::bigint::text || '.0'"
        f" ELSE {column}::float8::text END"
    )


def float_cell(column: str) -> str:
    """Python's repr of a double precision column: PostgreSQL writes a whole number without a
    point (3, -0), Python with one (3.0, -0.0); both write the shortest exact digits otherwise
    and switch to exponents below 1e-4 alike (they differ from 1e15 up: no score, share or
    count of people comes near)."""
    whole = f"{column} = trunc({column})"
    return f"CASE WHEN {whole} THEN {column}::text || '.0' ELSE {column}::text END"


def by_code(field: str) -> Collate:
    """A code column (tree path, axis, role) for ORDER BY in byte order. Codes are ASCII, so
    the order is the database collation's, but sorting a national table's rows by strcoll
    (the C.UTF-8 or any libc locale) cost PostgreSQL twice the time of the rest of the query.
    The COPY queries sort by `code_order`, the same rule in SQL."""
    return Collate(field, "C")


def code_order(column: str) -> str:
    return f'{column} COLLATE "C"'


class Query:
    """Parameters of a query being written, in the order of their placeholders."""

    def __init__(self) -> None:
        self.params: list = []

    def param(self, value) -> str:
        self.params.append(value)
        return "%s"

    def label(self, labels: dict, column: str, default: str | None = None) -> str:
        """The label of a code from a {code: label} map; the code itself (or `default`) when
        the map has none."""
        fallback = column if default is None else default
        return f"COALESCE({self.param(json.dumps(labels))}::jsonb ->> {column}, {fallback})"

    def name(self, column: str, language: str) -> str:
        """readiness.i18n.pick in SQL over a jsonb {language: label} column: the language's
        label, else the first content language that has one, else any non-empty label (in the
        stored order, as psycopg2 hands it to pick)."""
        firsts = ", ".join(
            f"NULLIF({column} ->> {self.param(code)}, '')"
            for code in [language, *settings.CONTENT_LANGUAGES]
        )
        fallback = (
            f"(SELECT e.v FROM jsonb_each_text({column}) AS e(k, v)"  # noqa: S608
            " WHERE e.v <> '' LIMIT 1)"
        )
        return f"COALESCE({firsts}, {fallback}, '')"

    def members(self, area: Organisation, alias: str = "o") -> str:
        """tables.base.members_q in SQL: the area's subtree and, for a ministry, the sector
        offices attached to it."""
        condition = f"{alias}.path LIKE {self.param(area.path + '%')}"
        if area.kind == OrganisationKind.MINISTRY:
            condition = f"({condition} OR {alias}.line_ministry_id = {self.param(area.pk)})"
        return condition


def formatted_select(cells: list[tuple[str, str]], source: str, order: list[str]) -> str:
    """SELECT ... FROM `source` ORDER BY `order`, each of `cells` (kind, expression; kind one
    of base.TEXT, NUMBER, INTEGER) formatted as its CSV cell. The expressions are computed once
    in an inner select (a formatted cell names its value more than once, and an expression
    may hold placeholders) and formatted by the outer one."""
    formats = {TEXT: text_cell, NUMBER: float_cell, INTEGER: str}
    inner = [f"{expression} AS c{index}" for index, (_kind, expression) in enumerate(cells)]
    inner += [f"{expression} AS k{index}" for index, expression in enumerate(order)]
    outer = [formats[kind](f"t.c{index}") for index, (kind, _expression) in enumerate(cells)]
    keys = ", ".join(f"t.k{index}" for index in range(len(order)))
    return (
        f"SELECT {', '.join(outer)}\nFROM (SELECT {', '.join(inner)}\n{source}) t\nORDER BY {keys}"
    )
