"""The scoring method page (/reports/method/): the method in the user's language, with a worked
example computed by the engine itself, so the page and the code can never disagree."""

import numpy as np
import pandas as pd
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from readiness.i18n import pick
from reports.models import PriorityClass
from reports.scoring.engine import OVERALL, RoundFrames, answer_values, response_scores
from surveys.models import default_stage_names

EXAMPLE_QUESTIONS = [
    # id, pillar, kind, weight, label, scoring, has_relevant, answer shown
    (1, "tech", "single_choice", 1.0, _("Internet connection"), None, False, _("Slow (0.5)")),
    (
        2,
        "tech",
        "multiple_choice",
        2.0,
        _("Online services"),
        None,
        False,
        _("Website 0.4 + e-mail 0.4 + SMS 0.4 = 1.2, capped at 1"),
    ),
    (3, "tech", "single_choice", 1.0, _("Data backup"), None, False, _("Don't know")),
    (
        4,
        "tech",
        "single_choice",
        1.0,
        _("Level of the digital strategy"),
        None,
        True,
        _("Skipped: the organisation has no strategy"),
    ),
    (
        5,
        "service",
        "integer",
        1.0,
        _("Number of online services"),
        {"thresholds": [[1, 0.5], [5, 1.0]]},
        False,
        _("2 (at least 1: 0.5; at least 5: 1)"),
    ),
    (
        6,
        "service",
        "count_by_sex",
        1.0,
        _("Staff trained in the last 12 months"),
        {"ratio_to": "staff"},
        False,
        _("3 of 12 staff (women + men) = 0.25"),
    ),
]
EXAMPLE_TARGETS = {"tech": 3.5, "service": 3.5}


def _example_questions() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "question_id": qid,
                "code": f"q{qid}",
                "pillar": pillar,
                "kind": kind,
                "weight": weight,
                "thresholds": (scoring or {}).get("thresholds"),
                "ratio_to": (scoring or {}).get("ratio_to"),
                "gender_role": "",
                "has_relevant": relevant,
            }
            for qid, pillar, kind, weight, _label, scoring, relevant, _shown in EXAMPLE_QUESTIONS
        ]
        + [
            {
                "question_id": 7,
                "code": "staff",
                "pillar": "service",
                "kind": "count_by_sex",
                "weight": 1.0,
                "thresholds": None,
                "ratio_to": None,
                "gender_role": "staff",
                "has_relevant": False,
            }
        ]
    )


def _example_choices() -> pd.DataFrame:
    return pd.DataFrame(
        [
            (1, "none", 0.0, False),
            (1, "slow", 0.5, False),
            (1, "fast", 1.0, False),
            (2, "web", 0.4, False),
            (2, "email", 0.4, False),
            (2, "sms", 0.4, False),
            (3, "yes", 1.0, False),
            (3, "dk", np.nan, True),
            (4, "basic", 0.5, False),
        ],
        columns=["question_id", "value", "score", "is_dont_know"],
    )


def _example_answers() -> pd.DataFrame:
    return pd.DataFrame(
        [
            (1, 1, "", np.nan, "slow"),
            (1, 2, "", np.nan, "web"),
            (1, 2, "", np.nan, "email"),
            (1, 2, "", np.nan, "sms"),
            (1, 3, "", np.nan, "dk"),
            (1, 5, "", 2.0, np.nan),
            (1, 6, "F", 2.0, np.nan),
            (1, 6, "M", 1.0, np.nan),
            (1, 7, "F", 5.0, np.nan),
            (1, 7, "M", 7.0, np.nan),
        ],
        columns=["response_id", "question_id", "sex", "number", "choice"],
    )


def example_frames() -> RoundFrames:
    """The method page's worked example: one response, two pillars, every kind of answer."""
    return RoundFrames(
        pillars=pd.DataFrame(
            [
                {"pillar": "tech", "weight": 1.0, "is_enabler": True, "order": 1},
                {"pillar": "service", "weight": 1.0, "is_enabler": False, "order": 2},
            ]
        ),
        questions=_example_questions(),
        choices=_example_choices(),
        responses=pd.DataFrame(
            [{"response_id": 1, "organisation_id": 1, "status": "submitted", "respondent_sex": ""}]
        ),
        answers=_example_answers(),
        targets=EXAMPLE_TARGETS,
    )


def worked_example() -> dict:
    frames = example_frames()
    values = answer_values(frames).set_index("question_id")
    scores = response_scores(frames).set_index("pillar")
    pillar_names = {"tech": _("Technology and solutions"), "service": _("Service delivery")}
    questions = [
        {
            "label": label,
            "pillar": pillar_names[pillar],
            "weight": weight,
            "shown": shown,
            "status": values.loc[qid, "status"],
            "value": values.loc[qid, "value"],
        }
        for qid, pillar, _kind, weight, label, _scoring, _relevant, shown in EXAMPLE_QUESTIONS
    ]
    pillars = [
        {
            "name": pillar_names[code],
            **scores.loc[code].to_dict(),
            "priority_label": PriorityClass(scores.loc[code, "priority_class"]).label,
        }
        for code in ("tech", "service")
    ]
    return {"questions": questions, "pillars": pillars, "overall": scores.loc[OVERALL].to_dict()}


def method(request: HttpRequest) -> HttpResponse:
    stages = [(int(number), pick(names)) for number, names in default_stage_names().items()]
    return render(
        request,
        "reports/method.html",
        {"example": worked_example(), "stages": sorted(stages)},
    )
