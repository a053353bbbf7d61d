"""Answers in and out of the screens: a page's POST into raw values, a value as text."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext

from readiness.i18n import pick
from surveys.answers.cleaning import (
    CHOICE_KINDS,
    SEXES,
)
from surveys.models import (
    Question,
    QuestionKind,
    Sex,
)


def values_from_post(questions: Iterable[Question], data: Mapping) -> dict[str, Any]:
    """Raw values of a page form: `q-<code>` (a list for multiple choice) and
    `q-<code>-F`/`q-<code>-M` for counts by sex. A question without a field is unanswered."""
    values: dict[str, Any] = {}
    for question in questions:
        name = f"q-{question.code}"
        if question.kind == QuestionKind.NOTE:
            continue
        if question.kind == QuestionKind.COUNT_BY_SEX:
            values[question.code] = {sex: data.get(f"{name}-{sex}", "") for sex in SEXES}
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            values[question.code] = (
                data.getlist(name) if hasattr(data, "getlist") else data.get(name)
            )
        else:
            values[question.code] = data.get(name)
    return values


def display_value(question: Question, value: Any) -> str:
    """A stored value as the user reads it (conflict page, history)."""
    if value is None or value == []:
        return "—"
    labels = {choice.value: pick(choice.label) for choice in question.choices.all()}
    if question.kind == QuestionKind.COUNT_BY_SEX:
        return gettext("Women %(women)s, men %(men)s") % {
            "women": value.get(Sex.FEMALE, "—"),
            "men": value.get(Sex.MALE, "—"),
        }
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return ", ".join(labels.get(v, v) for v in value)
    if question.kind in CHOICE_KINDS:
        return labels.get(value, value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
