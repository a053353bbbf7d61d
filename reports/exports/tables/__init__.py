"""The tables of a round's exports, read from the precomputed results (reports/models.py) and,
for the raw answers and the codebook, from the surveys models. Rows are generators over
server-side cursors, so no table is ever held whole in memory and none is capped.

base.py     columns, the table, the area's reach, labels translated once
results.py  summary, organisation results, aggregates, gender indicators, scores by sex
answers.py  raw answers and the codebook; answers_sql.py the raw answers as one SQL query
            (PostgreSQL writes the CSV by COPY)

Every label comes in the export's language: headers through gettext (the caller activates the
language), content through `pick(labels, language)`. Stages come from the one stage rule
(`stage_for`), or from the stored stage the scoring wrote with it. The large tables (organisation
results, results by area, gender indicators, raw answers) also carry their rows as one SQL query
(results_sql.py, answers_sql.py, on the cell rules of sql.py) for the CSV writer's COPY."""

from __future__ import annotations

from collections.abc import Callable

from reports.exports.spec import SEX_SCORES, ExportSpec
from reports.exports.tables.answers import answers_table, codebook_table
from reports.exports.tables.base import (
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    TEXT,
    Column,
    Table,
    area_axis,
    is_value,
    members_q,
)
from reports.exports.tables.results import (
    aggregates_table,
    gender_role_labels,
    gender_table,
    scores_table,
    sex_scores_table,
    summary_table,
)
from reports.models import ExportWhat

BUILDERS: dict[str, Callable[[ExportSpec], Table]] = {
    SEX_SCORES: sex_scores_table,
    ExportWhat.SUMMARY: summary_table,
    ExportWhat.SCORES: scores_table,
    ExportWhat.AGGREGATES: aggregates_table,
    ExportWhat.GENDER: gender_table,
    ExportWhat.ANSWERS: answers_table,
    ExportWhat.CODEBOOK: codebook_table,
}


def table_for(spec: ExportSpec, key: str) -> Table:
    return BUILDERS[key](spec)


__all__ = [
    "DATE",
    "DATETIME",
    "INTEGER",
    "NUMBER",
    "TEXT",
    "Column",
    "Table",
    "area_axis",
    "gender_role_labels",
    "is_value",
    "members_q",
    "table_for",
]
