"""Reads for focal points: the responses they fill and how far each has got."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet

from organisations.access import roles_of
from organisations.models import Role
from readiness.i18n import pick
from surveys.answers.cleaning import values_of_rows
from surveys.answers.rules import answers_check, progress_by_pillar
from surveys.models import Answer, Question, Response, ResponseStatus, ReviewComment, RoundStatus
from surveys.selectors.answers import answers_load, version_questions

# Focal points -----------------------------------------------------------------------------


@dataclass
class ResponseProgress:
    response: Response
    answered: int
    total: int

    @property
    def comments(self) -> int:
        """Open review comments of a returned response (0 otherwise)."""
        if self.response.status != ResponseStatus.RETURNED:
            return 0
        return getattr(self.response, "open_comments", 0)

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
        # The reviewer's open comments, counted on the home card of a returned response.
        .annotate(open_comments=Count("review_comments", filter=Q(review_comments__resolved=False)))
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


# Signposts of the filling screen: problems and the reviewer's comments -------------------


def answer_problems(
    questions: list[Question], values: Mapping[str, Any], *, check_required: bool = False
) -> dict[str, list[str]]:
    """Messages per question code for stored answers that break a rule of the questionnaire
    (a constraint against an answer changed on another page, an imported value), and with
    `check_required` the missing required answers too. Pure: no query."""
    return answers_check(
        questions=questions,
        page=questions,
        values=values,
        all_values=values,
        check_required=check_required,
    ).errors


def pillars_of(questions: Iterable[Question], codes: Iterable[str]) -> set[int]:
    """The pillar ids of the questions with these codes."""
    codes = set(codes)
    return {question.pillar_id for question in questions if question.code in codes}


@dataclass
class OpenComments:
    """The reviewer's open comments on a returned response, for the signposts of the filling
    screen: `general` (texts on the whole response), `by_code` (question code → texts),
    `by_pillar` (pillar id → number of comments on its questions), `total` (all of them)."""

    general: list[ReviewComment] = field(default_factory=list)
    on_questions: list[ReviewComment] = field(default_factory=list)
    by_code: dict[str, list[str]] = field(default_factory=dict)
    by_pillar: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.general) + len(self.on_questions)


def open_comments(response: Response) -> OpenComments:
    """The open comments of the last return (one query); empty unless the response is
    returned (comments are resolved when it is approved or returned again)."""
    found = OpenComments()
    if response.status != ResponseStatus.RETURNED:
        return found
    comments = response.review_comments.filter(resolved=False).select_related("question")
    for comment in comments.order_by("question__pillar__order", "question__order", "pk"):
        if comment.question_id is None:
            found.general.append(comment)
            continue
        comment.question_label = pick(comment.question.label) or comment.question.code
        found.on_questions.append(comment)
        found.by_code.setdefault(comment.question.code, []).append(comment.text)
        pillar_id = comment.question.pillar_id
        found.by_pillar[pillar_id] = found.by_pillar.get(pillar_id, 0) + 1
    return found
