"""Answers in and out of the screens: a page's POST into raw values, a value as text."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
        if question.kind in (QuestionKind.NOTE, QuestionKind.CALCULATE):
            continue  # nothing to answer: shown, or computed on the server
        if question.kind == QuestionKind.COUNT_BY_SEX:
            values[question.code] = {sex: data.get(f"{name}-{sex}", "") for sex in SEXES}
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            values[question.code] = (
                data.getlist(name) if hasattr(data, "getlist") else data.get(name)
            )
        else:
            values[question.code] = data.get(name)
    return values


def format_number(number: Decimal | int | None) -> str:
    if number is None:
        return ""
    number = Decimal(number)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def choice_labels_of(question: Question) -> dict[str, dict]:
    """{choice value: label in every language} from the question's (prefetched) choices."""
    return {choice.value: choice.label for choice in question.choices.all()}


def answer_text(question: Question, value: Any, labels: Mapping[str, dict]) -> str:
    """A typed value (as answers_load gives it) as the user reads it, in the active language;
    "" when there is no answer. The one wording of the filling, review and export screens."""
    if value is None or value == [] or value == {}:
        return ""
    if question.kind == QuestionKind.COUNT_BY_SEX:
        women, men = value.get(Sex.FEMALE), value.get(Sex.MALE)
        present = [count for count in (women, men) if count is not None]
        return _("Women: %(women)s, men: %(men)s, total: %(total)s") % {
            "women": "–" if women is None else format_number(women),
            "men": "–" if men is None else format_number(men),
            "total": format_number(sum(present)),
        }
    if question.kind in CHOICE_KINDS:
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(pick(labels[v]) if v in labels else v for v in chosen)
    if question.kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):
        return format_number(value)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)
