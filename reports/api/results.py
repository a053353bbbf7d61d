"""/api/v1/results/: per-organisation results of organisation questionnaires, one row per
scored response and pillar (and one for the overall readiness, pillar `_overall`).

Results of individual questionnaires are never served per response (anonymous staff): read
them by group in /api/v1/sex-scores/ and /api/v1/area-results/."""

from __future__ import annotations

import django_filters
from django.db.models import Max, Min
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organisations.models import OrganisationKind
from readiness.api.csv import copy_response
from readiness.api.views import ApiListViewSet, ShapedSerializer
from reports.access import api_result_rounds, api_scores_scope
from reports.api.common import NULL_NO_SCORE, SCORE, Labels, ResultFilter, node_by_code, score_field
from reports.exports.tables.base import INTEGER, NUMBER, TEXT
from reports.exports.tables.sql import Query, formatted_select
from reports.models import RESPONSE_SCORE_COLUMNS, PriorityClass, ResponseScore
from surveys.models import RespondentType

PRIORITY = (
    "quick_win: gap >= 0.5 and enabler readiness >= 3; build_foundations: gap >= 0.5 and "
    "enabler readiness < 3 (or unknown); on_track: gap < 0.5; empty: no target or no score."
)


class OrganisationResultFilter(ResultFilter):
    kind = django_filters.ChoiceFilter(
        field_name="organisation__kind",
        choices=OrganisationKind.choices,
        help_text="Kind of organisation.",
    )
    sector = django_filters.CharFilter(
        method="filter_sector",
        help_text="Code of a line ministry: its own subtree and the offices attached to it.",
    )
    pillar = django_filters.CharFilter(
        field_name="pillar", help_text="Pillar code; `_overall` for the overall readiness."
    )

    def filter_sector(self, queryset, name, value):
        node = node_by_code(value)
        if node is None or node.kind != OrganisationKind.MINISTRY:
            return queryset.none()
        return queryset.filter(organisation__path__startswith=node.path) | queryset.filter(
            organisation__line_ministry=node
        )


class OrganisationResultSerializer(ShapedSerializer):
    round = serializers.CharField(label=_("round"), help_text="Code of the round.")
    response_id = serializers.IntegerField(
        label=_("response"), help_text="Id of the organisation's response."
    )
    organisation_code = serializers.CharField(label=_("organisation"), help_text="Its code.")
    organisation_name = serializers.CharField(
        label=_("name"), help_text="Its name in the request's language (?lang=lo|en)."
    )
    kind = serializers.ChoiceField(
        choices=OrganisationKind.choices, label=_("kind"), help_text="Kind of organisation."
    )
    line_ministry_code = serializers.CharField(
        allow_null=True, label=_("line ministry"), help_text="Sector axis; null without one."
    )
    pillar = serializers.CharField(
        label=_("pillar"), help_text="Pillar code; `_overall` for the overall readiness."
    )
    pillar_name = serializers.CharField(
        label=_("pillar name"), help_text="In the request's language."
    )
    score = score_field(f"Score. {SCORE}; {NULL_NO_SCORE}.", _("score"))
    stage = serializers.IntegerField(
        allow_null=True,
        label=_("stage"),
        help_text="Stage 1-5 = min(5, floor(score)); null without a score.",
    )
    stage_name = serializers.CharField(
        allow_null=True,
        label=_("stage name"),
        help_text="The version's name of the stage, in the request's language; null without one.",
    )
    answered = serializers.IntegerField(
        label=_("answered"), help_text="Scored questions answered (count)."
    )
    dont_know = serializers.IntegerField(
        label=_("don't know"), help_text='Questions answered "don\'t know" (count, left out).'
    )
    skipped = serializers.IntegerField(
        label=_("skipped"), help_text="Questions skipped by skip logic (count, left out)."
    )
    unanswered = serializers.IntegerField(
        label=_("unanswered"), help_text="Questions left unanswered (count, left out)."
    )
    target = score_field(f"The round's target. {SCORE}; null: no target.", _("target"))
    gap = score_field(
        "max(0, target - score), in score points (0-4); null: no target or no score.", _("gap")
    )
    enabler_readiness = score_field(
        f"Mean of the enabler pillars' scores. {SCORE}; null: none scored.",
        _("enabler readiness"),
    )
    priority_class = serializers.ChoiceField(
        choices=PriorityClass.choices, label=_("priority class"), help_text=PRIORITY
    )
    priority_label = serializers.CharField(
        label=_("priority class (label)"), help_text="In the request's language."
    )
    priority = score_field(
        "gap x (enabler readiness - 1) / 4, 0-4 (higher: act first); null: no gap.",
        _("priority"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.labels = Labels()
        self.english = get_language() == "en"

    def shape(self, row) -> dict:
        labels, round_id, name = self.labels, row["round_id"], row["organisation__name"] or {}
        first, second = ("en", "lo") if self.english else ("lo", "en")
        return {
            "round": row["round__code"],
            "response_id": row["response_id"],
            "organisation_code": row["organisation__code"],
            "organisation_name": name.get(first) or name.get(second, ""),
            "kind": row["organisation__kind"],
            "line_ministry_code": row["organisation__line_ministry__code"],
            "pillar": row["pillar"],
            "pillar_name": labels.pillar_name(round_id, row["pillar"]),
            "score": row["score"],
            "stage": row["stage"],
            "stage_name": labels.stage_name(round_id, row["stage"]),
            "answered": row["answered"],
            "dont_know": row["dont_know"],
            "skipped": row["skipped"],
            "unanswered": row["unanswered"],
            "target": row["target"],
            "gap": row["gap"],
            "enabler_readiness": row["enabler_readiness"],
            "priority_class": row["priority_class"],
            "priority_label": labels.priorities.get(row["priority_class"], ""),
            "priority": row["priority"],
        }


VALUES = (
    "pk",
    "round_id",
    "round__code",
    "response_id",
    "organisation__code",
    "organisation__name",
    "organisation__kind",
    "organisation__line_ministry__code",
    *RESPONSE_SCORE_COLUMNS,
)


class OrganisationResultViewSet(ApiListViewSet):
    """Results of organisations the reader may see (an area role's scope, a focal point's own
    organisation), for organisation questionnaires' rounds past their preparation."""

    serializer_class = OrganisationResultSerializer
    filterset_class = OrganisationResultFilter
    csv_name = "organisation-results"

    def get_queryset(self):
        return (
            ResponseScore.objects.filter(
                round__in=api_result_rounds().filter(
                    version__questionnaire__respondent_type=RespondentType.ORGANISATION
                )
            )
            .filter(api_scores_scope(self.request.user))
            .values(*VALUES)
        )

    def csv_by_copy(self, queryset):
        """The CSV of every filtered result, written by PostgreSQL (the JSON's cells)."""
        blocks = results_copy_blocks(queryset, Labels(), get_language())
        return copy_response([name for name, _kind, _expression in CELLS], blocks, self.csv_name)


# --- the CSV, written by PostgreSQL ----------------------------------------------------------

COPY_BLOCK = 10_000  # result ids per COPY: bounded memory, few round trips

CELLS = (  # (header, kind, expression over the row's values v.c0 … in VALUES order)
    ("round", TEXT, "v.round__code"),
    ("response_id", INTEGER, "v.response_id"),
    ("organisation_code", TEXT, "v.organisation__code"),
    ("organisation_name", TEXT, None),
    ("kind", TEXT, "v.organisation__kind"),
    ("line_ministry_code", TEXT, "v.organisation__line_ministry__code"),
    ("pillar", TEXT, "v.pillar"),
    ("pillar_name", TEXT, None),
    ("score", NUMBER, "v.score"),
    ("stage", INTEGER, "v.stage"),
    ("stage_name", TEXT, None),
    ("answered", INTEGER, "v.answered"),
    ("dont_know", INTEGER, "v.dont_know"),
    ("skipped", INTEGER, "v.skipped"),
    ("unanswered", INTEGER, "v.unanswered"),
    ("target", NUMBER, "v.target"),
    ("gap", NUMBER, "v.gap"),
    ("enabler_readiness", NUMBER, "v.enabler_readiness"),
    ("priority_class", TEXT, "v.priority_class"),
    ("priority_label", TEXT, None),
    ("priority", NUMBER, "v.priority"),
)


def results_copy_blocks(queryset, labels: Labels, language: str):
    """(sql, params) per block of result ids: the filtered rows formatted as the CSV writes
    them (the same cells as `OrganisationResultSerializer.shape`, labels looked up in JSON maps
    of the request's language). The scope and filters are the queryset's own SQL."""
    labels.load()
    inner_sql, inner_params = queryset.values_list(*VALUES).order_by().query.sql_with_params()
    bounds = queryset.order_by().aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return
    query = Query()
    computed = {
        "organisation_name": query.name("v.organisation__name", language),
        "pillar_name": query.label(
            {f"{r}:{code}": name for (r, code), name in labels.pillar_names.items()},
            "(v.round_id || ':' || v.pillar)",
        ),
        "stage_name": query.label(
            {
                f"{r}:{s}": name
                for r, names in labels.stage_names.items()
                for s, name in names.items()
            },
            "(v.round_id || ':' || v.stage)",
            "NULL",
        ),
        "priority_label": query.label(labels.priorities, "v.priority_class", "''"),
    }
    cells = [(kind, expression or computed[name]) for name, kind, expression in CELLS]
    columns = ", ".join(f'"{value}"' for value in VALUES)
    source = f"FROM ({inner_sql}) AS v({columns}) WHERE v.pk > %s AND v.pk <= %s"
    sql = formatted_select(cells, source, ["v.pk"])
    low = bounds["low"] - 1
    while low < bounds["high"]:
        yield sql, [*query.params, *inner_params, low, low + COPY_BLOCK]
        low += COPY_BLOCK
