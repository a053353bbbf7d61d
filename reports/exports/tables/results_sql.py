"""The organisation results, the results by area and the gender indicators as SQL queries
whose rows are the CSV's rows, cell for cell (rules in sql.py), so that PostgreSQL writes
their CSV by COPY as it does the raw answers (answers_sql.py). Each mirrors its table in
results.py column for column; `tests/reports/exports/test_export_csv_copy.py` compares the
two byte for byte. Stages are the ones the scoring stored (reports.scoring.stage_of)."""

from __future__ import annotations

import json

from organisations.models import Organisation
from reports.exports.spec import ExportSpec
from reports.exports.tables.base import INTEGER, NUMBER, TEXT, Labels
from reports.exports.tables.sql import Query, code_order, formatted_select
from reports.models import AreaAggregate, Axis, GenderIndicator, ResponseScore
from surveys.models import AgeBand, Response, Sex

ORGANISATIONS = Organisation._meta.db_table
AREA_ORDER = (code_order("a.axis"), code_order("o.path"))
# A response's result for one pillar: (column of ResponseScore, alias in the pivot).
PILLAR_CELLS = (("score", "score"), ("stage", "stage"), ("gap", "gap"), ("priority_class", "class"))


def _stage_name(query: Query, labels: Labels, column: str) -> str:
    names = {str(stage): name for stage, name in labels.stage_names.items()}
    return query.label(names, f"{column}::text", "''")


def _priority(query: Query, labels: Labels, column: str) -> str:
    names = {code: name for code, name in labels.priorities.items() if code}
    return query.label(names, column, "''")


def scores_sql(spec: ExportSpec, codes: list[str], individual: bool) -> tuple[str, list]:
    """Organisation results: one row per scored response, five cells per pillar of `codes`
    (score, stage, stage name, gap, priority), ordered by the organisation's place in the
    tree."""
    query, labels = Query(), Labels(spec)
    cells = [
        (INTEGER, "x.response_id"),
        (TEXT, "o.code"),
        (TEXT, query.name("o.name", spec.language)),
        (TEXT, query.label(labels.kinds, "o.kind")),
        (TEXT, query.label(labels.statuses, "r.status")),
    ]
    if individual:
        sexes = {s.value: str(s.label) for s in Sex if s.value}
        ages = {band.value: str(band.label) for band in AgeBand}
        cells += [
            (TEXT, query.label(sexes, "r.respondent_sex", "''")),
            (TEXT, query.label(ages, "r.respondent_age_band", "''")),
        ]
    for index in range(len(codes)):
        cells += [
            (NUMBER, f"x.score_{index}"),
            (INTEGER, f"x.stage_{index}"),
            (TEXT, _stage_name(query, labels, f"x.stage_{index}")),
            (NUMBER, f"x.gap_{index}"),
            (TEXT, _priority(query, labels, f"x.class_{index}")),
        ]
    by_pillar = ", ".join(
        f"max(s.{column}) FILTER (WHERE s.pillar = {query.param(code)}) AS {alias}_{index}"
        for index, code in enumerate(codes)
        for column, alias in PILLAR_CELLS
    )
    source = f"""FROM (SELECT s.response_id, s.organisation_id, {by_pillar}
    FROM {ResponseScore._meta.db_table} s JOIN {ORGANISATIONS} o ON o.id = s.organisation_id
    WHERE s.round_id = {query.param(spec.round.pk)} AND {query.members(spec.area)}
    GROUP BY s.response_id, s.organisation_id) x
JOIN {Response._meta.db_table} r ON r.id = x.response_id
JOIN {ORGANISATIONS} o ON o.id = x.organisation_id"""  # noqa: S608
    return formatted_select(cells, source, [code_order("o.path"), "x.response_id"]), query.params


def _area_where(query: Query, spec: ExportSpec) -> str:
    """results._area_results in SQL: the nodes of the area (tree axis) and the ministries in it
    (sector axis)."""
    return (
        f"a.round_id = {query.param(spec.round.pk)}"
        f" AND (a.axis = '{Axis.TREE.value}' AND {query.members(spec.area)}"
        f" OR a.axis = '{Axis.SECTOR.value}' AND o.path LIKE {query.param(spec.area.path + '%')})"
    )


def _area_cells(query: Query, spec: ExportSpec, labels: Labels) -> list[tuple[str, str]]:
    """Axis, area code, area name, kind: the first cells of every table of area results."""
    return [
        (TEXT, query.label(labels.axes, "a.axis")),
        (TEXT, "o.code"),
        (TEXT, query.name("o.name", spec.language)),
        (TEXT, query.label(labels.kinds, "o.kind")),
    ]


def aggregates_sql(spec: ExportSpec, pillar_labels: dict[str, str]) -> tuple[str, list]:
    """Results by area and ministry: one row per area and pillar, pillars in the
    questionnaire's order (`pillar_labels`' order, the overall first) within each area."""
    query, labels = Query(), Labels(spec)
    cells = [
        *_area_cells(query, spec, labels),
        (INTEGER, "o.depth - 1"),
        (TEXT, "a.pillar"),
        (TEXT, query.label(pillar_labels, "a.pillar")),
        (INTEGER, "a.n"),
        *((NUMBER, f"a.{column}") for column in ("mean", "median", "minimum", "maximum")),
        (INTEGER, "a.stage"),
        (TEXT, _stage_name(query, labels, "a.stage")),
        *((NUMBER, f"a.{column}") for column in ("target", "gap", "enabler_readiness")),
        (TEXT, _priority(query, labels, "a.priority_class")),
        (NUMBER, "a.priority"),
        *((INTEGER, f"a.{column}") for column in ("expected", "submitted", "approved")),
        (NUMBER, "CASE WHEN a.expected <> 0 THEN a.submitted::float8 / a.expected END"),
        (NUMBER, "a.dont_know_share"),
    ]
    order = {code: index for index, code in enumerate(pillar_labels)}
    position = f"COALESCE(({query.param(json.dumps(order))}::jsonb ->> a.pillar)::int, 99)"
    source = f"""FROM {AreaAggregate._meta.db_table} a
JOIN {ORGANISATIONS} o ON o.id = a.organisation_id
WHERE {_area_where(query, spec)}"""
    return formatted_select(cells, source, [*AREA_ORDER, position, "a.pillar"]), (query.params)


def gender_sql(spec: ExportSpec, roles: dict[str, str]) -> tuple[str, list]:
    """Gender indicators: one row per area and gender role (`roles`: {role: its name})."""
    query, labels = Query(), Labels(spec)
    cells = [
        *_area_cells(query, spec, labels),
        (TEXT, "a.gender_role"),
        (TEXT, query.label(roles, "a.gender_role")),
        (INTEGER, "a.responses"),
        *((NUMBER, column) for column in ("a.women", "a.men", "a.women + a.men")),
        (NUMBER, "a.female_share"),
        (NUMBER, "a.parity_index"),
    ]
    source = f"""FROM {GenderIndicator._meta.db_table} a
JOIN {ORGANISATIONS} o ON o.id = a.organisation_id
WHERE {_area_where(query, spec)}"""
    return formatted_select(cells, source, [*AREA_ORDER, code_order("a.gender_role")]), query.params
