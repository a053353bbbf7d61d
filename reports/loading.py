"""The database side of scoring: one read per table of a round into DataFrames (answers straight
from `COPY`), and the transactional write of results (DELETE + `COPY` inside one transaction).

No ORM loop per response or per answer: 600,000 answers come in as one CSV stream."""

from __future__ import annotations

import io
from collections.abc import Iterable

import pandas as pd
from django.db import connection

from reports.models import AreaAggregate, GenderIndicator, ResponseScore, SexScore
from reports.scoring import SCORED_STATUSES, RoundFrames
from surveys.models import Answer, Choice, Pillar, Question, Response, Round

RESULT_MODELS = {
    "response_scores": ResponseScore,
    "area_aggregates": AreaAggregate,
    "gender_indicators": GenderIndicator,
    "sex_scores": SexScore,
}


def _copy_out(sql: str, params: Iterable, dtypes: dict, **read_options) -> pd.DataFrame:
    """Runs `COPY (sql) TO STDOUT` and parses the CSV with pandas: far faster than fetching
    tuples for hundreds of thousands of rows, and it keeps memory to the final frame."""
    with connection.cursor() as cursor:
        query = cursor.mogrify(sql, list(params)).decode()
        buffer = io.StringIO()
        cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)", buffer)
    buffer.seek(0)
    return pd.read_csv(buffer, dtype=dtypes, keep_default_na=False, na_values=[""], **read_options)


def answers_frame(*, round_id: int, response_ids: list[int] | None = None) -> pd.DataFrame:
    """The answers of a round's submitted and approved responses, one row per chosen value
    (choice questions) or per number; the one big read of the round."""
    answer, response = Answer._meta.db_table, Response._meta.db_table
    only = "AND r.id = ANY(%s)" if response_ids is not None else ""
    sql = f"""
        SELECT a.response_id, a.question_id, a.sex, a.number::float8 AS number, c.value AS choice
        FROM {answer} a
        JOIN {response} r ON r.id = a.response_id
        LEFT JOIN LATERAL unnest(a.choices) AS c(value) ON true
        WHERE r.round_id = %s AND r.status = ANY(%s) {only}
    """  # noqa: S608 - table names come from our models, values are parameters
    params: list = [round_id, list(SCORED_STATUSES)]
    if response_ids is not None:
        params.append(response_ids)
    frame = _copy_out(
        sql,
        params,
        {
            "response_id": "int64",
            "question_id": "int64",
            "sex": "category",
            "number": "float64",
            "choice": "category",
        },
    )
    frame["sex"] = frame["sex"].astype(str).replace("nan", "")
    return frame


def round_frames(*, round_: Round, response_ids: list[int] | None = None) -> RoundFrames:
    """Everything the engine needs for one round (or some of its responses)."""
    version_id = round_.version_id
    pillars = pd.DataFrame(
        Pillar.objects.filter(version_id=version_id).values_list(
            "id", "code", "weight", "is_enabler", "order"
        ),
        columns=["pillar_id", "pillar", "weight", "is_enabler", "order"],
    )
    question_rows = Question.objects.filter(version_id=version_id).values_list(
        "id", "code", "pillar_id", "kind", "weight", "scoring", "gender_role", "relevant"
    )
    questions = pd.DataFrame(
        [
            {
                "question_id": qid,
                "code": code,
                "pillar_id": pillar_id,
                "kind": kind,
                "weight": weight,
                "thresholds": (scoring or {}).get("thresholds"),
                "ratio_to": (scoring or {}).get("ratio_to"),
                "gender_role": gender_role,
                "has_relevant": bool(relevant.strip()),
            }
            for qid, code, pillar_id, kind, weight, scoring, gender_role, relevant in question_rows
        ],
        columns=[
            "question_id",
            "code",
            "pillar_id",
            "kind",
            "weight",
            "thresholds",
            "ratio_to",
            "gender_role",
            "has_relevant",
        ],
    )
    code_of_pillar = dict(zip(pillars["pillar_id"], pillars["pillar"], strict=True))
    questions["pillar"] = questions["pillar_id"].map(code_of_pillar)
    choices = pd.DataFrame(
        Choice.objects.filter(question__version_id=version_id).values_list(
            "question_id", "value", "score", "is_dont_know"
        ),
        columns=["question_id", "value", "score", "is_dont_know"],
    )
    choices["score"] = choices["score"].astype(float)
    responses_qs = Response.objects.filter(round=round_, status__in=SCORED_STATUSES)
    if response_ids is not None:
        responses_qs = responses_qs.filter(pk__in=response_ids)
    responses = pd.DataFrame(
        responses_qs.values_list("id", "organisation_id", "status", "respondent_sex"),
        columns=["response_id", "organisation_id", "status", "respondent_sex"],
    )
    targets = {code: float(value) for code, value in (round_.pillar_targets or {}).items()}
    return RoundFrames(
        pillars=pillars.drop(columns="pillar_id"),
        questions=questions.drop(columns="pillar_id"),
        choices=choices,
        responses=responses,
        answers=answers_frame(round_id=round_.pk, response_ids=response_ids),
        targets=targets,
    )


def organisations_frame() -> pd.DataFrame:
    from organisations.models import Organisation

    return pd.DataFrame(
        Organisation.objects.values_list("id", "path", "line_ministry_id", "kind"),
        columns=["organisation_id", "path", "line_ministry_id", "kind"],
    )


def expected_organisations(round_: Round) -> list[int]:
    return list(round_.targets.values_list("id", flat=True))


# --- writing ---------------------------------------------------------------------------------


def _csv_value(frame: pd.DataFrame, column: str) -> pd.Series:
    """Columns go to CSV as they are: to_csv writes floats with repr precision (a rescore
    writes identical values) and missing values as empty fields, which COPY reads as NULL
    (and as '' for the text columns listed in FORCE_NOT_NULL)."""
    series = frame[column]
    if pd.api.types.is_bool_dtype(series):
        return series.map({True: "t", False: "f"})
    return series


def copy_in(model, frame: pd.DataFrame, constants: dict) -> int:
    """Bulk-writes `frame` (columns named like the model's fields, plus constant columns such
    as the round) with COPY FROM STDIN; empty strings are NULL, so text columns are written
    as quoted values that are never empty (blank text goes in as FORCE_NOT_NULL)."""
    if frame.empty:
        return 0
    columns, text_columns = [], []
    data = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        name = field.attname
        source = name if name in frame.columns else field.name
        if field.name in constants or name in constants:
            value = constants.get(field.name, constants.get(name))
            data[field.column] = value
        elif source in frame.columns:
            data[field.column] = _csv_value(frame, source)
        else:
            continue
        columns.append(field.column)
        if field.get_internal_type() in ("CharField", "TextField"):
            text_columns.append(field.column)
    table = pd.DataFrame(data, index=frame.index)[columns]
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, header=False)
    buffer.seek(0)
    column_list = ", ".join(f'"{column}"' for column in columns)
    not_null = ", ".join(f'"{column}"' for column in text_columns)
    options = "FORMAT csv" + (f", FORCE_NOT_NULL ({not_null})" if not_null else "")
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f'COPY "{model._meta.db_table}" ({column_list}) FROM STDIN WITH ({options})', buffer
        )
    return len(table)


def _stored_columns(model, frame: pd.DataFrame, constants: dict) -> list[tuple[str, str, str]]:
    """(database column, frame column, field type) of the model fields the frame carries,
    in the order copy_in writes them; constant columns (the round) are left out."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in constants or field.attname in constants:
            continue
        source = field.attname if field.attname in frame.columns else field.name
        if source in frame.columns:
            columns.append((field.column, source, field.get_internal_type()))
    return columns


def _comparable(frame: pd.DataFrame, columns: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The frame's stored columns in one spelling for both sides of the comparison: text as
    text ('' for missing), booleans as 't'/'f', numbers as floats (NaN matches NaN)."""
    comparable = {}
    for _, source, kind in columns:
        series = frame[source]
        if kind in ("CharField", "TextField"):
            comparable[source] = series.fillna("").astype(str)
        elif kind == "BooleanField":
            comparable[source] = series.map({True: "t", False: "f", "t": "t", "f": "f"})
        else:
            comparable[source] = pd.to_numeric(series, errors="coerce").astype("float64")
    return pd.DataFrame(comparable, index=frame.index)


# A write of at least this many result rows refreshes the table's planner statistics.
ANALYZE_AFTER_ROWS = 1000


def replace_changed(
    model, frame: pd.DataFrame, constants: dict, *, round_id: int
) -> tuple[int, int]:
    """Makes the round's rows of `model` equal to `frame`, writing only what differs: rows no
    longer produced (or changed) are deleted, rows not yet stored are copied in. The outcome is
    the same as DELETE + COPY of everything, but a rescore after a few submissions rewrites a
    few thousand rows instead of the round's hundreds of thousands. Returns (deleted, inserted).

    Equality is on every stored column; floats come back exactly (PostgreSQL prints the
    shortest exact form, which pandas reads back exactly), so an unchanged row matches."""
    table = model._meta.db_table
    if frame is None or frame.empty:
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{table}" WHERE round_id = %s', [round_id])  # noqa: S608
            return cursor.rowcount, 0
    columns = _stored_columns(model, frame, constants)
    select = ", ".join(f'"{column}" AS "{source}"' for column, source, _ in columns)
    stored = _copy_out(
        f'SELECT id AS "__id", {select} FROM "{table}" WHERE round_id = %s',  # noqa: S608
        [round_id],
        {source: "object" for _, source, kind in columns if kind in ("CharField", "TextField")},
    )
    names = [source for _, source, _ in columns]
    new = _comparable(frame, columns)
    old = _comparable(stored, columns)
    old["__id"] = stored["__id"]
    # Rows of the table that the new results no longer contain exactly: delete them.
    kept = old.merge(new.drop_duplicates(), on=names, how="left", indicator=True)
    stale_ids = kept.loc[kept["_merge"] == "left_only", "__id"].astype("int64").tolist()
    # Rows of the results not stored exactly: copy them in.
    wanted = new.reset_index(names="__row").merge(
        old[names].drop_duplicates(), on=names, how="left", indicator=True
    )
    fresh_rows = wanted.loc[wanted["_merge"] == "left_only", "__row"]
    if stale_ids:
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{table}" WHERE id = ANY(%s)', [stale_ids])  # noqa: S608
    inserted = copy_in(model, frame.loc[fresh_rows], constants) if len(fresh_rows) else 0
    if len(stale_ids) + inserted >= ANALYZE_AFTER_ROWS:
        # Fresh statistics for the dashboards' reads: with stale ones (a first scoring, or a
        # server whose autovacuum is off or behind) PostgreSQL scanned a whole round's
        # aggregates to find 18 provinces (33 ms instead of 0.1 ms on the national round).
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{table}"')
    return len(stale_ids), inserted
