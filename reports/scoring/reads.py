"""The read side of scoring: one read per table of a round into the engine's `RoundFrames`
(answers straight from `COPY`). The write of results is reports/scoring/writes.py.

No ORM loop per response or per answer: 600,000 answers come in as one CSV stream."""

from __future__ import annotations

import io
from collections.abc import Iterable

import pandas as pd
from django.db import connection

from reports.scoring.engine import SCORED_STATUSES, RoundFrames
from surveys.models import Answer, Choice, Pillar, Question, Response, Round


def copy_out(sql: str, params: Iterable, dtypes: dict, **read_options) -> pd.DataFrame:
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
    frame = copy_out(
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
    questions = _questions_frame(version_id)
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


def _questions_frame(version_id: int) -> pd.DataFrame:
    """The version's questions, one row each, their number rule split into its two columns."""
    question_rows = Question.objects.filter(version_id=version_id).values_list(
        "id", "code", "pillar_id", "kind", "weight", "scoring", "gender_role", "relevant"
    )
    return pd.DataFrame(
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


def organisations_frame() -> pd.DataFrame:
    from organisations.models import Organisation

    return pd.DataFrame(
        Organisation.objects.values_list("id", "path", "line_ministry_id", "kind"),
        columns=["organisation_id", "path", "line_ministry_id", "kind"],
    )


def expected_organisations(round_: Round) -> list[int]:
    return list(round_.targets.values_list("id", flat=True))
