"""Every change of a response's status: submit, approve, return, reopen, the anonymous submit
of an individual questionnaire and the import of a response, each through `_status_set`, the
one place that sets the history's user, bumps the lock version and schedules the scoring.

Each transition locks the response row (`select_for_update`) and checks its status under the
lock, so a double click, a second tab or two reviewers at once make one transition. Review
comments and their rules are in surveys/services/review.py; the e-mails to focal points go
through a task scheduled after commit (surveys/notifications.py)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.dispatch import enqueue_response_scoring
from reports.scoring.engine import SCORED_STATUSES
from reports.scoring.services import response_scores_withdraw
from surveys.dispatch import enqueue_review_email
from surveys.models import Pillar, Question, Response, ResponseStatus, RoundStatus
from surveys.selectors.answers import answers_load, answers_validate, version_questions
from surveys.services.answers import response_is_editable
from surveys.services.history import IMPORTED
from surveys.services.review import (
    ReviewError,
    comment_clean,
    reopen_comment_add,
    return_comments_add,
)

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


def _status_set(
    response: Response,
    status: str,
    *,
    user: AbstractBaseUser | None,
    reason: str | None = None,
    **fields: object,
) -> None:
    """The one place a response's status changes: the status and the fields that go with it,
    the lock version bumped (a page loaded before the change is refused, never saved over it),
    the user (and `reason`, e.g. an import's) of the history record, one save. Then the
    scoring, sent after commit: a response in the results (submitted, approved) is scored; one
    that leaves them (returned) loses its scores in this transaction and its round is
    aggregated again without it."""
    leaves = response.status in SCORED_STATUSES and status not in SCORED_STATUSES
    response.status = status
    for name, value in fields.items():
        setattr(response, name, value)
    response.lock_version += 1
    response._history_user = user if user is not None and user.is_authenticated else None
    response._change_reason = reason
    response.save(update_fields=["status", *fields, "lock_version", "updated_at"])
    if leaves:
        response_scores_withdraw(response_id=response.pk)
    enqueue_response_scoring(response.pk)


def _locked(response_id: int) -> Response:
    return (
        Response.objects.select_for_update(of=("self",))
        .select_related("round__version", "organisation")
        .get(pk=response_id)
    )


@transaction.atomic
def response_submit(
    *, response: Response, user: AbstractBaseUser, lock_version: int | None = None
) -> Response:
    """Submits once. The row lock makes a double click, a resubmitted form and a second tab
    wait for the first submit and then find the response submitted (AlreadySubmitted)."""
    response = _locked(response.pk)
    if response.status in (ResponseStatus.SUBMITTED, ResponseStatus.APPROVED):
        raise AlreadySubmitted
    if not response_is_editable(response):
        raise NotSubmittable
    if lock_version is not None and lock_version != response.lock_version:
        raise StaleCheck
    issues = response_issues(response)
    if issues:
        raise ResponseIncomplete(issues)
    _status_set(
        response,
        ResponseStatus.SUBMITTED,
        user=user,
        submitted_at=timezone.now(),
        submitted_by=user,
    )
    return response


def individual_response_submit(*, response: Response) -> Response:
    """Submits an anonymous response of an individual questionnaire, its answers written, in
    the caller's transaction (no account: the history has no user)."""
    response = _locked(response.pk)
    _status_set(response, ResponseStatus.SUBMITTED, user=None, submitted_at=timezone.now())
    return response


def imported_response_submit(
    *,
    response: Response,
    user: AbstractBaseUser | None,
    external_id: str,
    answers_changed: bool,
) -> list[str]:
    """An imported row's response, its answers written (in the import's transaction): marked
    submitted unless it is, its submission id recorded, scored when anything changed. Returns
    the names of the response's fields that changed."""
    fields: dict[str, object] = {}
    if external_id and response.external_id != external_id:
        fields["external_id"] = external_id
    if response.status != ResponseStatus.SUBMITTED:
        submitter = user if user is not None and user.is_authenticated else None
        fields.update(submitted_at=timezone.now(), submitted_by=submitter)
        _status_set(response, ResponseStatus.SUBMITTED, user=user, reason=IMPORTED, **fields)
        return ["status", *fields]
    if fields:
        for name, value in fields.items():
            setattr(response, name, value)
        response._history_user = user
        response._change_reason = IMPORTED
        response.save(update_fields=[*fields, "updated_at"])
    if fields or answers_changed:
        enqueue_response_scoring(response.pk)
    return list(fields)


def _require_open_round(response: Response) -> None:
    """A returned response in a closed round could be neither edited nor submitted again."""
    if response.round.status != RoundStatus.OPEN:
        raise ReviewError(
            _(
                "The round is closed, so the focal points could not change this response. "
                "Reopen the round first, then return the response."
            )
        )


@transaction.atomic
def response_approve(*, response_id: int, user: AbstractBaseUser) -> tuple[Response, bool]:
    """Approves a submitted response. Returns (response, changed): approving an approved
    response again changes nothing, sends nothing and says so. Raises ReviewError."""
    response = _locked(response_id)
    if response.status == ResponseStatus.APPROVED:
        return response, False
    if response.status != ResponseStatus.SUBMITTED:
        raise ReviewError(_("Only a submitted response can be approved."))
    _status_set(
        response, ResponseStatus.APPROVED, user=user, reviewed_at=timezone.now(), reviewed_by=user
    )
    response.review_comments.filter(resolved=False).update(resolved=True)
    enqueue_review_email(response.pk, "approved")
    return response, True


@transaction.atomic
def response_return(
    *,
    response_id: int,
    user: AbstractBaseUser,
    comment: str,
    question_comments: Mapping[int, str] | None = None,
) -> Response:
    """Returns a submitted response to its focal points with a general comment and optional
    comments on single questions (question id → text); it leaves the results at once. Raises
    ReviewError."""
    comment = comment_clean(comment)
    if not comment:
        raise ReviewError(_("Say what must be changed: the comment is required."))
    response = _locked(response_id)
    if response.status == ResponseStatus.APPROVED:
        raise ReviewError(
            _("This response is approved and cannot be returned. An administrator can reopen it.")
        )
    if response.status != ResponseStatus.SUBMITTED:
        raise ReviewError(_("Only a submitted response can be returned."))
    _require_open_round(response)
    return_comments_add(
        response=response, user=user, comment=comment, question_comments=question_comments
    )
    _back_to_focal_points(response, user=user, comment=comment, email="returned")
    return response


@transaction.atomic
def response_reopen(*, response_id: int, user: AbstractBaseUser, reason: str) -> Response:
    """An administrator reopens an approved response: it goes back to *returned* (so the focal
    points can edit and submit it again, and it goes through review again), the reason is kept
    as a comment of kind "reopen" with its author and time, and the focal points are told.
    Raises ReviewError."""
    reason = comment_clean(reason)
    if not reason:
        raise ReviewError(_("Give the reason for reopening."))
    response = _locked(response_id)
    if response.status != ResponseStatus.APPROVED:
        raise ReviewError(_("Only an approved response can be reopened."))
    _require_open_round(response)
    reopen_comment_add(response=response, user=user, reason=reason)
    _back_to_focal_points(response, user=user, comment=reason, email="reopened")
    return response


def _back_to_focal_points(
    response: Response, *, user: AbstractBaseUser, comment: str, email: str
) -> None:
    """A return or a reopening: *returned* with the reviewer's comment, and the focal points
    told by the e-mail of that kind ("returned", "reopened")."""
    _status_set(
        response,
        ResponseStatus.RETURNED,
        user=user,
        review_comment=comment,
        reviewed_at=timezone.now(),
        reviewed_by=user,
    )
    enqueue_review_email(response.pk, email)
