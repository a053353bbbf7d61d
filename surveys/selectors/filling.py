"""Reads for focal points: the responses they fill and how far each has got."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from organisations.access import roles_of
from organisations.models import Role
from surveys.answers.cleaning import values_of_rows
from surveys.answers.rules import progress_by_pillar
from surveys.models import Answer, Response, RoundStatus
from surveys.selectors.answers import answers_load, version_questions

# Focal points -----------------------------------------------------------------------------


@dataclass
class ResponseProgress:
    response: Response
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def response_progress(
    response: Response, questions: list | None = None, answer_rows: Iterable[Answer] | None = None
) -> ResponseProgress:
    """How far the response has got; `answer_rows` are its stored rows when already loaded."""
    questions = questions if questions is not None else version_questions(response.round.version)
    if answer_rows is None:
        values = answers_load(response, questions)
    else:
        values = values_of_rows(questions, answer_rows)
    by_pillar = progress_by_pillar(questions, values)
    answered = sum(done for done, _total in by_pillar.values())
    total = sum(total for _done, total in by_pillar.values())
    return ResponseProgress(response=response, answered=answered, total=total)


def responses_to_fill(user: AbstractBaseUser) -> QuerySet[Response]:
    """Responses of the open rounds of the user's own organisations (focal point role)."""
    own = [a.organisation_id for a in roles_of(user) if a.role == Role.FOCAL_POINT]
    return (
        Response.objects.filter(
            organisation_id__in=own, is_individual=False, round__status=RoundStatus.OPEN
        )
        .select_related("round__version", "organisation")
        .order_by("round__closes_on", "organisation__code")
    )


def my_questionnaires(user: AbstractBaseUser) -> list[ResponseProgress]:
    questions_by_version: dict[int, list] = {}
    rows = []
    # Answers in one query for all the responses: a focal point may hold many organisations.
    for response in responses_to_fill(user).prefetch_related("answers"):
        version = response.round.version
        if version.pk not in questions_by_version:
            questions_by_version[version.pk] = version_questions(version)
        questions = questions_by_version[version.pk]
        rows.append(response_progress(response, questions, response.answers.all()))
    return rows


def focal_point_sections(user: AbstractBaseUser) -> list[dict]:
    if not any(a.role == Role.FOCAL_POINT for a in roles_of(user)):
        return []
    return [
        {
            "template": "surveys/filling/_home_section.html",
            "context": {"rows": my_questionnaires(user)},
        }
    ]
