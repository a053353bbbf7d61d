"""Answers: cleaning raw input, server-side validation, skip logic and the page save with
optimistic locking.

Values travel as a plain dict {question code: value}:
- single choice / yes-no: the chosen value (str); multiple choice: a list of values;
- integer: int; decimal: Decimal; text: str; date: datetime.date;
- count by sex: {"F": int, "M": int} (either key may be missing while the page is incomplete);
- None (or a missing key): no answer.
The answer store (`Answer`) has one row per (response, question, sex); the total of a count by
sex is derived, never stored. A question made irrelevant by skip logic has no row at all.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from readiness.i18n import pick
from readiness.numbers import number_parse
from surveys import expressions
from surveys.choice_messages import unknown_choice
from surveys.models import (
    Answer,
    Pillar,
    Question,
    QuestionKind,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    RoundStatus,
    Sex,
)

logger = logging.getLogger(__name__)

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
BOTH_SEXES_REQUIRED = _("Enter the number of women and the number of men.")
WRONG_SHAPE = _("This answer has the wrong form. Please enter it again.")
DONT_KNOW_ALONE = _("“Don't know” cannot be combined with other answers.")
TEXT_TOO_LONG = _("Keep the answer under %(limit)s characters (it has %(length)s).")
TEXT_BAD_CHARACTERS = _("The text contains characters that cannot be stored.")
NOT_A_DATE = _("Enter a valid date.")
DATE_OUT_OF_RANGE = _("Enter a date between %(low)s and %(high)s.")
CONSTRAINT_FAILED = _("This answer does not agree with the rules of the questionnaire.")
WOMEN_PREFIX = _("Women: %(message)s")
MEN_PREFIX = _("Men: %(message)s")


class ResponseNotEditable(Exception):
    """The response is submitted, approved or its round is not open: nothing may change."""


class AnswersInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class Conflict:
    """A field someone else saved since this user loaded the page, with a different value."""

    question: Question
    yours: Any
    theirs: Any
    saved_by: AbstractBaseUser | None
    saved_at: datetime.datetime | None

    @property
    def code(self) -> str:
        return self.question.code


@dataclass
class SaveResult:
    saved: bool
    lock_version: int
    errors: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    changed: int = 0
    saved_at: datetime.datetime | None = None


# --- Expressions -------------------------------------------------------------------------


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


def _holds(expression: str, values: dict[str, Any], current: Any = None) -> bool:
    """True when the expression holds. A questionnaire whose expression we cannot evaluate
    must not lock a focal point out: the question is shown and the rule is not enforced,
    and the error is logged for the questionnaire's authors."""
    try:
        return expressions.evaluate_bool(expression, values, current)
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


def irrelevant_codes(questions: Iterable[Question], values: Mapping[str, Any]) -> set[str]:
    """Codes of the questions skip logic hides, walking the questionnaire in order so a
    question hidden early also hides what depends on it."""
    by_code = {question.code: question for question in questions}
    remaining = dict(values)
    hidden: set[str] = set()
    for question in by_code.values():
        if not question.relevant:
            continue
        if not _holds(question.relevant, expression_values(by_code, remaining)):
            hidden.add(question.code)
            remaining.pop(question.code, None)
    return hidden


# --- Cleaning ------------------------------------------------------------------------------


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


def _clean_date(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.date):
        value = raw
    elif isinstance(raw, str):
        try:
            value = datetime.date.fromisoformat(raw.strip()[:10])
        except ValueError:
            raise ValueError(NOT_A_DATE) from None
    else:
        raise ValueError(WRONG_SHAPE)
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(
            DATE_OUT_OF_RANGE % {"low": DATE_MIN.isoformat(), "high": DATE_MAX.isoformat()}
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


# --- Loading and validating ----------------------------------------------------------------


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
    questions = {q.pk: q for q in (questions or version_questions(response.round.version))}
    values: dict[str, Any] = {}
    for answer in Answer.objects.filter(response=response):
        question = questions.get(answer.question_id)
        if question is None:
            continue
        if question.kind == QuestionKind.COUNT_BY_SEX:
            if answer.number is not None and answer.sex in SEXES:
                values.setdefault(question.code, {})[answer.sex] = int(answer.number)
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            values[question.code] = list(answer.choices)
        elif question.kind in CHOICE_KINDS:
            values[question.code] = answer.choices[0] if answer.choices else None
        elif question.kind == QuestionKind.INTEGER:
            values[question.code] = None if answer.number is None else int(answer.number)
        elif question.kind == QuestionKind.DECIMAL:
            values[question.code] = None if answer.number is None else answer.number.normalize()
        elif question.kind == QuestionKind.DATE:
            values[question.code] = answer.date
        else:
            values[question.code] = answer.text or None
    return {code: value for code, value in values.items() if value not in (None, [], {})}


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
        return [] if _holds(question.constraint, flat, current) else [message]
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
        if not _holds(constraint, per_sex, value[sex]):
            errors.append(prefix % {"message": message})
    return errors


def _is_missing(question: Question, value: Any) -> str | None:
    if question.kind == QuestionKind.NOTE or not question.required:
        return None
    if value is None:
        return str(REQUIRED)
    if question.kind == QuestionKind.COUNT_BY_SEX and len(value) < 2:
        return str(BOTH_SEXES_REQUIRED)
    return None


@dataclass
class _Checked:
    cleaned: dict[str, Any]  # the page's valid values (None: no answer)
    errors: dict[str, list[str]]
    hidden: set[str]  # irrelevant codes anywhere in the version
    merged: dict[str, Any]  # every value of the response after this page


def _check(
    *,
    questions: list[Question],
    page: list[Question],
    values: Mapping[str, Any],
    all_values: Mapping[str, Any],
    check_required: bool,
) -> _Checked:
    by_code = {question.code: question for question in questions}
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for question in page:
        if question.code not in values or question.kind == QuestionKind.NOTE:
            continue
        try:
            cleaned[question.code] = answer_clean(question, values[question.code])
        except ValueError as error:
            errors[question.code] = [str(error.args[0])]
    merged = {**all_values, **cleaned}
    # A field with a bad value keeps what was stored before it (never a half-valid value).
    merged = {code: value for code, value in merged.items() if value is not None}
    hidden = irrelevant_codes(questions, merged)
    for code in hidden:
        merged.pop(code, None)
        errors.pop(code, None)
    for question in page:
        if question.code in hidden or question.code in errors:
            continue
        value = merged.get(question.code)
        missing = _is_missing(question, value) if check_required else None
        if missing:
            errors[question.code] = [missing]
        elif value is not None and question.constraint:
            problems = _constraint_errors(question, value, by_code, merged)
            if problems:
                errors[question.code] = problems
    return _Checked(cleaned=cleaned, errors=errors, hidden=hidden, merged=merged)


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
    return _check(
        questions=questions,
        page=page,
        values=values,
        all_values=all_values,
        check_required=check_required,
    ).errors


# --- Writing -------------------------------------------------------------------------------


def _rows_for(question: Question, value: Any) -> dict[str, dict[str, Any]]:
    """The Answer rows (by sex) that store `value`, as column values."""
    blank = {"number": None, "text": "", "choices": [], "date": None}
    if value is None:
        return {}
    kind = question.kind
    if kind == QuestionKind.COUNT_BY_SEX:
        return {sex: {**blank, "number": Decimal(count)} for sex, count in value.items()}
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return {"": {**blank, "choices": list(value)}} if value else {}
    if kind in CHOICE_KINDS:
        return {"": {**blank, "choices": [value]}}
    if kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):
        return {"": {**blank, "number": Decimal(value)}}
    if kind == QuestionKind.DATE:
        return {"": {**blank, "date": value}}
    return {"": {**blank, "text": value}}


def _same(answer: Answer, columns: dict[str, Any]) -> bool:
    return all(getattr(answer, name) == wanted for name, wanted in columns.items())


def _write_rows(
    *,
    response: Response,
    questions: Mapping[str, Question],
    values: Mapping[str, Any],
    hidden: set[str],
    user: AbstractBaseUser | None,
) -> int:
    """Writes `values` (code → typed value or None) and deletes the answers of every hidden
    question. Rows are saved one by one so the audit history records each change."""
    existing: dict[tuple[int, str], Answer] = {
        (answer.question_id, answer.sex): answer
        for answer in Answer.objects.filter(response=response)
    }
    changed = 0
    wanted_codes = set(values) | hidden
    for code in wanted_codes:
        question = questions.get(code)
        if question is None:
            continue
        rows = {} if code in hidden else _rows_for(question, values.get(code))
        for sex, columns in rows.items():
            answer = existing.pop((question.pk, sex), None)
            if answer is not None and _same(answer, columns):
                continue
            answer = answer or Answer(response=response, question=question, sex=sex)
            for name, wanted in columns.items():
                setattr(answer, name, wanted)
            answer._history_user = user
            answer.save()
            changed += 1
        for sex in ("", *SEXES):
            stale = existing.pop((question.pk, sex), None)
            if stale is not None and sex not in rows:
                stale._history_user = user
                stale.delete()
                changed += 1
    # Answers elsewhere that this change made irrelevant (skip logic across pages).
    code_of = {question.pk: code for code, question in questions.items()}
    for (question_id, _sex), answer in existing.items():
        if code_of.get(question_id) in hidden:
            answer._history_user = user
            answer.delete()
            changed += 1
    return changed


def response_is_editable(response: Response) -> bool:
    return response.round.status == RoundStatus.OPEN and response.status in (
        ResponseStatus.DRAFT,
        ResponseStatus.RETURNED,
    )


def _bump(response: Response, user: AbstractBaseUser | None) -> None:
    response.lock_version += 1
    response.updated_by = user if user is not None and user.is_authenticated else None
    response._history_user = response.updated_by
    response.save(update_fields=["lock_version", "updated_by", "updated_at"])


@transaction.atomic
def answers_write(
    *,
    response: Response,
    values: Mapping[str, Any],
    user: AbstractBaseUser | None,
    questions: list[Question] | None = None,
) -> int:
    """Writes answers without the optimistic-lock check (imports, and the page save once it
    has checked the lock). Raises AnswersInvalid if any value is malformed or breaks a rule;
    then nothing is written. Returns the number of rows changed."""
    response = (
        Response.objects.select_for_update().select_related("round__version").get(pk=response.pk)
    )
    questions = questions if questions is not None else version_questions(response.round.version)
    by_code = {question.code: question for question in questions}
    unknown = [code for code in values if code not in by_code]
    if unknown:
        raise AnswersInvalid({code: [str(WRONG_SHAPE)] for code in unknown})
    checked = _check(
        questions=questions,
        page=[by_code[code] for code in values],
        values=values,
        all_values=answers_load(response, questions),
        check_required=False,
    )
    if checked.errors:
        raise AnswersInvalid(checked.errors)
    changed = _write_rows(
        response=response,
        questions=by_code,
        values=checked.cleaned,
        hidden=checked.hidden,
        user=user,
    )
    if changed:
        _bump(response, user)
    return changed


def _changed_since(
    response: Response, lock_version: int
) -> dict[int, tuple[Any, datetime.datetime]]:
    """question id → (user, time) of the latest answer change made after the response had
    `lock_version`. Unknown or future versions (a tampered or very old form) count every
    field as changed, so the user is asked rather than anything overwritten."""
    HistoricalResponse = Response.history.model
    HistoricalAnswer = Answer.history.model
    since = (
        HistoricalResponse.objects.filter(id=response.pk, lock_version=lock_version)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    changes = HistoricalAnswer.objects.filter(response_id=response.pk).order_by("history_date")
    if since is not None and lock_version <= response.lock_version:
        changes = changes.filter(history_date__gt=since)
    return {
        change.question_id: (change.history_user, change.history_date)
        for change in changes.select_related("history_user")
    }


def _conflicts(
    *,
    response: Response,
    page: list[Question],
    mine: Mapping[str, Any],
    stored: Mapping[str, Any],
    lock_version: int,
) -> list[Conflict]:
    changed = _changed_since(response, lock_version)
    conflicts = []
    for question in page:
        if question.pk not in changed or question.code not in mine:
            continue
        if mine.get(question.code) == stored.get(question.code):
            continue
        saved_by, saved_at = changed[question.pk]
        conflicts.append(
            Conflict(
                question=question,
                yours=mine.get(question.code),
                theirs=stored.get(question.code),
                saved_by=saved_by,
                saved_at=saved_at,
            )
        )
    return conflicts


@transaction.atomic
def answers_save(
    *,
    response: Response,
    pillar: Pillar,
    values: Mapping[str, Any],
    user: AbstractBaseUser | None,
    lock_version: int,
    check_required: bool = False,
    questions: list[Question] | None = None,
) -> SaveResult:
    """Saves one page. Valid values are stored, invalid ones come back as messages (and keep
    what was stored before), answers of questions skip logic now hides are deleted.

    Optimistic locking: if someone saved since the user's `lock_version` and changed a field
    of this page to something else than the user's value, nothing is written and the
    conflicts come back for the user to choose; changes that do not overlap merge."""
    # The row lock serialises saves of one response, so the version check below is exact.
    response = (
        Response.objects.select_for_update().select_related("round__version").get(pk=response.pk)
    )
    if not response_is_editable(response):
        raise ResponseNotEditable
    questions = questions if questions is not None else version_questions(response.round.version)
    by_code = {question.code: question for question in questions}
    page = [question for question in questions if question.pillar_id == pillar.pk]
    page_values = {q.code: values[q.code] for q in page if q.code in values}
    stored = answers_load(response, questions)
    checked = _check(
        questions=questions,
        page=page,
        values=page_values,
        all_values=stored,
        check_required=check_required,
    )
    if lock_version != response.lock_version:
        # Compare what the user sent (cleaned where it could be) with what is stored now.
        mine = {
            code: checked.cleaned.get(code) for code in page_values if code not in checked.errors
        }
        conflicts = _conflicts(
            response=response, page=page, mine=mine, stored=stored, lock_version=lock_version
        )
        if conflicts:
            return SaveResult(
                saved=False,
                lock_version=response.lock_version,
                errors=checked.errors,
                conflicts=conflicts,
                saved_at=response.updated_at,
            )
    writable = {
        code: value for code, value in checked.cleaned.items() if code not in checked.errors
    }
    changed = _write_rows(
        response=response, questions=by_code, values=writable, hidden=checked.hidden, user=user
    )
    if changed:
        _bump(response, user)
    return SaveResult(
        saved=True,
        lock_version=response.lock_version,
        errors=checked.errors,
        changed=changed,
        saved_at=response.updated_at if changed else timezone.now(),
    )


def progress_by_pillar(
    questions: Iterable[Question], values: Mapping[str, Any]
) -> dict[int, tuple[int, int]]:
    """pillar id → (answered, relevant) over the questions that take an answer."""
    questions = list(questions)
    hidden = irrelevant_codes(questions, values)
    progress: dict[int, tuple[int, int]] = {}
    for question in questions:
        if question.kind == QuestionKind.NOTE or question.code in hidden:
            continue
        answered, total = progress.get(question.pillar_id, (0, 0))
        value = values.get(question.code)
        complete = value is not None and _is_missing(question, value) is None
        if question.kind == QuestionKind.COUNT_BY_SEX and value is not None:
            complete = len(value) == 2
        progress[question.pillar_id] = (answered + int(complete), total + 1)
    return progress


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
