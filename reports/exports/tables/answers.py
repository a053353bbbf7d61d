"""The tables read from the surveys models: the raw answers (one row per response, one column
per question) and the codebook of questions and choices."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.utils.translation import gettext as _

from readiness.i18n import pick
from reports.exports.spec import ExportSpec
from reports.exports.tables.answers_sql import CHOICE_KINDS, answers_sql
from reports.exports.tables.base import (
    CHUNK,
    DATE,
    INTEGER,
    NUMBER,
    TEXT,
    Column,
    Labels,
    Table,
    age_label,
    is_individual,
    local,
    members_q,
    number,
    response_columns,
    sex_label,
)
from reports.scoring.engine import SCORED_STATUSES
from surveys.models import Answer, Question, QuestionKind, Response
from surveys.selectors.answers import version_questions

# --- raw answers ---------------------------------------------------------------------------


def _questions(spec: ExportSpec) -> list[Question]:
    """The version's questions that take an answer (no notes), in questionnaire order."""
    questions = version_questions(spec.round.version)
    return [question for question in questions if question.kind != QuestionKind.NOTE]


def _answer_cells(question: Question, language: str) -> tuple[list[Column], Callable]:
    """The columns of one question and how to fill them from its answers {sex: answer row}."""
    code = question.code
    if question.kind == QuestionKind.COUNT_BY_SEX:
        columns = [
            Column(f"{code} ({_('women')})", NUMBER, 10),
            Column(f"{code} ({_('men')})", NUMBER, 10),
        ]

        def cells(by_sex: dict) -> list:
            return [number(by_sex.get("F", (None,))[0]), number(by_sex.get("M", (None,))[0])]

        return columns, cells
    if question.kind in CHOICE_KINDS:
        labels = {choice.value: pick(choice.label, language) for choice in question.choices.all()}
        columns = [Column(code, TEXT, 12), Column(f"{code} ({_('label')})", TEXT, 24)]

        def cells(by_sex: dict) -> list:
            answer = by_sex.get("")
            if answer is None:
                return ["", ""]
            chosen = answer[2] or []
            return [" ".join(chosen), "; ".join(labels.get(value, value) for value in chosen)]

        return columns, cells
    if question.kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):

        def cells(by_sex: dict) -> list:
            return [number(by_sex.get("", (None,))[0])]

        return [Column(code, NUMBER, 10)], cells
    if question.kind == QuestionKind.DATE:

        def cells(by_sex: dict) -> list:
            answer = by_sex.get("")
            return [answer[3] if answer else None]

        return [Column(code, DATE, 11)], cells

    def cells(by_sex: dict) -> list:
        answer = by_sex.get("")
        return [answer[1] if answer else ""]

    return [Column(code, TEXT, 24)], cells


def answers_table(spec: ExportSpec) -> Table:
    """One row per response, one column per question (two for a choice: codes and labels in
    the export's language; women and men in their own columns for a count by sex). Responses
    and answers are read by two server-side cursors in response order and merged as they
    stream, so a national round never sits in memory."""
    questions = _questions(spec)
    individual = is_individual(spec)
    responses = (
        Response.objects.filter(round=spec.round, status__in=SCORED_STATUSES)
        .filter(members_q(spec.area, "organisation__"))
        .order_by("pk")
    )
    answers = (
        Answer.objects.filter(response__in=responses.values("pk"))
        .order_by("response_id")
        .values_list("response_id", "question_id", "sex", "number", "text", "choices", "date")
    )
    columns = response_columns(individual=individual, submitted_at=True)
    fillers = []
    for question in questions:
        question_columns, cells = _answer_cells(question, spec.language)
        columns += question_columns
        fillers.append((question.pk, cells))

    labels = Labels(spec)

    def generate() -> Iterator[tuple]:
        answer_rows = answers.iterator(chunk_size=CHUNK)
        pending = next(answer_rows, None)
        meta = responses.values_list(
            "pk",
            "organisation__code",
            "organisation__name",
            "organisation__kind",
            "status",
            "submitted_at",
            "respondent_sex",
            "respondent_age_band",
        )
        for pk, code, name, kind, status, submitted_at, sex, age in meta.iterator(chunk_size=CHUNK):
            by_question: dict[int, dict] = {}
            while pending is not None and pending[0] <= pk:
                if pending[0] == pk:
                    _rid, question_id, answer_sex, number, text, chosen, day = pending
                    by_question.setdefault(question_id, {})[answer_sex] = (
                        number,
                        text,
                        chosen,
                        day,
                    )
                pending = next(answer_rows, None)
            line = [
                pk,
                code,
                labels.name(code, name),
                labels.kinds.get(kind, kind),
                labels.statuses.get(status, status),
                local(submitted_at),
            ]
            if individual:
                line += [sex_label(sex), age_label(age)]
            for question_id, cells in fillers:
                line += cells(by_question.get(question_id, {}))
            yield tuple(line)

    return Table(
        "answers",
        _("Raw answers"),
        columns,
        generate(),
        responses.count(),
        copy_sql=answers_sql(spec, questions, individual),
    )


# --- codebook ------------------------------------------------------------------------------


def codebook_table(spec: ExportSpec) -> Table:
    questions = _questions(spec)
    language = spec.language

    def generate() -> Iterator[tuple]:
        for question in questions:
            base = (
                question.pillar.code if question.pillar else "",
                pick(question.pillar.name, language) if question.pillar else "",
                question.code,
                question.order,
                str(QuestionKind(question.kind).label),
                pick(question.label, language),
                _("yes") if question.required else _("no"),
                question.relevant,
                question.constraint,
                question.weight,
                _scoring_text(question.scoring),
                question.gender_role,
            )
            choices = list(question.choices.all())
            if not choices:
                yield (*base, "", "", None, "")
            for choice in choices:
                yield (
                    *base,
                    choice.value,
                    pick(choice.label, language),
                    choice.score,
                    _("yes") if choice.is_dont_know else "",
                )

    columns = [
        Column(_("Pillar code"), TEXT, 14),
        Column(_("Pillar"), TEXT, 28),
        Column(_("Question code"), TEXT, 18),
        Column(_("Order"), INTEGER, 7),
        Column(_("Kind"), TEXT, 16),
        Column(_("Question"), TEXT, 50),
        Column(_("Required"), TEXT, 9),
        Column(_("Relevant (skip logic)"), TEXT, 20),
        Column(_("Constraint"), TEXT, 20),
        Column(_("Weight"), NUMBER, 8),
        Column(_("Scoring of numbers"), TEXT, 20),
        Column(_("Gender role"), TEXT, 16),
        Column(_("Choice value"), TEXT, 14),
        Column(_("Choice label"), TEXT, 30),
        Column(_("Choice score (0-1)"), NUMBER, 10),
        Column(_("Don't know"), TEXT, 9),
    ]
    count = sum(max(1, len(q.choices.all())) for q in questions)
    return Table("codebook", _("Codebook"), columns, generate(), count)


def _scoring_text(scoring: dict) -> str:
    if not scoring:
        return ""
    if scoring.get("thresholds"):
        steps = ", ".join(f"≥{at}: {score}" for at, score in scoring["thresholds"])
        return _("thresholds %(steps)s") % {"steps": steps}
    if scoring.get("ratio_to"):
        return _("ratio to %(code)s") % {"code": scoring["ratio_to"]}
    return ""
