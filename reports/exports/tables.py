"""The tables of a round's exports, read from the precomputed results (reports/models.py) and,
for the raw answers and the codebook, from the surveys models. Rows are generators over
server-side cursors, so no table is ever held whole in memory and none is capped.

Every label comes in the export's language: headers through gettext (the caller activates the
language), content through `pick(labels, language)`. Stages come from the one stage rule
(`stage_for`), or from the stored stage the scoring wrote with it."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation, OrganisationKind
from readiness.i18n import pick
from reports.exports.spec import SEX_SCORES, ExportSpec
from reports.models import (
    OVERALL,
    AreaAggregate,
    Axis,
    ExportWhat,
    GenderIndicator,
    PriorityClass,
    ResponseScore,
    RoundScoring,
    SexScore,
)
from reports.scoring import SCORED_STATUSES, stage_for
from surveys.models import (
    AgeBand,
    Answer,
    Pillar,
    Question,
    QuestionKind,
    RespondentType,
    Response,
    ResponseStatus,
    Sex,
)

CHUNK = 5000  # rows fetched per round trip of a server-side cursor
TEXT, NUMBER, INTEGER, DATE, DATETIME = "text", "number", "integer", "date", "datetime"
CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.YES_NO)


@dataclass
class Column:
    header: str
    kind: str = TEXT
    width: int = 12


@dataclass
class Table:
    """A table of an export: `rows` is a one-shot generator, `count` its length (for progress)."""

    key: str  # ASCII, for file names inside a zip
    title: str  # in the export's language, the sheet name
    columns: list[Column]
    rows: Iterator[tuple]
    count: int
    notes: list[str] = field(default_factory=list)


# --- the area ------------------------------------------------------------------------------


def members_q(area: Organisation, prefix: str = "") -> Q:
    """Organisations of an area: its subtree and, for a ministry, the sector offices attached
    to it (the same reach as the access policy's scopes)."""
    condition = Q(**{f"{prefix}path__startswith": area.path})
    if area.kind == OrganisationKind.MINISTRY:
        condition |= Q(**{f"{prefix}line_ministry": area})
    return condition


def area_axis(area: Organisation) -> str:
    """A ministry's results are its sector aggregates (its subtree and its sector offices)."""
    return Axis.SECTOR if area.kind == OrganisationKind.MINISTRY else Axis.TREE


def pillars_of(spec: ExportSpec) -> list[Pillar]:
    return list(Pillar.objects.filter(version=spec.round.version).order_by("order", "code"))


def pillar_label(code: str, pillars: dict[str, str]) -> str:
    return _("Overall readiness") if code == OVERALL else pillars.get(code, code)


def stage_name(spec: ExportSpec, score: float | None) -> str:
    stage = stage_for(score)
    return "" if stage is None else spec.round.version.stage_name(stage, spec.language)


def priority_label(value: str) -> str:
    return str(PriorityClass(value).label) if value else ""


def kind_label(value: str) -> str:
    return str(OrganisationKind(value).label) if value in OrganisationKind.values else value


def local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _number(value) -> float | None:
    return None if value is None else float(value)


class Labels:
    """The labels a table repeats on every row, translated once (a national table has tens of
    thousands of rows and a handful of distinct kinds, axes, stages and classes)."""

    def __init__(self, spec: ExportSpec) -> None:
        self.language = spec.language
        self.stage_names = {
            stage: spec.round.version.stage_name(stage, spec.language) for stage in range(1, 6)
        }
        self.kinds = {kind.value: str(kind.label) for kind in OrganisationKind}
        self.axes = {axis.value: str(axis.label) for axis in Axis}
        self.priorities = {c.value: str(c.label) if c.value else "" for c in PriorityClass}
        self.statuses = {status.value: str(status.label) for status in ResponseStatus}
        self._names: dict[str, str] = {}

    def name(self, code: str, labels: dict) -> str:
        name = self._names.get(code)
        if name is None:
            name = self._names[code] = pick(labels, self.language)
        return name

    def stage(self, score: float | None) -> tuple[int | None, str]:
        stage = stage_for(score)
        return stage, self.stage_names.get(stage, "") if stage else ""


# --- summary -------------------------------------------------------------------------------


def _area_rows(spec: ExportSpec) -> dict[str, AreaAggregate]:
    return {
        row.pillar: row
        for row in AreaAggregate.objects.filter(
            round=spec.round, organisation=spec.area, axis=area_axis(spec.area)
        )
    }


def summary_table(spec: ExportSpec) -> Table:
    pillars = pillars_of(spec)
    rows = _area_rows(spec)
    scoring = RoundScoring.objects.filter(round=spec.round).first()
    computed_at = local(scoring.computed_at) if scoring else None
    weights = {p.code: p for p in pillars}
    names = {p.code: pick(p.name, spec.language) for p in pillars}
    order = [OVERALL, *(p.code for p in pillars)]

    def generate() -> Iterator[tuple]:
        for code in order:
            row = rows.get(code)
            if row is None:
                continue
            pillar = weights.get(code)
            coverage = row.submitted / row.expected if row.expected else None
            yield (
                spec.round.code,
                spec.area.code,
                pick(spec.area.name, spec.language),
                code,
                pillar_label(code, names),
                (_("yes") if pillar.is_enabler else _("no")) if pillar else "",
                pillar.weight if pillar else None,
                row.n,
                row.mean,
                row.median,
                row.minimum,
                row.maximum,
                stage_for(row.mean),
                stage_name(spec, row.mean),
                row.target,
                row.gap,
                row.enabler_readiness,
                priority_label(row.priority_class),
                row.priority,
                row.expected,
                row.submitted,
                row.approved,
                coverage,
                row.dont_know_share,
                computed_at,
            )

    columns = [
        Column(_("Round"), TEXT, 12),
        Column(_("Area code"), TEXT, 12),
        Column(_("Area"), TEXT, 28),
        Column(_("Pillar code"), TEXT, 14),
        Column(_("Pillar"), TEXT, 34),
        Column(_("Enabler"), TEXT, 8),
        Column(_("Weight"), NUMBER, 8),
        Column(_("Scored responses"), INTEGER, 10),
        Column(_("Mean score (1-5)"), NUMBER, 10),
        Column(_("Median"), NUMBER, 9),
        Column(_("Minimum"), NUMBER, 9),
        Column(_("Maximum"), NUMBER, 9),
        Column(_("Stage"), INTEGER, 7),
        Column(_("Stage name"), TEXT, 28),
        Column(_("Target"), NUMBER, 8),
        Column(_("Gap"), NUMBER, 8),
        Column(_("Enabler readiness"), NUMBER, 10),
        Column(_("Priority class"), TEXT, 18),
        Column(_("Priority"), NUMBER, 9),
        Column(_("Expected responses"), INTEGER, 10),
        Column(_("Submitted responses"), INTEGER, 10),
        Column(_("Approved responses"), INTEGER, 10),
        Column(_("Coverage (share submitted)"), NUMBER, 10),
        Column(_("Share of don't know"), NUMBER, 10),
        Column(_("Scores computed at"), DATETIME, 18),
    ]
    count = sum(1 for code in order if code in rows)
    return Table("summary", _("Summary"), columns, generate(), count)


# --- organisation results ------------------------------------------------------------------


def _is_individual(spec: ExportSpec) -> bool:
    return spec.round.version.questionnaire.respondent_type == RespondentType.INDIVIDUAL


def scores_table(spec: ExportSpec) -> Table:
    pillars = pillars_of(spec)
    codes = [OVERALL, *(p.code for p in pillars)]
    names = {p.code: pick(p.name, spec.language) for p in pillars}
    individual = _is_individual(spec)
    scores = (
        ResponseScore.objects.filter(round=spec.round)
        .filter(members_q(spec.area, "organisation__"))
        .order_by("organisation__path", "response_id", "pillar")
    )
    count = scores.values("response_id").distinct().count()
    fields = (
        "response_id",
        "organisation__code",
        "organisation__name",
        "organisation__kind",
        "response__status",
        "response__respondent_sex",
        "response__respondent_age_band",
        "pillar",
        "score",
        "stage",
        "gap",
        "priority_class",
    )

    def generate() -> Iterator[tuple]:
        rows = scores.values_list(*fields).iterator(chunk_size=CHUNK)
        for _response_id, group in itertools.groupby(rows, key=lambda row: row[0]):
            group = list(group)
            first = group[0]
            by_pillar = {row[7]: row for row in group}
            line = [
                first[0],
                first[1],
                pick(first[2], spec.language),
                kind_label(first[3]),
                str(ResponseStatus(first[4]).label),
            ]
            if individual:
                line += [_sex_label(first[5]), _age_label(first[6])]
            for code in codes:
                row = by_pillar.get(code)
                if row is None:
                    line += [None, None, "", None, ""]
                else:
                    line += [
                        row[8],
                        row[9],
                        spec.round.version.stage_name(row[9], spec.language) if row[9] else "",
                        row[10],
                        priority_label(row[11]),
                    ]
            yield tuple(line)

    columns = [
        Column(_("Response id"), INTEGER, 10),
        Column(_("Organisation code"), TEXT, 14),
        Column(_("Organisation"), TEXT, 30),
        Column(_("Kind"), TEXT, 14),
        Column(_("Status"), TEXT, 12),
    ]
    if individual:
        columns += [Column(_("Respondent sex"), TEXT, 10), Column(_("Age band"), TEXT, 10)]
    for code in codes:
        label = pillar_label(code, names)
        columns += [
            Column(_("%(pillar)s: score") % {"pillar": label}, NUMBER, 12),
            Column(_("%(pillar)s: stage") % {"pillar": label}, INTEGER, 8),
            Column(_("%(pillar)s: stage name") % {"pillar": label}, TEXT, 20),
            Column(_("%(pillar)s: gap") % {"pillar": label}, NUMBER, 8),
            Column(_("%(pillar)s: priority") % {"pillar": label}, TEXT, 16),
        ]
    return Table("scores", _("Organisation results"), columns, generate(), count)


def _sex_label(value: str) -> str:
    return str(Sex(value).label) if value in Sex.values and value else ""


def _age_label(value: str) -> str:
    return str(AgeBand(value).label) if value in AgeBand.values else ""


# --- aggregates by area and by ministry ----------------------------------------------------


def _area_results(spec: ExportSpec, model) -> QuerySet:
    """Results of the nodes of the area (tree axis) and of the ministries in it (sector axis)."""
    return model.objects.filter(round=spec.round).filter(
        Q(axis=Axis.TREE) & members_q(spec.area, "organisation__")
        | Q(axis=Axis.SECTOR, organisation__path__startswith=spec.area.path)
    )


def aggregates_table(spec: ExportSpec) -> Table:
    pillars = pillars_of(spec)
    names = {p.code: pick(p.name, spec.language) for p in pillars}
    pillar_order = {code: index for index, code in enumerate([OVERALL, *names])}
    rows = _area_results(spec, AreaAggregate).order_by("axis", "organisation__path", "pillar")
    fields = (
        "axis",
        "organisation__code",
        "organisation__name",
        "organisation__kind",
        "organisation__depth",
        "pillar",
        "n",
        "mean",
        "median",
        "minimum",
        "maximum",
        "target",
        "gap",
        "enabler_readiness",
        "priority_class",
        "priority",
        "expected",
        "submitted",
        "approved",
        "dont_know_share",
    )

    labels = Labels(spec)
    pillar_labels = {code: pillar_label(code, names) for code in pillar_order}

    def generate() -> Iterator[tuple]:
        records = rows.values_list(*fields).iterator(chunk_size=CHUNK)
        # Per area, pillars in the questionnaire's order (the overall first).
        for _key, group in itertools.groupby(records, key=lambda row: (row[0], row[1])):
            for row in sorted(group, key=lambda row: pillar_order.get(row[5], 99)):
                (axis, code, name, kind, depth, pillar, n, mean, *rest) = row
                median, minimum, maximum, target, gap, enabler, pclass, priority = rest[:8]
                expected, submitted, approved, dont_know = rest[8:]
                stage, stage_label = labels.stage(mean)
                yield (
                    labels.axes[axis],
                    code,
                    labels.name(code, name),
                    labels.kinds.get(kind, kind),
                    depth - 1,
                    pillar,
                    pillar_labels.get(pillar, pillar),
                    n,
                    mean,
                    median,
                    minimum,
                    maximum,
                    stage,
                    stage_label,
                    target,
                    gap,
                    enabler,
                    labels.priorities.get(pclass, ""),
                    priority,
                    expected,
                    submitted,
                    approved,
                    submitted / expected if expected else None,
                    dont_know,
                )

    columns = [
        Column(_("Axis"), TEXT, 14),
        Column(_("Area code"), TEXT, 12),
        Column(_("Area"), TEXT, 28),
        Column(_("Kind"), TEXT, 14),
        Column(_("Level"), INTEGER, 6),
        Column(_("Pillar code"), TEXT, 14),
        Column(_("Pillar"), TEXT, 30),
        Column(_("Scored responses"), INTEGER, 10),
        Column(_("Mean score (1-5)"), NUMBER, 10),
        Column(_("Median"), NUMBER, 9),
        Column(_("Minimum"), NUMBER, 9),
        Column(_("Maximum"), NUMBER, 9),
        Column(_("Stage"), INTEGER, 7),
        Column(_("Stage name"), TEXT, 24),
        Column(_("Target"), NUMBER, 8),
        Column(_("Gap"), NUMBER, 8),
        Column(_("Enabler readiness"), NUMBER, 10),
        Column(_("Priority class"), TEXT, 18),
        Column(_("Priority"), NUMBER, 9),
        Column(_("Expected responses"), INTEGER, 10),
        Column(_("Submitted responses"), INTEGER, 10),
        Column(_("Approved responses"), INTEGER, 10),
        Column(_("Coverage (share submitted)"), NUMBER, 10),
        Column(_("Share of don't know"), NUMBER, 10),
    ]
    return Table("aggregates", _("Results by area"), columns, generate(), rows.count())


# --- gender indicators ---------------------------------------------------------------------


def gender_role_labels(spec: ExportSpec) -> dict[str, str]:
    """{gender role: its name}: a role is named by the first question that carries it."""
    labels: dict[str, str] = {}
    questions = (
        Question.objects.filter(version=spec.round.version)
        .exclude(gender_role="")
        .order_by("order")
        .values_list("gender_role", "label")
    )
    for role, label in questions:
        labels.setdefault(role, pick(label, spec.language))
    return labels


def gender_table(spec: ExportSpec) -> Table:
    rows = _area_results(spec, GenderIndicator).order_by(
        "axis", "organisation__path", "gender_role"
    )
    roles = gender_role_labels(spec)
    fields = (
        "axis",
        "organisation__code",
        "organisation__name",
        "organisation__kind",
        "gender_role",
        "responses",
        "women",
        "men",
        "female_share",
        "parity_index",
    )

    labels = Labels(spec)

    def generate() -> Iterator[tuple]:
        for row in rows.values_list(*fields).iterator(chunk_size=CHUNK):
            axis, code, name, kind, role, responses, women, men, share, parity = row
            yield (
                labels.axes[axis],
                code,
                labels.name(code, name),
                labels.kinds.get(kind, kind),
                role,
                roles.get(role, role),
                responses,
                women,
                men,
                women + men,
                share,
                parity,
            )

    columns = [
        Column(_("Axis"), TEXT, 14),
        Column(_("Area code"), TEXT, 12),
        Column(_("Area"), TEXT, 28),
        Column(_("Kind"), TEXT, 14),
        Column(_("Gender role code"), TEXT, 18),
        Column(_("Gender role"), TEXT, 34),
        Column(_("Responses"), INTEGER, 10),
        Column(_("Women"), NUMBER, 9),
        Column(_("Men"), NUMBER, 9),
        Column(_("Total"), NUMBER, 9),
        Column(_("Female share"), NUMBER, 9),
        Column(_("Parity index"), NUMBER, 9),
    ]
    return Table("gender", _("Gender indicators"), columns, generate(), rows.count())


# --- raw answers ---------------------------------------------------------------------------


def _questions(spec: ExportSpec) -> list[Question]:
    return list(
        Question.objects.filter(version=spec.round.version)
        .exclude(kind=QuestionKind.NOTE)
        .select_related("pillar")
        .prefetch_related("choices")
        .order_by("order", "code")
    )


def _answer_cells(question: Question, language: str) -> tuple[list[Column], Callable]:
    """The columns of one question and how to fill them from its answers {sex: answer row}."""
    code = question.code
    if question.kind == QuestionKind.COUNT_BY_SEX:
        columns = [
            Column(f"{code} ({_('women')})", NUMBER, 10),
            Column(f"{code} ({_('men')})", NUMBER, 10),
        ]

        def cells(by_sex: dict) -> list:
            return [_number(by_sex.get("F", (None,))[0]), _number(by_sex.get("M", (None,))[0])]

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
            return [_number(by_sex.get("", (None,))[0])]

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
    individual = _is_individual(spec)
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
    columns = [
        Column(_("Response id"), INTEGER, 10),
        Column(_("Organisation code"), TEXT, 14),
        Column(_("Organisation"), TEXT, 30),
        Column(_("Kind"), TEXT, 14),
        Column(_("Status"), TEXT, 12),
        Column(_("Submitted at"), DATETIME, 18),
    ]
    if individual:
        columns += [Column(_("Respondent sex"), TEXT, 10), Column(_("Age band"), TEXT, 10)]
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
                line += [_sex_label(sex), _age_label(age)]
            for question_id, cells in fillers:
                line += cells(by_question.get(question_id, {}))
            yield tuple(line)

    return Table("answers", _("Raw answers"), columns, generate(), responses.count())


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


def sex_scores_table(spec: ExportSpec) -> Table:
    """Individual questionnaires: mean scores of women and men respondents by area and pillar
    (the scoring leaves a mean out for a group under the minimum number of respondents)."""
    names = {p.code: pick(p.name, spec.language) for p in pillars_of(spec)}
    rows = _area_results(spec, SexScore).order_by("axis", "organisation__path", "pillar")
    labels = Labels(spec)
    fields = (
        "axis",
        "organisation__code",
        "organisation__name",
        "organisation__kind",
        "pillar",
        "women_n",
        "men_n",
        "women_mean",
        "men_mean",
        "gap",
    )

    def generate() -> Iterator[tuple]:
        for row in rows.values_list(*fields).iterator(chunk_size=CHUNK):
            axis, code, name, kind, pillar, *numbers = row
            yield (
                labels.axes[axis],
                code,
                labels.name(code, name),
                labels.kinds.get(kind, kind),
                pillar,
                pillar_label(pillar, names),
                *numbers,
            )

    columns = [
        Column(_("Axis"), TEXT, 14),
        Column(_("Area code"), TEXT, 12),
        Column(_("Area"), TEXT, 28),
        Column(_("Kind"), TEXT, 14),
        Column(_("Pillar code"), TEXT, 14),
        Column(_("Pillar"), TEXT, 30),
        Column(_("Women respondents"), INTEGER, 10),
        Column(_("Men respondents"), INTEGER, 10),
        Column(_("Women's mean score"), NUMBER, 10),
        Column(_("Men's mean score"), NUMBER, 10),
        Column(_("Gap (women - men)"), NUMBER, 10),
    ]
    return Table(SEX_SCORES, _("Scores by sex"), columns, generate(), rows.count())


BUILDERS: dict[str, Callable[[ExportSpec], Table]] = {
    SEX_SCORES: sex_scores_table,
    ExportWhat.SUMMARY: summary_table,
    ExportWhat.SCORES: scores_table,
    ExportWhat.AGGREGATES: aggregates_table,
    ExportWhat.GENDER: gender_table,
    ExportWhat.ANSWERS: answers_table,
    ExportWhat.CODEBOOK: codebook_table,
}


def table_for(spec: ExportSpec, key: str) -> Table:
    return BUILDERS[key](spec)


def is_value(value) -> bool:
    return value is not None and value == value  # NaN is not a value


__all__ = ["Column", "Table", "area_axis", "date", "is_value", "members_q", "table_for"]
