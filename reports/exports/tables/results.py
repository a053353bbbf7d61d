"""The tables of precomputed results (reports/models.py): summary, organisation results,
aggregates by area and by ministry, gender indicators, scores by sex. Rows are generators over
server-side cursors, so no table is ever held whole in memory and none is capped."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from readiness.i18n import pick
from reports.anonymity import FEWER_THAN, sexes_withheld
from reports.exports.spec import SEX_SCORES, ExportSpec
from reports.exports.tables.base import (
    AREA_FIELDS,
    AREA_RESULT,
    CHUNK,
    DATETIME,
    INTEGER,
    NUMBER,
    SEX_SCORE_FIELDS,
    TEXT,
    Column,
    Labels,
    Table,
    age_label,
    area_axis,
    area_columns,
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
    labels = Labels(spec)

    def generate() -> Iterator[tuple]:
        for code in order:
            row = rows.get(code)
            if row is None:
                continue
            pillar = weights.get(code)
            yield (
                spec.round.code,
                spec.area.code,
                pick(spec.area.name, spec.language),
                code,
                pillar_label(code, names),
                (_("yes") if pillar.is_enabler else _("no")) if pillar else "",
                pillar.weight if pillar else None,
                *labels.area_result(tuple(getattr(row, field) for field in AREA_RESULT)),
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
    fields = (*AREA_FIELDS, "organisation__depth", "pillar", *AREA_RESULT)
    labels = Labels(spec)
    pillar_labels = {code: pillar_label(code, names) for code in pillar_order}

    def generate() -> Iterator[tuple]:
        records = rows.values_list(*fields).iterator(chunk_size=CHUNK)
        # Per area, pillars in the questionnaire's order (the overall first).
        for _key, group in itertools.groupby(records, key=lambda row: (row[0], row[1])):
            for row in sorted(group, key=lambda row: pillar_order.get(row[5], 99)):
                depth, pillar = row[4:6]
                yield (
                    *labels.area(*row[:4]),
                    depth - 1,
                    pillar,
                    pillar_labels.get(pillar, pillar),
                    *labels.area_result(row[6:]),
                )

    columns = [
        *area_columns(),
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
        # An individual questionnaire's areas of too few respondents are withheld (Labels).
        copy_sql=None if labels.individual else aggregates_sql(spec, pillar_labels),
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
    fields = (*AREA_FIELDS, "gender_role", "responses", "women", "men", "female_share")
    labels = Labels(spec)

    def generate() -> Iterator[tuple]:
        for row in rows.values_list(*fields, "parity_index").iterator(chunk_size=CHUNK):
            role, responses, women, men, share, parity = row[4:]
            yield (
                *labels.area(*row[:4]),
                *(role, roles.get(role, role), responses),
                *(women, men, women + men, share, parity),
            )

    columns = [
        *area_columns(),
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
    fields = (*AREA_FIELDS, "pillar", *SEX_SCORE_FIELDS)

    def generate() -> Iterator[tuple]:
        for row in rows.values_list(*fields).iterator(chunk_size=CHUNK):
            pillar = row[4]
            yield (
                *labels.area(*row[:4]),
                *(pillar, pillar_label(pillar, names)),
                *_sex_score_cells(*row[5:]),
            )

    columns = [
        *area_columns(),
        Column(_("Pillar code"), TEXT, 14),
        Column(_("Pillar"), TEXT, 30),
        Column(_("Women respondents"), INTEGER, 10),
        Column(_("Men respondents"), INTEGER, 10),
        Column(_("Women's mean score"), NUMBER, 10),
        Column(_("Men's mean score"), NUMBER, 10),
        Column(_("Gap (women - men)"), NUMBER, 10),
    ]
    return Table(SEX_SCORES, _("Scores by sex"), columns, generate(), rows.count())


def _sex_score_cells(women_n: int, men_n: int, women_mean, men_mean, gap) -> tuple:
    """Women's and men's counts and means, and the gap; when either sex has too few respondents
    (reports.anonymity.sexes_withheld) both means say "fewer than 5 responses", and no gap."""
    if sexes_withheld(women_n, men_n):
        women_mean = men_mean = str(FEWER_THAN)
        gap = None
    return women_n, men_n, women_mean, men_mean, gap
