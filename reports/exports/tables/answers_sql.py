"""The raw answers as one SQL query whose rows are the CSV's rows, cell for cell, so that
PostgreSQL writes the CSV itself (`COPY (...) TO STDOUT WITH (FORMAT csv)`, see csvzip.py).

Reading a national round's answers into Python and formatting them again cost more than
twice what writing the same rows from memory costs (issue 11's target for the CSV zip). The
query gathers each response's answers into one jsonb object of cells and formats every cell as
the Python path does (`answers.py` and `csvzip.cell`; the rules are in sql.py), which
`tests/reports/exports` compares byte for byte; dates are ISO, datetimes 'YYYY-MM-DD HH:MM' in
the current time zone."""

from __future__ import annotations

import json

from django.utils import timezone

from organisations.models import Organisation, OrganisationKind
from readiness.i18n import pick
from reports.exports.spec import ExportSpec
from reports.exports.tables.base import formula_safe
from reports.exports.tables.sql import Query, number_cell, text_cell
from reports.scoring.engine import SCORED_STATUSES
from surveys.models import AgeBand, Answer, Question, QuestionKind, Response, ResponseStatus, Sex

CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.YES_NO)
NUMBER_KINDS = (QuestionKind.COUNT_BY_SEX, QuestionKind.INTEGER, QuestionKind.DECIMAL)


def _in(kinds) -> str:
    return "(" + ", ".join(f"'{kind.value}'" for kind in kinds) + ")"


# Each answer becomes its cell, keyed "<question id>:<sex>", and a choice also its labels, keyed
# "<question id>:l"; a response's cells are gathered into one jsonb object that the outer select
# reads column by column. (An aggregate per column FILTERed by question and sex was slower than
# the Python path: 150 filters on every answer.) Labels are looked up in a flat map
# {"<question id>:<value>": label}; for a single choice (most answers) in one whose labels are
# already neutralised (formula_safe, in Python, once per choice), without unnesting its array.
# Only constants and column names are formatted into the SQL; values go as parameters.
CHOICE_VALUES = f"""CASE WHEN cardinality(a.choices) = 1 THEN {text_cell("a.choices[1]")}
            ELSE {text_cell("array_to_string(a.choices, ' ')")} END"""
CHOICE_LABELS = f"""CASE WHEN cardinality(a.choices) = 1 THEN NULLIF(COALESCE(
            {{labels_neutral}}::jsonb ->> (a.question_id || ':' || a.choices[1]),
            {text_cell("a.choices[1]")}), '')
        ELSE (SELECT {text_cell("s.labels")} FROM (
            SELECT string_agg(COALESCE({{labels}}::jsonb ->> (a.question_id || ':' || u.v), u.v),
                '; ' ORDER BY u.i) AS labels
            FROM unnest(a.choices) WITH ORDINALITY AS u(v, i)) AS s) END"""  # noqa: S608
ANSWER_CELLS = f"""
SELECT jsonb_object_agg(a.question_id || ':' || a.sex, CASE
        WHEN q.kind IN {_in(NUMBER_KINDS)} THEN {number_cell("a.number")}
        WHEN q.kind IN {_in(CHOICE_KINDS)} THEN {CHOICE_VALUES}
        WHEN q.kind = '{QuestionKind.DATE.value}' THEN to_char(a.date, 'YYYY-MM-DD')
        ELSE {text_cell("a.text")} END)
    || COALESCE(jsonb_object_agg(a.question_id || ':l', {CHOICE_LABELS}) FILTER (
        WHERE q.kind IN {_in(CHOICE_KINDS)} AND a.sex = '' AND cardinality(a.choices) > 0),
        '{{{{}}}}') AS cells
FROM {{answers}} a
JOIN {{questions}} q ON q.id = a.question_id
WHERE a.response_id = r.id"""  # noqa: S608


def _question_keys(question: Question) -> list[str]:
    """The keys of a question's cells, in the order of answers._answer_cells' columns."""
    if question.kind == QuestionKind.COUNT_BY_SEX:
        return [f"{question.pk}:F", f"{question.pk}:M"]
    if question.kind in CHOICE_KINDS:
        return [f"{question.pk}:", f"{question.pk}:l"]
    return [f"{question.pk}:"]


def _choice_labels(spec: ExportSpec, questions: list[Question], neutral: bool) -> str:
    """{"<question id>:<choice value>": label in the export's language}, as JSON; `neutral`:
    each label as the CSV writes a cell of its own (a leading apostrophe before = + - @)."""
    labels = {
        f"{question.pk}:{choice.value}": pick(choice.label, spec.language)
        for question in questions
        if question.kind in CHOICE_KINDS
        for choice in question.choices.all()
    }
    if neutral:
        labels = {key: formula_safe(label) for key, label in labels.items()}
    return json.dumps(labels)


def answers_sql(spec: ExportSpec, questions: list[Question], individual: bool) -> tuple[str, list]:
    """The SELECT (with its parameters) whose rows are the raw answers table's CSV rows."""
    query = Query()  # placeholders are taken in the order they appear in the text
    name = query.name("o.name", spec.language)
    kind = query.label({kind.value: str(kind.label) for kind in OrganisationKind}, "o.kind")
    status = query.label({s.value: str(s.label) for s in ResponseStatus}, "r.status")
    zone = query.param(timezone.get_current_timezone_name())
    sex = query.label({s.value: str(s.label) for s in Sex if s.value}, "r.respondent_sex", "''")
    ages = {band.value: str(band.label) for band in AgeBand}
    age = query.label(ages, "r.respondent_age_band", "''")
    cells_sql = ANSWER_CELLS.format(
        answers=Answer._meta.db_table,
        questions=Question._meta.db_table,
        labels_neutral=query.param(_choice_labels(spec, questions, neutral=True)),
        labels=query.param(_choice_labels(spec, questions, neutral=False)),
    )
    where = (
        f"r.round_id = {query.param(spec.round.pk)} AND r.status IN"
        f" {query.param(tuple(SCORED_STATUSES))} AND {query.members(spec.area)}"
    )
    inner = f"""
SELECT r.id, o.code, {name} AS name, {kind} AS kind, {status} AS status,
    to_char(r.submitted_at AT TIME ZONE {zone}, 'YYYY-MM-DD HH24:MI') AS submitted_at,
    {sex} AS respondent_sex, {age} AS age_band, x.cells
FROM {Response._meta.db_table} r
JOIN {Organisation._meta.db_table} o ON o.id = r.organisation_id
LEFT JOIN LATERAL ({cells_sql}
) x ON true
WHERE {where}"""  # noqa: S608
    cells = ["t.id", *(text_cell(f"t.{c}") for c in ("code", "name", "kind", "status"))]
    cells.append("t.submitted_at")
    if individual:
        cells += [text_cell("t.respondent_sex"), text_cell("t.age_band")]
    cells += [f"t.cells ->> '{key}'" for question in questions for key in _question_keys(question)]
    select = ",\n    ".join(cells)
    return f"SELECT {select}\nFROM ({inner}\n) t\nORDER BY t.id", query.params
