"""Review of submitted responses: approve, return with comments, reopen. Each tells the focal
points by e-mail through a task scheduled after commit (surveys/notifications.py).

Every transition locks the response row (`select_for_update`) and checks its status under the
lock, so two reviewers clicking at once, or one double click, make one transition."""

import logging
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.dispatch import enqueue_response_scoring
from surveys.dispatch import enqueue_review_email
from surveys.models import (
    Question,
    Response,
    ResponseStatus,
    ReviewComment,
    ReviewCommentKind,
    RoundStatus,
)

logger = logging.getLogger(__name__)

# A comment is read by people, not stored as a document: this bounds abuse, not real use.
COMMENT_MAX_LENGTH = 5000


class ReviewError(Exception):
    """A transition that the response's current status does not allow; the message is for
    the user (translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked(response_id: int) -> Response:
    return (
        Response.objects.select_for_update(of=("self",))
        .select_related("round", "organisation")
        .get(pk=response_id)
    )


def _withdraw_scores(response_id: int) -> None:
    """A returned or reopened response leaves the results at once (its score rows go in this
    transaction) and the round's aggregates are recomputed without it."""
    from reports.scoring.services import response_scores_withdraw

    response_scores_withdraw(response_id=response_id)
    enqueue_response_scoring(response_id)


def _require_open_round(response: Response) -> None:
    """A returned response in a closed round could be neither edited nor submitted again."""
    if response.round.status != RoundStatus.OPEN:
        raise ReviewError(
            _(
                "The round is closed, so the focal points could not change this response. "
                "Reopen the round first, then return the response."
            )
        )


def _clean_comment(text: str) -> str:
    return (text or "").strip()[:COMMENT_MAX_LENGTH]


@transaction.atomic
def response_approve(*, response_id: int, user: AbstractBaseUser) -> tuple[Response, bool]:
    """Approves a submitted response. Returns (response, changed): approving an approved
    response again changes nothing, sends nothing and says so."""
    response = _locked(response_id)
    if response.status == ResponseStatus.APPROVED:
        return response, False
    if response.status != ResponseStatus.SUBMITTED:
        raise ReviewError(_("Only a submitted response can be approved."))
    response.status = ResponseStatus.APPROVED
    response.reviewed_at = timezone.now()
    response.reviewed_by = user
    response._history_user = user
    response.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    response.review_comments.filter(resolved=False).update(resolved=True)
    enqueue_response_scoring(response.pk)
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
    comments on single questions (question id → text). Earlier comments are marked resolved,
    so the filling screen shows only those of this return."""
    comment = _clean_comment(comment)
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
    wanted = {int(pk): _clean_comment(text) for pk, text in (question_comments or {}).items()}
    wanted = {pk: text for pk, text in wanted.items() if text}
    questions = Question.objects.filter(version_id=response.round.version_id, pk__in=wanted)
    if len(questions) != len(wanted):
        raise ReviewError(_("A comment refers to a question that is not in this questionnaire."))
    response.review_comments.filter(resolved=False).update(resolved=True)
    ReviewComment.objects.bulk_create(
        [ReviewComment(response=response, text=comment, author=user)]
        + [
            ReviewComment(
                response=response, question=question, text=wanted[question.pk], author=user
            )
            for question in questions
        ]
    )
    response.status = ResponseStatus.RETURNED
    response.review_comment = comment
    response.reviewed_at = timezone.now()
    response.reviewed_by = user
    response._history_user = user
    response.save(
        update_fields=["status", "review_comment", "reviewed_at", "reviewed_by", "updated_at"]
    )
    _withdraw_scores(response.pk)
    enqueue_review_email(response.pk, "returned")
    return response


@transaction.atomic
def response_reopen(*, response_id: int, user: AbstractBaseUser, reason: str) -> Response:
    """An administrator reopens an approved response: it goes back to *returned* (so the focal
    points can edit and submit it again, and it goes through review again), the reason is kept
    as a comment of kind "reopen" with its author and time, and the focal points are told."""
    reason = _clean_comment(reason)
    if not reason:
        raise ReviewError(_("Give the reason for reopening."))
    response = _locked(response_id)
    if response.status != ResponseStatus.APPROVED:
        raise ReviewError(_("Only an approved response can be reopened."))
    _require_open_round(response)
    response.review_comments.filter(resolved=False).update(resolved=True)
    ReviewComment.objects.create(
        response=response, text=reason, author=user, kind=ReviewCommentKind.REOPEN
    )
    response.status = ResponseStatus.RETURNED
    response.review_comment = reason
    response.reviewed_at = timezone.now()
    response.reviewed_by = user
    response._history_user = user
    response.save(
        update_fields=["status", "review_comment", "reviewed_at", "reviewed_by", "updated_at"]
    )
    _withdraw_scores(response.pk)
    enqueue_review_email(response.pk, "reopened")
    return response


def review_comment_texts(values: Iterable[tuple[str, str]]) -> dict[int, str]:
    """Per-question comments posted as `comment_<question id>` fields → {question id: text}.
    Unknown or malformed names are ignored (a tampered form cannot raise)."""
    comments: dict[int, str] = {}
    for name, text in values:
        if not name.startswith("comment_"):
            continue
        key = name.removeprefix("comment_")
        if key.isdigit() and len(key) < 19 and text.strip():
            comments[int(key)] = text
    return comments
