"""The tables of precomputed results (reports/models.py): summary, organisation results,
aggregates by area and by ministry, gender indicators, scores by sex. Rows are generators over
server-side cursors, so no table is ever held whole in memory and none is capped."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from readiness.i18n import pick
from reports.exports.spec import SEX_SCORES, ExportSpec
from reports.exports.tables.base import (
    CHUNK,
    DATETIME,
    INTEGER,
    NUMBER,
    TEXT,
    Column,
    Labels,
    Table,
    age_label,
    area_axis,
    area_result_columns,
    is_individual,
    kind_label,
    local,
    members_q,
    pillar_label,
    pillars_of,
    priority_label,
    response_columns,
    sex_label,
    stage_name,
)
from reports.exports.tables.results_sql import aggregates_sql, gender_sql, scores_sql
from reports.exports.tables.sql import by_code
from reports.models import (
    OVERALL,
    AreaAggregate,
    Axis,
    GenderIndicator,
    ResponseScore,
    RoundScoring,
    SexScore,
)
from surveys.models import Question, ResponseStatus

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
                row.stage,
                stage_name(spec, row.stage),
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
        *area_result_columns(stage_name_width=28),
        Column(_("Scores computed at"), DATETIME, 18),
    ]
    count = sum(1 for code in order if code in rows)
    return Table("summary", _("Summary"), columns, generate(), count)


# --- organisation results ------------------------------------------------------------------


def scores_table(spec: ExportSpec) -> Table:
    pillars = pillars_of(spec)
    codes = [OVERALL, *(p.code for p in pillars)]
    names = {p.code: pick(p.name, spec.language) for p in pillars}
    individual = is_individual(spec)
    scores = (
        ResponseScore.objects.filter(round=spec.round)
        .filter(members_q(spec.area, "organisation__"))
        .order_by(by_code("organisation__path"), "response_id", "pillar")
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
                line += [sex_label(first[5]), age_label(first[6])]
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

    columns = response_columns(individual=individual, submitted_at=False)
    for code in codes:
        label = pillar_label(code, names)
        columns += [
            Column(_("%(pillar)s: score") % {"pillar": label}, NUMBER, 12),
            Column(_("%(pillar)s: stage") % {"pillar": label}, INTEGER, 8),
            Column(_("%(pillar)s: stage name") % {"pillar": label}, TEXT, 20),
            Column(_("%(pillar)s: gap") % {"pillar": label}, NUMBER, 8),
            Column(_("%(pillar)s: priority") % {"pillar": label}, TEXT, 16),
        ]
    return Table(
        "scores",
        _("Organisation results"),
        columns,
        generate(),
        count,
        copy_sql=scores_sql(spec, codes, individual),
    )


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
    rows = _area_results(spec, AreaAggregate).order_by(
        by_code("axis"), by_code("organisation__path"), "pillar"
    )
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
        "stage",
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
                expected, submitted, approved, dont_know, stage = rest[8:]
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
                    labels.stage_names.get(stage, "") if stage else "",
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
        *area_result_columns(stage_name_width=24),
    ]
    return Table(
        "aggregates",
        _("Results by area"),
        columns,
        generate(),
        rows.count(),
        copy_sql=aggregates_sql(spec, pillar_labels),
    )


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
        by_code("axis"), by_code("organisation__path"), by_code("gender_role")
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
    return Table(
        "gender",
        _("Gender indicators"),
        columns,
        generate(),
        rows.count(),
        copy_sql=gender_sql(spec, roles),
    )


def sex_scores_table(spec: ExportSpec) -> Table:
    """Individual questionnaires: mean scores of women and men respondents by area and pillar
    (the scoring leaves a mean out for a group under the minimum number of respondents)."""
    names = {p.code: pick(p.name, spec.language) for p in pillars_of(spec)}
    rows = _area_results(spec, SexScore).order_by(
        by_code("axis"), by_code("organisation__path"), "pillar"
    )
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
