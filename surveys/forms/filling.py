"""What the filling page, the preview and the anonymous form render for each question.

`question_fields` turns questions plus values into plain dicts for the reusable partial
`templates/surveys/filling/_question.html`; the input names (`q-<code>`, `q-<code>-F`,
`q-<code>-M`) are those `surveys.answers.presentation.values_from_post` reads back.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from readiness.i18n import pick
from readiness.widgets import DATE_INPUT_FORMAT
from surveys.answers.cleaning import CHOICE_KINDS
from surveys.models import Question, QuestionKind, Sex


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.strftime(DATE_INPUT_FORMAT)
    return str(value)


def _choice_fields(question: Question, value: Any) -> list[dict]:
    """A choice question's choices as the partial renders them, those in `value` checked."""
    chosen = value if isinstance(value, list | tuple) else [value]
    chosen = {str(item) for item in chosen if item is not None}
    return [
        {
            "value": choice.value,
            "label": pick(choice.label),
            "is_dont_know": choice.is_dont_know,
            "checked": choice.value in chosen,
        }
        for choice in question.choices.all()
    ]


def question_field(
    question: Question,
    value: Any,
    *,
    errors: Iterable[str] = (),
    readonly: bool = False,
    hidden: bool = False,
    comments: Iterable[str] = (),
) -> dict:
    """One question as the partial renders it. `value` is typed (stored) or raw (as posted,
    so a rejected entry is shown back to the user as typed); `comments` are the reviewer's
    open comments on it."""
    field: dict[str, Any] = {
        "code": question.code,
        "name": f"q-{question.code}",
        "kind": question.kind,
        "label": pick(question.label),
        "hint": pick(question.hint),
        "required": question.required,
        "relevant": question.relevant,
        "errors": list(errors),
        "readonly": readonly,
        "hidden": hidden,
        "comments": list(comments),
        "is_note": question.kind == QuestionKind.NOTE,
        "is_count": question.kind == QuestionKind.COUNT_BY_SEX,
        "is_multiple": question.kind == QuestionKind.MULTIPLE_CHOICE,
        "is_choice": question.kind in CHOICE_KINDS,
        "input_type": {
            QuestionKind.INTEGER: "number",
            QuestionKind.DECIMAL: "number",
        }.get(question.kind, "text"),
        # A date is typed day/month/year in a text field: a browser's date input speaks the
        # browser's language, not the page's (readiness/widgets.py).
        "is_date": question.kind == QuestionKind.DATE,
        "step": "any" if question.kind == QuestionKind.DECIMAL else "1",
        "is_long_text": question.kind == QuestionKind.TEXT,
    }
    if field["is_choice"]:
        field["choices"] = _choice_fields(question, value)
    elif field["is_count"]:
        counts = value if isinstance(value, Mapping) else {}
        women, men = _as_text(counts.get(Sex.FEMALE)), _as_text(counts.get(Sex.MALE))
        field["women"], field["men"] = women, men
        try:
            field["total"] = int(women or 0) + int(men or 0) if (women or men) else ""
        except ValueError:
            field["total"] = ""
    else:
        field["value"] = _as_text(value)
    return field


def question_fields(
    questions: Iterable[Question],
    values: Mapping[str, Any],
    *,
    errors: Mapping[str, Iterable[str]] | None = None,
    readonly: bool = False,
    hidden: Iterable[str] = (),
    comments: Mapping[str, Iterable[str]] | None = None,
) -> list[dict]:
    errors = errors or {}
    comments = comments or {}
    hidden = set(hidden)
    return [
        question_field(
            question,
            values.get(question.code),
            errors=errors.get(question.code, ()),
            readonly=readonly,
            hidden=question.code in hidden,
            comments=comments.get(question.code, ()),
        )
        for question in questions
        if question.kind != QuestionKind.CALCULATE  # computed, never shown
    ]


def question_rules(
    questions: Iterable[Question], calculates_of: Iterable[Question] = ()
) -> list[dict]:
    """What the browser needs for live skip logic and calculations (json_script): the page's
    questions, and the calculates of the rest of the version (`calculates_of`: every question
    of the version, in order) so a calculate reading this page is live on it too. Each rule is
    {"code", "kind", "relevant"} plus "calculation" for a calculate, "choices" (value -> label
    by language) for a choice question (with "choice_filter" and each choice's columns in
    "choice_rows" when it has a filter) and "elsewhere": true for a question of another page."""
    page = {question.code for question in questions}
    everything = list(calculates_of) or list(questions)
    rules = []
    for question in everything:
        elsewhere = question.code not in page
        if elsewhere and question.kind != QuestionKind.CALCULATE:
            continue
        rule = {"code": question.code, "kind": question.kind, "relevant": question.relevant}
        if question.kind == QuestionKind.CALCULATE:
            rule["calculation"] = question.calculation
        if question.kind in CHOICE_KINDS:  # for jr:choice-name()
            rule["choices"] = {choice.value: choice.label for choice in question.choices.all()}
            if question.extra.get("choice_filter"):  # cascading lists, filtered live
                rule["choice_filter"] = question.extra["choice_filter"]
                rule["choice_rows"] = {
                    choice.value: {**choice.extra, "name": choice.value}
                    for choice in question.choices.all()
                }
        if elsewhere:
            rule["elsewhere"] = True
        rules.append(rule)
    return rules
