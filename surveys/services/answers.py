"""Writes of answers: the page save with optimistic locking, and the unchecked write of imports.

The row lock on the response serialises saves; every changed row gets its audit history row."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from surveys.answers.cleaning import (
    CHOICE_KINDS,
    SEXES,
    WRONG_SHAPE,
    values_of_rows,
)
from surveys.answers.rules import (
    AnswersInvalid,
    Checked,
    answers_check,
    calculated_number,
)
from surveys.models import (
    Answer,
    Pillar,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    RoundStatus,
)
from surveys.selectors.answers import (
    version_questions,
)
from surveys.services.history import HIDDEN


class ResponseNotEditable(Exception):
    """The response is submitted, approved or its round is not open: nothing may change."""


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
    values: dict[str, Any] = field(default_factory=dict)  # the response's answers once saved


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
    if kind == QuestionKind.CALCULATE:
        return {"": {**blank, "text": value, "number": calculated_number(value)}}
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
    existing_rows: list[Answer],
    reason: str | None = None,
) -> int:
    """Writes `values` (code → typed value or None) and deletes the answers of every hidden
    question. New and changed rows go in one insert and one update, each with its audit
    history rows (history_change_reason `reason`, e.g. an import's); deletions (rarer) one by
    one so the history records each, those of hidden questions with the reason HIDDEN."""
    existing = {(answer.question_id, answer.sex): answer for answer in existing_rows}
    now = timezone.now()
    created: list[Answer] = []
    updated: list[Answer] = []
    deleted: list[Answer] = []
    for code in set(values) | hidden:
        question = questions.get(code)
        if question is None:
            continue
        rows = {} if code in hidden else _rows_for(question, values.get(code))
        for sex, columns in rows.items():
            answer = existing.pop((question.pk, sex), None)
            if answer is not None and _same(answer, columns):
                continue
            if answer is None:
                answer = Answer(response=response, question=question, sex=sex)
                created.append(answer)
            else:
                updated.append(answer)
            for name, wanted in columns.items():
                setattr(answer, name, wanted)
            answer.updated_at = now
        for sex in ("", *SEXES):
            stale = existing.pop((question.pk, sex), None)
            if stale is not None and sex not in rows:
                stale._change_reason = HIDDEN if code in hidden else reason
                deleted.append(stale)
    # Answers elsewhere that this change made irrelevant (skip logic across pages).
    code_of = {question.pk: code for code, question in questions.items()}
    for (question_id, _sex), answer in existing.items():
        if code_of.get(question_id) in hidden:
            answer._change_reason = HIDDEN
            deleted.append(answer)
    _write_changes(created=created, updated=updated, deleted=deleted, user=user, reason=reason)
    return len(created) + len(updated) + len(deleted)


def _write_changes(
    *,
    created: list[Answer],
    updated: list[Answer],
    deleted: list[Answer],
    user: AbstractBaseUser | None,
    reason: str | None = None,
) -> None:
    if created:
        bulk_create_with_history(created, Answer, default_user=user, default_change_reason=reason)
    if updated:
        bulk_update_with_history(
            updated,
            Answer,
            ["number", "text", "choices", "date", "updated_at"],
            default_user=user,
            default_change_reason=reason,
        )
    for answer in deleted:
        answer._history_user = user
        answer.delete()


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
    reason: str | None = None,
) -> int:
    """Writes answers without the optimistic-lock check (imports, and the page save once it
    has checked the lock). Raises AnswersInvalid if any value is malformed or breaks a rule;
    then nothing is written. Returns the number of rows changed. `reason` is the
    history_change_reason of the audit records (surveys.services.history.IMPORTED)."""
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("round__version")
        .get(pk=response.pk)
    )
    questions = questions if questions is not None else version_questions(response.round.version)
    by_code = {question.code: question for question in questions}
    rows = list(Answer.objects.filter(response=response))
    unknown = [code for code in values if code not in by_code]
    if unknown:
        raise AnswersInvalid({code: [str(WRONG_SHAPE)] for code in unknown})
    checked = answers_check(
        questions=questions,
        page=[by_code[code] for code in values],
        values=values,
        all_values=values_of_rows(questions, rows),
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
        existing_rows=rows,
        reason=reason,
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


def _refused_for_conflicts(
    *,
    response: Response,
    page: list[Question],
    page_values: Mapping[str, Any],
    checked: Checked,
    stored: Mapping[str, Any],
    lock_version: int,
) -> SaveResult | None:
    """The refusal of a save whose fields someone else changed since `lock_version`; None when
    the changes do not overlap (they merge)."""
    # Compare what the user sent (cleaned where it could be) with what is stored now.
    mine = {code: checked.cleaned.get(code) for code in page_values if code not in checked.errors}
    conflicts = _conflicts(
        response=response, page=page, mine=mine, stored=stored, lock_version=lock_version
    )
    if not conflicts:
        return None
    return SaveResult(
        saved=False,
        lock_version=response.lock_version,
        errors=checked.errors,
        conflicts=conflicts,
        saved_at=response.updated_at,
    )


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

    `response` is the row the caller locked in its open transaction
    (surveys.access.response_for_save): the lock serialises saves of one response, so the
    version check below is exact, and the response is not read again (`response` gets its new
    lock version). Raises ResponseNotEditable; RuntimeError outside a transaction.

    Optimistic locking: if someone saved since the user's `lock_version` and changed a field
    of this page to something else than the user's value, nothing is written and the
    conflicts come back for the user to choose; changes that do not overlap merge."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("answers_save needs the transaction that locked the response")
    if not response_is_editable(response):
        raise ResponseNotEditable
    questions = questions if questions is not None else version_questions(response.round.version)
    by_code = {question.code: question for question in questions}
    page = [question for question in questions if question.pillar_id == pillar.pk]
    page_values = {q.code: values[q.code] for q in page if q.code in values}
    rows = list(Answer.objects.filter(response=response))
    stored = values_of_rows(questions, rows)
    checked = answers_check(
        questions=questions,
        page=page,
        values=page_values,
        all_values=stored,
        check_required=check_required,
    )
    if lock_version != response.lock_version:
        refused = _refused_for_conflicts(
            response=response,
            page=page,
            page_values=page_values,
            checked=checked,
            stored=stored,
            lock_version=lock_version,
        )
        if refused is not None:
            return refused
    return _write_page(
        response=response, questions=by_code, checked=checked, stored=stored, rows=rows, user=user
    )


def _write_page(
    *,
    response: Response,
    questions: Mapping[str, Question],
    checked: Checked,
    stored: Mapping[str, Any],
    rows: list[Answer],
    user: AbstractBaseUser | None,
) -> SaveResult:
    """Writes a page's valid values (and deletes what skip logic now hides), bumps the lock
    version if anything changed; the result carries the response's answers once saved."""
    writable = {
        code: value for code, value in checked.cleaned.items() if code not in checked.errors
    }
    changed = _write_rows(
        response=response,
        questions=questions,
        values=writable,
        hidden=checked.hidden,
        user=user,
        existing_rows=rows,
    )
    if changed:
        _bump(response, user)
    return SaveResult(
        saved=True,
        lock_version=response.lock_version,
        errors=checked.errors,
        changed=changed,
        saved_at=response.updated_at if changed else timezone.now(),
        values={
            code: value
            for code, value in {**stored, **writable}.items()
            if value is not None and code not in checked.hidden
        },
    )
