"""Review comments: the general comment and the comments on single questions of a return, the
reason of a reopening, and their rules. The transitions themselves (approve, return, reopen)
are in surveys/services/responses.py, with every other change of a response's status."""

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from surveys.models import Question, Response, ReviewComment, ReviewCommentKind

# A comment is read by people, not stored as a document: this bounds abuse, not real use.
COMMENT_MAX_LENGTH = 5000


class ReviewError(Exception):
    """A transition that the response's current status does not allow, or a comment that
    cannot be kept; the message is for the user (translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def comment_clean(text: str) -> str:
    """The comment as kept: without surrounding blanks, at most COMMENT_MAX_LENGTH characters
    (the form refuses longer ones before this)."""
    return (text or "").strip()[:COMMENT_MAX_LENGTH]


def return_comments_add(
    *,
    response: Response,
    user: AbstractBaseUser,
    comment: str,
    question_comments: Mapping[int, str] | None = None,
) -> None:
    """The comments of a return: the general one and those on single questions (question id →
    text). Earlier comments are marked resolved, so the filling screen shows only those of this
    return. Raises ReviewError (nothing written) for a question not in the questionnaire."""
    wanted = {int(pk): comment_clean(text) for pk, text in (question_comments or {}).items()}
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


def reopen_comment_add(*, response: Response, user: AbstractBaseUser, reason: str) -> None:
    """The reason of a reopening, kept as a comment of kind "reopen" with its author and time;
    earlier comments are marked resolved."""
    response.review_comments.filter(resolved=False).update(resolved=True)
    ReviewComment.objects.create(
        response=response, text=reason, author=user, kind=ReviewCommentKind.REOPEN
    )


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
