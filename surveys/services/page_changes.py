"""Which answers of a filling page the user actually changed since the page was loaded.

A page form posts every field, including the ones the user never touched. Taken as they are,
those untouched fields would write back the values the page was loaded with: a colleague's
later save of a different question would be reported as a conflict, and choosing "mine"
would silently put the old value back. So the page carries the values it was loaded with
(`loaded_values`, the form's own name/value pairs as JSON, updated by the page script after
each successful autosave) and only the fields whose value differs from it are saved or
checked for conflicts. Without that field (an old page, a tampered post) every field counts
as changed, and a stale lock version then asks the user rather than overwriting.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.datastructures import MultiValueDict

from surveys.answers.cleaning import SEXES, answer_clean
from surveys.answers.presentation import values_from_post
from surveys.models import Question, QuestionKind

LOADED_FIELD = "loaded_values"


def _as_text(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def page_snapshot(page: Iterable[Question], stored: Mapping[str, Any]) -> str:
    """The stored answers of a page as the form's name/value pairs, in JSON."""
    pairs: list[list[str]] = []
    for question in page:
        value = stored.get(question.code)
        name = f"q-{question.code}"
        if value is None or question.kind == QuestionKind.NOTE:
            continue
        if question.kind == QuestionKind.COUNT_BY_SEX:
            pairs += [[f"{name}-{sex}", _as_text(value[sex])] for sex in SEXES if sex in value]
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            pairs += [[name, _as_text(item)] for item in value]
        else:
            pairs.append([name, _as_text(value)])
    return json.dumps(pairs, ensure_ascii=False)


def _loaded(page: list[Question], raw_snapshot: str | None) -> dict[str, Any] | None:
    """The raw values the page was loaded with, or None when the post did not carry them."""
    if not raw_snapshot:
        return None
    try:
        pairs = json.loads(raw_snapshot)
    except ValueError:
        return None
    if not isinstance(pairs, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        for pair in pairs
    ):
        return None
    data: MultiValueDict = MultiValueDict()
    for name, value in pairs:
        data.appendlist(name, value)
    return values_from_post(page, data)


def _comparable(question: Question, raw: Any) -> Any:
    """The typed value when it reads, else the raw text (so "1,200" and "1200" are the same
    answer, while two different unreadable spellings stay different)."""
    try:
        return ("value", answer_clean(question, raw))
    except ValueError:
        return ("raw", json.dumps(raw, sort_keys=True, default=str))


def changed_values(
    page: Iterable[Question], values: Mapping[str, Any], raw_snapshot: str | None
) -> dict[str, Any]:
    """The posted values of the fields the user changed since the page was loaded."""
    page = list(page)
    loaded = _loaded(page, raw_snapshot)
    if loaded is None:
        return dict(values)
    by_code = {question.code: question for question in page}
    changed = {}
    for code, value in values.items():
        question = by_code.get(code)
        if question is None or _comparable(question, value) != _comparable(
            question, loaded.get(code)
        ):
            changed[code] = value
    return changed
