"""/api/v1/area-results/, /coverage/, /gender-indicators/, /sex-scores/: the stored results of
areas (a node of the tree with its subtree, or a line ministry with its sector), for the
areas whose dashboards the reader may open.

Individual questionnaires (anonymous staff): a group of fewer respondents than
settings.MIN_GROUP_SIZE has its scores withheld (null, `withheld` true), overall and for each
sex, as on the dashboards; counts stay."""

from __future__ import annotations

import django_filters
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organisations.models import OrganisationKind
from readiness.api.views import ApiListViewSet, ShapedSerializer
from reports.access import api_area_scope, api_result_rounds
from reports.anonymity import too_few_respondents
from reports.api.common import (
    NULL_NO_SCORE,
    SCORE,
    AreaFilter,
    Labels,
    score_field,
)
from reports.api.results import PRIORITY
from reports.models import AGGREGATE_SCORE_COLUMNS, OVERALL, AreaAggregate, Axis, PriorityClass
from reports.scoring.engine import stage_for
from surveys.models import RespondentType

AREA_VALUES = (
    "pk",
    "round_id",
    "round__code",
    "round__version__questionnaire__respondent_type",
    "organisation__code",
    "organisation__name",
    "organisation__kind",
    "axis",
)


class AreaSerializer(ShapedSerializer):
    """The fields naming an area, first in every row."""

    round = serializers.CharField(label=_("round"), help_text="Code of the round.")
    area_code = serializers.CharField(label=_("area"), help_text="Code of the area's node.")
    area_name = serializers.CharField(
        label=_("name"), help_text="The area's name in the request's language."
    )
    level = serializers.ChoiceField(
        choices=OrganisationKind.choices, label=_("level"), help_text="Kind of the area's node."
    )
    axis = serializers.ChoiceField(
        choices=Axis.choices,
        label=_("axis"),
        help_text="tree: the node and its subtree; sector: a line ministry with its subtree "
        "and the offices attached to it.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.labels = Labels()
        self.english = get_language() == "en"

    def area(self, row) -> dict:
        name = row["organisation__name"] or {}
        first, second = ("en", "lo") if self.english else ("lo", "en")
        return {
            "round": row["round__code"],
            "area_code": row["organisation__code"],
            "area_name": name.get(first) or name.get(second, ""),
            "level": row["organisation__kind"],
            "axis": row["axis"],
        }

    def individual(self, row) -> bool:
        return row["round__version__questionnaire__respondent_type"] == RespondentType.INDIVIDUAL


class AreaViewSet(ApiListViewSet):
    model = AreaAggregate
    filterset_class = AreaFilter
    extra_values: tuple[str, ...] = ()

    def base_queryset(self):
        return self.model.objects.filter(round__in=api_result_rounds()).filter(
            api_area_scope(self.request.user)
        )

    def get_queryset(self):
        return self.base_queryset().values(*AREA_VALUES, *self.extra_values)


# --- aggregates ---------------------------------------------------------------------------


class AggregateFilter(AreaFilter):
    pillar = django_filters.CharFilter(help_text="Pillar code; `_overall` for overall readiness.")


class AggregateSerializer(AreaSerializer):
    pillar = serializers.CharField(label=_("pillar"), help_text="Pillar code or `_overall`.")
    pillar_name = serializers.CharField(
        label=_("pillar name"), help_text="In the request's language."
    )
    n = serializers.IntegerField(
        label=_("scored responses"),
        help_text="Scored responses of the area's members (respondents for an individual "
        "questionnaire).",
    )
    withheld = serializers.BooleanField(
        label=_("withheld"),
        help_text="True: an individual questionnaire's group under the minimum group size "
        "(MIN_GROUP_SIZE); its scores are null so that no respondent can be recognised.",
    )
    mean = score_field(f"Mean of member scores. {SCORE}; {NULL_NO_SCORE} or withheld.", _("mean"))
    median = score_field(f"Median of member scores. {SCORE}; null as mean.", _("median"))
    minimum = score_field(f"Lowest member score. {SCORE}; null as mean.", _("minimum"))
    maximum = score_field(f"Highest member score. {SCORE}; null as mean.", _("maximum"))
    stage = serializers.IntegerField(
        allow_null=True, label=_("stage"), help_text="min(5, floor(mean)); null without mean."
    )
    stage_name = serializers.CharField(
        allow_null=True, label=_("stage name"), help_text="In the request's language."
    )
    target = score_field(f"The round's target. {SCORE}; null: no target.", _("target"))
    gap = score_field("max(0, target - mean), 0-4; null: no target or no mean.", _("gap"))
    enabler_readiness = score_field(
        f"Mean of the enabler pillars' means. {SCORE}; null: none.", _("enabler readiness")
    )
    priority_class = serializers.ChoiceField(
        choices=PriorityClass.choices, label=_("priority class"), help_text=PRIORITY
    )
    priority = score_field("gap x (enabler readiness - 1) / 4; null: no gap.", _("priority"))
    expected = serializers.IntegerField(
        label=_("expected"), help_text="Organisations the round targets in the area (count)."
    )
    submitted = serializers.IntegerField(
        label=_("submitted"), help_text="Responses submitted or approved (count)."
    )
    approved = serializers.IntegerField(label=_("approved"), help_text="Approved (count).")
    dont_know_share = serializers.FloatField(
        allow_null=True,
        label=_("share of don't know"),
        help_text='Share 0-1 of "don\'t know" among answered questions; null: none answered.',
    )

    def shape(self, row) -> dict:
        hidden = self.individual(row) and too_few_respondents(row["n"], self.labels.minimum_group)
        scores = {k: None if hidden else row[k] for k in ("mean", "median", "minimum", "maximum")}
        stage = stage_for(scores["mean"])
        return {
            **self.area(row),
            "pillar": row["pillar"],
            "pillar_name": self.labels.pillar_name(row["round_id"], row["pillar"]),
            "n": row["n"],
            "withheld": hidden,
            **scores,
            "stage": stage,
            "stage_name": self.labels.stage_name(row["round_id"], stage),
            "target": row["target"],
            "gap": None if hidden else row["gap"],
            "enabler_readiness": None if hidden else row["enabler_readiness"],
            "priority_class": "" if hidden else row["priority_class"],
            "priority": None if hidden else row["priority"],
            "expected": row["expected"],
            "submitted": row["submitted"],
            "approved": row["approved"],
            "dont_know_share": None if hidden else row["dont_know_share"],
        }


class AreaResultViewSet(AreaViewSet):
    """Results of areas by round, axis, node and level: member scores per pillar and overall,
    stage, gap and priority, coverage."""

    serializer_class = AggregateSerializer
    filterset_class = AggregateFilter
    csv_name = "area-results"
    extra_values = (
        *AGGREGATE_SCORE_COLUMNS,
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


# --- coverage -------------------------------------------------------------------------------


class CoverageSerializer(AreaSerializer):
    expected = serializers.IntegerField(
        label=_("expected"), help_text="Organisations the round targets in the area (count)."
    )
    submitted = serializers.IntegerField(
        label=_("submitted"), help_text="Responses submitted or approved (count)."
    )
    approved = serializers.IntegerField(label=_("approved"), help_text="Approved (count).")
    submitted_share = serializers.FloatField(
        allow_null=True,
        label=_("coverage (share submitted)"),
        help_text="submitted / expected, 0-1; null when nothing is expected.",
    )
    scored = serializers.IntegerField(
        label=_("scored responses"), help_text="Responses with an overall score (count)."
    )

    def shape(self, row) -> dict:
        expected = row["expected"]
        return {
            **self.area(row),
            "expected": expected,
            "submitted": row["submitted"],
            "approved": row["approved"],
            "submitted_share": row["submitted"] / expected if expected else None,
            "scored": row["n"],
        }


class CoverageViewSet(AreaViewSet):
    """Responses expected, submitted and approved per area (the overall rows of the results)."""

    serializer_class = CoverageSerializer
    csv_name = "coverage"
    extra_values = ("n", "expected", "submitted", "approved")

    def base_queryset(self):
        return super().base_queryset().filter(pillar=OVERALL)
