"""The raw answers as one SQL query whose rows are the CSV's rows, cell for cell, so that
PostgreSQL writes the CSV itself (`COPY (...) TO STDOUT WITH (FORMAT csv)`, see csvzip.py).

Reading a national round's answers into Python and formatting them again cost more than
twice what writing the same rows from memory costs (issue 11's target for the CSV zip). The
query pivots the answers of each response into one row (an aggregate per column, FILTERed
by question and sex, over the response's own answers) and formats every cell as the Python
path does (`answers.py` and `csvzip.cell`), which `tests/reports/exports` compares cell for cell:
- text: as it is, with a leading apostrophe when it begins with = + - @, a tab or a carriage
  return (a spreadsheet would run it as a formula), and NULL rather than '' (COPY writes ''
  as a quoted "" and NULL as an empty field, which is what the csv module writes for both);
- numbers: Python's repr of the float: a whole number gets ".0" (3.0), others the shortest
  text that reads back to the same double (PostgreSQL 12+ with extra_float_digits >= 1);
- dates ISO, datetimes 'YYYY-MM-DD HH:MM' in the current time zone;
- labels in the export's language, passed in as JSON maps {value: label} built in Python."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import timezone

from organisations.models import Organisation, OrganisationKind
from readiness.i18n import pick
from reports.exports.spec import ExportSpec
from reports.exports.tables.base import FORMULA_STARTS, formula_safe
from reports.scoring.engine import SCORED_STATUSES
from surveys.models import AgeBand, Answer, Question, QuestionKind, Response, ResponseStatus, Sex

CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.YES_NO)
NUMBER_KINDS = (QuestionKind.COUNT_BY_SEX, QuestionKind.INTEGER, QuestionKind.DECIMAL)
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
            %s::jsonb ->> (a.question_id || ':' || a.choices[1]), {text_cell("a.choices[1]")}), '')
        ELSE (SELECT {text_cell("s.labels")} FROM (
            SELECT string_agg(COALESCE(%s::jsonb ->> (a.question_id || ':' || u.v), u.v), '; '
                ORDER BY u.i) AS labels
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


def _name_sql(language: str) -> tuple[str, list]:
    """readiness.i18n.pick in SQL: the language's label, else the first content language that
    has one, else any non-empty label (in the stored order, as psycopg2 hands it to pick)."""
    languages = [language, *settings.CONTENT_LANGUAGES]
    firsts = ", ".join("NULLIF(o.name ->> %s, '')" for _ in languages)
    fallback = "(SELECT e.v FROM jsonb_each_text(o.name) AS e(k, v) WHERE e.v <> '' LIMIT 1)"
    return f"COALESCE({firsts}, {fallback}, '')", languages


def answers_sql(spec: ExportSpec, questions: list[Question], individual: bool) -> tuple[str, list]:
    """The SELECT (with its parameters) whose rows are the raw answers table's CSV rows."""
    name, name_params = _name_sql(spec.language)
    kinds = json.dumps({kind.value: str(kind.label) for kind in OrganisationKind})
    statuses = json.dumps({status.value: str(status.label) for status in ResponseStatus})
    sexes = json.dumps({sex.value: str(sex.label) for sex in Sex if sex.value})
    ages = json.dumps({band.value: str(band.label) for band in AgeBand})
    member = "o.path LIKE %s"
    member_params: list = [spec.area.path + "%"]
    if spec.area.kind == OrganisationKind.MINISTRY:
        member = f"({member} OR o.line_ministry_id = %s)"
        member_params.append(spec.area.pk)
    cells_sql = ANSWER_CELLS.format(
        answers=Answer._meta.db_table, questions=Question._meta.db_table
    )
    inner = f"""
SELECT r.id, o.code, {name} AS name,
    COALESCE(%s::jsonb ->> o.kind, o.kind) AS kind,
    COALESCE(%s::jsonb ->> r.status, r.status) AS status,
    to_char(r.submitted_at AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI') AS submitted_at,
    COALESCE(%s::jsonb ->> r.respondent_sex, '') AS respondent_sex,
    COALESCE(%s::jsonb ->> r.respondent_age_band, '') AS age_band,
    x.cells
FROM {Response._meta.db_table} r
JOIN {Organisation._meta.db_table} o ON o.id = r.organisation_id
LEFT JOIN LATERAL ({cells_sql}
) x ON true
WHERE r.round_id = %s AND r.status IN %s AND {member}"""  # noqa: S608
    params = [
        *name_params,
        kinds,
        statuses,
        timezone.get_current_timezone_name(),
        sexes,
        ages,
        _choice_labels(spec, questions, neutral=True),
        _choice_labels(spec, questions, neutral=False),
        spec.round.pk,
        tuple(SCORED_STATUSES),
        *member_params,
    ]
    cells = ["t.id", *(text_cell(f"t.{c}") for c in ("code", "name", "kind", "status"))]
    cells.append("t.submitted_at")
    if individual:
        cells += [text_cell("t.respondent_sex"), text_cell("t.age_band")]
    cells += [f"t.cells ->> '{key}'" for question in questions for key in _question_keys(question)]
    select = ",\n    ".join(cells)
    return f"SELECT {select}\nFROM ({inner}\n) t\nORDER BY t.id", params
