"""Cleaning: a raw answer (form strings or typed values) into its typed value, or a message."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from readiness.numbers import number_parse
from surveys.choice_messages import unknown_choice
from surveys.models import (
    Answer,
    Question,
    QuestionKind,
    Sex,
)

# Bounds that keep every stored value sane: the answer column holds 14 integer digits and 4
# decimals; a head count above ten million is a typing mistake in any Lao organisation.
TEXT_LIMIT = 5000


NUMBER_LIMIT = Decimal(10) ** 12


NUMBER_PLACES = Answer._meta.get_field("number").decimal_places


COUNT_LIMIT = 10_000_000


DATE_MIN = datetime.date(1900, 1, 1)


DATE_MAX = datetime.date(2100, 12, 31)


SEXES = (Sex.FEMALE, Sex.MALE)


CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO, QuestionKind.MULTIPLE_CHOICE)


REQUIRED = _("This answer is required.")


CHOOSE_ONE = _("Choose one answer.")


CHOOSE_AT_LEAST_ONE = _("Choose at least one answer.")


BOTH_SEXES_REQUIRED = _("Enter the number of women and the number of men.")


WRONG_SHAPE = _("This answer has the wrong form. Please enter it again.")


DONT_KNOW_ALONE = _("“Don't know” cannot be combined with other answers.")


TEXT_TOO_LONG = _("Keep the answer under %(limit)s characters (it has %(length)s).")


TEXT_BAD_CHARACTERS = _("The text contains characters that cannot be stored.")


NOT_A_DATE = _("Enter a valid date.")


DATE_OUT_OF_RANGE = _("Enter a date between %(low)s and %(high)s.")


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _clean_text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError(WRONG_SHAPE)
    if "\x00" in raw:
        # PostgreSQL refuses NUL in text columns: reject it here rather than fail on save.
        raise ValueError(TEXT_BAD_CHARACTERS)
    text = raw.strip().replace("\r\n", "\n")
    if len(text) > TEXT_LIMIT:
        raise ValueError(TEXT_TOO_LONG % {"limit": f"{TEXT_LIMIT:,}", "length": f"{len(text):,}"})
    return text


def _clean_number(raw: Any, *, whole: bool, low: Decimal, high: Decimal) -> Decimal:
    # The one number reader of every entry point: exact, or refused with the expected form.
    return number_parse(raw, whole=whole, places=NUMBER_PLACES, low=low, high=high)


# How the forms write a date (day/month/year, readiness/widgets.py); files and the API send ISO.
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _parse_date(text: str) -> datetime.date:
    """31/12/2026 (as typed in a form) or 2026-12-31 (files, API); ValueError otherwise."""
    text = text.strip()
    if match := DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    return datetime.date.fromisoformat(text[:10])


def _clean_date(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.date):
        value = raw
    elif isinstance(raw, str):
        try:
            value = _parse_date(raw)
        except ValueError:
            raise ValueError(NOT_A_DATE) from None
    else:
        raise ValueError(WRONG_SHAPE)
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(
            DATE_OUT_OF_RANGE
            % {"low": DATE_MIN.strftime("%d/%m/%Y"), "high": DATE_MAX.strftime("%d/%m/%Y")}
        )
    return value


def _clean_choices(question: Question, raw: Any) -> str | list[str]:
    choices = {choice.value: choice for choice in question.choices.all()}
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        picked = raw.split() if isinstance(raw, str) else raw
        if not isinstance(picked, list | tuple) or not all(isinstance(v, str) for v in picked):
            raise ValueError(WRONG_SHAPE)
        picked = list(dict.fromkeys(value.strip() for value in picked if value.strip()))
        if any(value not in choices for value in picked):
            raise ValueError(unknown_choice(picked, choices))
        if len(picked) > 1 and any(choices[value].is_dont_know for value in picked):
            raise ValueError(DONT_KNOW_ALONE)
        # Keep the questionnaire's order so the stored list does not depend on the click order.
        return [value for value in choices if value in picked]
    if not isinstance(raw, str):
        raise ValueError(WRONG_SHAPE)
    if raw.strip() not in choices:
        raise ValueError(unknown_choice([raw.strip()], choices))
    return raw.strip()


def _clean_count(raw: Any) -> dict[str, int] | None:
    if not isinstance(raw, Mapping) or set(raw) - set(SEXES):
        raise ValueError(WRONG_SHAPE)
    counts: dict[str, int] = {}
    for sex in SEXES:
        if _empty(raw.get(sex)):
            continue
        counts[sex] = int(
            _clean_number(raw[sex], whole=True, low=Decimal(0), high=Decimal(COUNT_LIMIT))
        )
    return counts or None


def answer_clean(question: Question, raw: Any) -> Any:
    """The typed value of one raw answer (form strings or already typed values), None when
    empty; raises ValueError with a message for the user."""
    if question.kind == QuestionKind.NOTE:
        return None
    if question.kind == QuestionKind.COUNT_BY_SEX:
        return None if raw is None else _clean_count(raw)
    if _empty(raw):
        return None
    if question.kind in CHOICE_KINDS:
        return _clean_choices(question, raw)
    if question.kind == QuestionKind.INTEGER:
        return int(_clean_number(raw, whole=True, low=-NUMBER_LIMIT, high=NUMBER_LIMIT))
    if question.kind == QuestionKind.DECIMAL:
        return _clean_number(raw, whole=False, low=-NUMBER_LIMIT, high=NUMBER_LIMIT)
    if question.kind == QuestionKind.DATE:
        return _clean_date(raw)
    return _clean_text(raw) or None


def stored_value(question: Question, rows: Iterable[Any]) -> Any:
    """The typed value of a question's stored rows (Answer or its historical records), the
    inverse of the write: one row per sex for a count by sex, else one row."""
    rows = list(rows)
    if question.kind == QuestionKind.COUNT_BY_SEX:
        counts = {r.sex: int(r.number) for r in rows if r.number is not None and r.sex in SEXES}
        return counts or None
    if not rows:
        return None
    row = rows[0]
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return list(row.choices) or None
    if question.kind in CHOICE_KINDS:
        return row.choices[0] if row.choices else None
    if question.kind == QuestionKind.INTEGER:
        return None if row.number is None else int(row.number)
    if question.kind == QuestionKind.DECIMAL:
        return None if row.number is None else row.number.normalize()
    if question.kind == QuestionKind.DATE:
        return row.date
    return row.text or None


def values_of_rows(questions: Iterable[Question], rows: Iterable[Any]) -> dict[str, Any]:
    """{question code: typed value} of a response's stored rows; rows of other versions'
    questions are left out, and so are empty values."""
    by_pk = {question.pk: question for question in questions}
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.question_id, []).append(row)
    values: dict[str, Any] = {}
    for question_id, question_rows in grouped.items():
        question = by_pk.get(question_id)
        if question is None:
            continue
        value = stored_value(question, question_rows)
        if value not in (None, [], {}):
            values[question.code] = value
    return values
