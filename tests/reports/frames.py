"""Small builders of the engine's input DataFrames, so hand-computed cases read like the
questionnaire they describe."""

import numpy as np
import pandas as pd

from reports.scoring.engine import RoundFrames


def pillars(*specs) -> pd.DataFrame:
    """specs: (code, weight, is_enabler)."""
    return pd.DataFrame(
        [
            {"pillar": c, "weight": w, "is_enabler": e, "order": i}
            for i, (c, w, e) in enumerate(specs)
        ]
    )


def question(
    qid,
    code,
    pillar,
    kind,
    *,
    weight=1.0,
    thresholds=None,
    ratio_to=None,
    gender_role="",
    relevant=False,
) -> dict:
    return {
        "question_id": qid,
        "code": code,
        "pillar": pillar,
        "kind": kind,
        "weight": weight,
        "thresholds": thresholds,
        "ratio_to": ratio_to,
        "gender_role": gender_role,
        "has_relevant": relevant,
    }


def choice(qid, value, score, dont_know=False) -> dict:
    return {
        "question_id": qid,
        "value": value,
        "score": np.nan if score is None else score,
        "is_dont_know": dont_know,
    }


def chosen(rid, qid, *values) -> list[dict]:
    """An answer with these chosen values (no values: an empty selection)."""
    if not values:
        return [
            {"response_id": rid, "question_id": qid, "sex": "", "number": np.nan, "choice": np.nan}
        ]
    return [
        {"response_id": rid, "question_id": qid, "sex": "", "number": np.nan, "choice": v}
        for v in values
    ]


def number(rid, qid, value, sex="") -> list[dict]:
    return [
        {
            "response_id": rid,
            "question_id": qid,
            "sex": sex,
            "number": float(value),
            "choice": np.nan,
        }
    ]


def by_sex(rid, qid, women, men) -> list[dict]:
    return number(rid, qid, women, "F") + number(rid, qid, men, "M")


def response(rid, organisation_id=None, status="submitted", sex="") -> dict:
    return {
        "response_id": rid,
        "organisation_id": organisation_id or 1000 + rid,
        "status": status,
        "respondent_sex": sex,
    }


def organisation(oid, path, kind="other", line_ministry_id=None) -> dict:
    return {
        "organisation_id": oid,
        "path": path,
        "kind": kind,
        "line_ministry_id": line_ministry_id,
    }


def frames(
    *,
    pillar_specs,
    questions,
    choices=(),
    responses,
    answers,
    targets=None,
    organisations=None,
    expected=(),
) -> RoundFrames:
    answer_rows = [row for group in answers for row in group]
    return RoundFrames(
        pillars=pillars(*pillar_specs),
        questions=pd.DataFrame(questions),
        choices=pd.DataFrame(
            list(choices), columns=["question_id", "value", "score", "is_dont_know"]
        ),
        responses=pd.DataFrame(responses),
        answers=pd.DataFrame(
            answer_rows, columns=["response_id", "question_id", "sex", "number", "choice"]
        ),
        targets=targets or {},
        organisations=pd.DataFrame(organisations) if organisations else None,
        expected=list(expected),
    )
