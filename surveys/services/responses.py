"""The life of a response on the focal point's side: the final check and the submission."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reports.dispatch import enqueue_response_scoring
from surveys.models import Pillar, Question, Response, ResponseStatus
from surveys.selectors.answers import answers_load, answers_validate, version_questions
from surveys.services.answers import response_is_editable

logger = logging.getLogger(__name__)


class AlreadySubmitted(Exception):
    """A second submit (double click, second tab, resubmitted form): nothing happens."""


class NotSubmittable(Exception):
    """The round is closed or the response is not a draft or returned."""


class StaleCheck(Exception):
    """Answers changed after the check page was shown: the user must look again."""


class ResponseIncomplete(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(issues)
        self.issues = issues


@dataclass
class Issue:
    """One missing or invalid answer, with where to find it."""

    pillar: Pillar
    question: Question
    messages: list[str]


def response_issues(response: Response) -> list[Issue]:
    """Everything missing or invalid across the pillars, in questionnaire order."""
    questions = version_questions(response.round.version)
    stored = answers_load(response, questions)
    errors = answers_validate(
        version=response.round.version,
        pillar=None,
        values=stored,
        all_values=stored,
        questions=questions,
    )
    return [
        Issue(pillar=question.pillar, question=question, messages=errors[question.code])
        for question in questions
        if question.code in errors
    ]


@transaction.atomic
def response_submit(
    *, response: Response, user: AbstractBaseUser, lock_version: int | None = None
) -> Response:
    """Submits once. The row lock makes a double click, a resubmitted form and a second tab
    wait for the first submit and then find the response submitted (AlreadySubmitted)."""
    response = (
        Response.objects.select_for_update().select_related("round__version").get(pk=response.pk)
    )
    if response.status in (ResponseStatus.SUBMITTED, ResponseStatus.APPROVED):
        raise AlreadySubmitted
    if not response_is_editable(response):
        raise NotSubmittable
    if lock_version is not None and lock_version != response.lock_version:
        raise StaleCheck
    issues = response_issues(response)
    if issues:
        raise ResponseIncomplete(issues)
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = timezone.now()
    response.submitted_by = user
    response.lock_version += 1
    response._history_user = user
    response.save(
        update_fields=["status", "submitted_at", "submitted_by", "lock_version", "updated_at"]
    )
    enqueue_response_scoring(response.pk)
    return response
