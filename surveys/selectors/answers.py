"""Reads of answers: the questions of a version, the stored answers of a response, and the
check of a page's values against them (nothing written)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from surveys.answers.cleaning import (
    values_of_rows,
)
from surveys.answers.rules import (
    answers_check,
)
from surveys.models import (
    Answer,
    Pillar,
    Question,
    QuestionnaireVersion,
    Response,
)


def version_questions(version: QuestionnaireVersion) -> list[Question]:
    """Every question of the version in questionnaire order, with pillar and choices."""
    return list(
        Question.objects.filter(version=version)
        .select_related("pillar")
        .prefetch_related("choices")
        .order_by("pillar__order", "order", "pk")
    )


def answers_load(response: Response, questions: Iterable[Question] | None = None) -> dict[str, Any]:
    """The stored answers of a response as typed values."""
    questions = list(questions or version_questions(response.round.version))
    return values_of_rows(questions, Answer.objects.filter(response=response))


def answers_validate(
    *,
    version: QuestionnaireVersion,
    pillar: Pillar | None,
    values: Mapping[str, Any],
    all_values: Mapping[str, Any],
    check_required: bool = True,
    questions: list[Question] | None = None,
) -> dict[str, list[str]]:
    """Messages per question code for the page's values (pillar None: every question),
    judged with the response's other answers in `all_values`. Irrelevant questions never
    have messages: their answers are dropped."""
    questions = questions if questions is not None else version_questions(version)
    page = [q for q in questions if pillar is None or q.pillar_id == pillar.pk]
    return answers_check(
        questions=questions,
        page=page,
        values=values,
        all_values=all_values,
        check_required=check_required,
    ).errors
