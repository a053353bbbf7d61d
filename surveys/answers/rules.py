"""Skip logic, constraints and required answers, judged over the values of a response."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from readiness.i18n import pick
from surveys import expressions
from surveys.answers.cleaning import (
    BOTH_SEXES_REQUIRED,
    CHOICE_KINDS,
    CHOOSE_AT_LEAST_ONE,
    CHOOSE_ONE,
    NUMBER_LIMIT,
    NUMBER_PLACES,
    REQUIRED,
    answer_clean,
)
from surveys.models import (
    Question,
    QuestionKind,
    Sex,
)

logger = logging.getLogger(__name__)


CONSTRAINT_FAILED = _("This answer does not agree with the rules of the questionnaire.")


CHOICE_FILTERED_OUT = _(
    "This choice is not offered for the answers given above (%(values)s); choose again."
)


WOMEN_PREFIX = _("Women: %(message)s")


MEN_PREFIX = _("Men: %(message)s")


# Kinds the respondent does not answer: a note is shown, a calculate is computed.
TAKES_NO_ANSWER = (QuestionKind.NOTE, QuestionKind.CALCULATE)


class AnswersInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def expression_values(
    questions: Mapping[str, Question], values: Mapping[str, Any], sex: str | None = None
) -> dict[str, Any]:
    """The values an expression sees: numbers as numbers, a count by sex as `q` (the total,
    or with `sex` the count of that sex, so `. <= ${staff}` compares women with women),
    `q_f` and `q_m`."""
    flat: dict[str, Any] = {}
    for code, value in values.items():
        question = questions.get(code)
        if value is None or question is None:
            continue
        if question.kind == QuestionKind.COUNT_BY_SEX:
            women, men = value.get(Sex.FEMALE), value.get(Sex.MALE)
            if women is not None:
                flat[f"{code}_f"] = women
            if men is not None:
                flat[f"{code}_m"] = men
            if sex is not None:
                if value.get(sex) is not None:
                    flat[code] = value[sex]
            elif women is not None or men is not None:
                flat[code] = (women or 0) + (men or 0)
        elif isinstance(value, Decimal):
            flat[code] = float(value)
        elif isinstance(value, datetime.date):
            flat[code] = value.isoformat()
        else:
            flat[code] = value
    return flat


def expression_context(questions: Iterable[Question]) -> expressions.Context:
    """What expressions see besides the answers: the active language (format-date(),
    jr:choice-name()) and the choice labels of the questions; the clock is the server's."""
    questions = list(questions)
    # Labels only when an expression asks for them: reading choices costs a query per question
    # where they were not prefetched (the home page's progress, the review list).
    wanted = any(
        "jr:choice-name" in (question.relevant + question.constraint + question.calculation)
        for question in questions
    )
    return expressions.Context(
        language=translation.get_language() or "lo",
        choices={
            question.code: {choice.value: choice.label for choice in question.choices.all()}
            for question in questions
            if wanted and question.kind in CHOICE_KINDS
        },
    )


def _holds(
    expression: str,
    values: dict[str, Any],
    current: Any = None,
    context: expressions.Context | None = None,
) -> bool:
    """True when the expression holds. A questionnaire whose expression we cannot evaluate
    must not lock a focal point out: the question is shown and the rule is not enforced,
    and the error is logged for the questionnaire's authors."""
    try:
        return expressions.evaluate_bool(expression, values, current, context=context)
    except expressions.ExpressionError:
        logger.warning("Cannot evaluate expression %r", expression, exc_info=True)
        return True


def _references_answered(expression: str, values: Mapping[str, Any]) -> bool:
    """A rule is judged once the answers it refers to exist: "skilled staff ≤ staff" says
    nothing while staff is empty (the required check reports that at submission)."""
    try:
        names = expressions.references(expression)
    except expressions.ExpressionError:
        return True
    return all(values.get(name) is not None for name in names)


def calculated_value(
    question: Question,
    values: Mapping[str, Any],
    context: expressions.Context | None = None,
    stored: str | None = None,
) -> str | None:
    """The value of a calculate over `values` (as expression_values gives them), as ODK keeps
    it: text ("4", "yes", "2026-12-01"); None when empty or when it cannot be evaluated
    (logged, as for a rule). `stored` is its value before (what `.` and once() see)."""
    try:
        value = expressions.evaluate(question.calculation, values, stored, context=context)
    except expressions.ExpressionError:
        logger.warning("Cannot evaluate calculation %r", question.calculation, exc_info=True)
        return None
    text = expressions.to_string(value)
    return text if text not in ("", "NaN") else None


def calculated_number(text: str) -> Decimal | None:
    """The number a calculate's text stores beside it (for scoring and exports), rounded to the
    answer column's 4 places; None for text that is not a number or is out of its range."""
    if not expressions.NUMERIC_STRING_RE.fullmatch(text):
        return None
    number = Decimal(text.strip())
    if abs(number) >= NUMBER_LIMIT:
        return None
    return number.quantize(Decimal(1).scaleb(-NUMBER_PLACES))


def resolve(questions: Iterable[Question], values: Mapping[str, Any]) -> tuple[dict, set[str]]:
    """The answers with every calculate computed, and the codes skip logic hides.

    Walks the questionnaire in order so a question hidden early also hides what depends on it;
    a calculate takes the values at its place (a hidden one is empty). The walk runs twice when
    there are calculates, so one that reads a later calculate settles; static/js/filling.js
    walks the same way."""
    by_code = {question.code: question for question in questions}
    context = expression_context(by_code.values())
    calculates = [q.code for q in by_code.values() if q.kind == QuestionKind.CALCULATE]
    given = {code: value for code, value in values.items() if code not in calculates}
    computed: dict[str, Any] = {}
    for _pass in range(2 if calculates else 1):
        remaining = {**given, **computed}
        hidden: set[str] = set()
        for question in by_code.values():
            if question.relevant and not _holds(
                question.relevant, expression_values(by_code, remaining), context=context
            ):
                hidden.add(question.code)
                remaining.pop(question.code, None)
            elif question.kind == QuestionKind.CALCULATE:
                # once() keeps the value stored before (`values` holds it), as in ODK.
                flat = expression_values(by_code, remaining)
                value = calculated_value(question, flat, context, values.get(question.code))
                remaining[question.code] = value
                if value is None:
                    remaining.pop(question.code)
        computed = {code: remaining[code] for code in calculates if code in remaining}
    return remaining, hidden


def irrelevant_codes(questions: Iterable[Question], values: Mapping[str, Any]) -> set[str]:
    """Codes of the questions skip logic hides (see `resolve`)."""
    return resolve(questions, values)[1]


def _constraint_errors(
    question: Question, value: Any, by_code: Mapping[str, Question], values: Mapping[str, Any]
) -> list[str]:
    message = pick(question.constraint_message) or str(CONSTRAINT_FAILED)
    if question.kind != QuestionKind.COUNT_BY_SEX:
        current = float(value) if isinstance(value, Decimal) else value
        if isinstance(current, datetime.date):
            current = current.isoformat()
        flat = expression_values(by_code, values)
        if not _references_answered(question.constraint, flat):
            return []
        context = expression_context(by_code.values())
        return [] if _holds(question.constraint, flat, current, context) else [message]
    # A count by sex obeys its rule for each sex: `. <= ${staff}` means women with the skill
    # are at most all women staff, and the same for men.
    # An XLSForm from KoboToolbox/ODK may carry a different rule on each sex's field
    # (`. <= ${staff_f}` on women, `. <= ${staff_m}` on men): then each field keeps its own.
    written = question.extra.get("_sex_constraints") or {}
    errors = []
    for sex, prefix in ((Sex.FEMALE, WOMEN_PREFIX), (Sex.MALE, MEN_PREFIX)):
        constraint = written.get(sex.lower(), "") if written else question.constraint
        if value.get(sex) is None or not constraint:
            continue
        per_sex = expression_values(by_code, values, sex=sex)
        if not _references_answered(constraint, per_sex):
            continue
        if not _holds(constraint, per_sex, value[sex], expression_context(by_code.values())):
            errors.append(prefix % {"message": message})
    return errors


def choice_row(choice) -> dict[str, str]:
    """The columns a choice_filter sees of a choice: its name and the choices sheet's other
    columns (kept in Choice.extra)."""
    return {**choice.extra, "name": choice.value}


def _filtered_out(
    question: Question, value: Any, by_code: Mapping[str, Question], values: Mapping[str, Any]
) -> str | None:
    """The message for a chosen value that the question's choice_filter no longer offers
    (cascading lists: a district of another province), None when all are offered."""
    choice_filter = question.extra.get("choice_filter", "")
    if not choice_filter or value is None or question.kind not in CHOICE_KINDS:
        return None
    flat = expression_values(by_code, values)
    context = expression_context(by_code.values())
    chosen = value if isinstance(value, list) else [value]
    choices = {choice.value: choice for choice in question.choices.all()}
    try:
        refused = [
            v
            for v in chosen
            if v in choices
            and not expressions.choice_allowed(
                choice_filter, flat, choice_row(choices[v]), context=context
            )
        ]
    except expressions.ExpressionError:
        logger.warning("Cannot evaluate choice filter %r", choice_filter, exc_info=True)
        return None
    if not refused:
        return None
    return str(CHOICE_FILTERED_OUT % {"values": ", ".join(refused)})


def answer_missing(question: Question, value: Any) -> str | None:
    """The message for a required answer that is missing (None when it is there): a choice
    asks to choose, a count by sex asks for both numbers, anything else is required."""
    if question.kind in TAKES_NO_ANSWER or not question.required:
        return None
    if value is None:
        if question.kind == QuestionKind.MULTIPLE_CHOICE:
            return str(CHOOSE_AT_LEAST_ONE)
        if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO):
            return str(CHOOSE_ONE)
        return str(REQUIRED)
    if question.kind == QuestionKind.COUNT_BY_SEX and len(value) < 2:
        return str(BOTH_SEXES_REQUIRED)
    return None


@dataclass
class Checked:
    cleaned: dict[str, Any]  # the page's valid values (None: no answer)
    errors: dict[str, list[str]]
    hidden: set[str]  # irrelevant codes anywhere in the version
    merged: dict[str, Any]  # every value of the response after this page


def answers_check(
    *,
    questions: list[Question],
    page: list[Question],
    values: Mapping[str, Any],
    all_values: Mapping[str, Any],
    check_required: bool,
) -> Checked:
    by_code = {question.code: question for question in questions}
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for question in page:
        if question.code not in values or question.kind in TAKES_NO_ANSWER:
            continue
        try:
            cleaned[question.code] = answer_clean(question, values[question.code])
        except ValueError as error:
            errors[question.code] = [str(error.args[0])]
    merged = {**all_values, **cleaned}
    # A field with a bad value keeps what was stored before it (never a half-valid value).
    merged = {code: value for code, value in merged.items() if value is not None}
    merged, hidden = resolve(questions, merged)
    # Every calculate is written with the page (one on another page may read this page).
    for code in (q.code for q in questions if q.kind == QuestionKind.CALCULATE):
        if code not in hidden:
            cleaned[code] = merged.get(code)
    for code in hidden:
        merged.pop(code, None)
        errors.pop(code, None)
    for question in page:
        if question.code in hidden or question.code in errors:
            continue
        value = merged.get(question.code)
        filtered = _filtered_out(question, value, by_code, merged)
        if filtered:
            errors[question.code] = [filtered]
            continue
        missing = answer_missing(question, value) if check_required else None
        if missing:
            errors[question.code] = [missing]
        elif value is not None and question.constraint:
            problems = _constraint_errors(question, value, by_code, merged)
            if problems:
                errors[question.code] = problems
    return Checked(cleaned=cleaned, errors=errors, hidden=hidden, merged=merged)


def progress_by_pillar(
    questions: Iterable[Question], values: Mapping[str, Any]
) -> dict[int, tuple[int, int]]:
    """pillar id → (answered, relevant) over the questions that take an answer."""
    questions = list(questions)
    hidden = irrelevant_codes(questions, values)
    progress: dict[int, tuple[int, int]] = {}
    for question in questions:
        if question.kind in TAKES_NO_ANSWER or question.code in hidden:
            continue
        answered, total = progress.get(question.pillar_id, (0, 0))
        value = values.get(question.code)
        complete = value is not None and answer_missing(question, value) is None
        if question.kind == QuestionKind.COUNT_BY_SEX and value is not None:
            complete = len(value) == 2
        progress[question.pillar_id] = (answered + int(complete), total + 1)
    return progress
