"""/api/v1/gender-indicators/ and /api/v1/sex-scores/: sex-disaggregated results of areas."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reports.anonymity import sexes_withheld
from reports.api.areas import AreaSerializer, AreaViewSet
from reports.api.common import SCORE, AreaFilter, score_field
from reports.models import GenderIndicator, SexScore


class GenderFilter(AreaFilter):
    gender_role = django_filters.CharFilter(help_text="Gender role (e.g. staff, ict_staff).")


class GenderIndicatorSerializer(AreaSerializer):
    gender_role = serializers.CharField(
        label=_("gender role"), help_text="The staff group counted (the questions' gender_role)."
    )
    responses = serializers.IntegerField(
        label=_("responses"), help_text="Responses that gave both counts (count)."
    )
    women = serializers.FloatField(label=_("women"), help_text="Women, summed over the members.")
    men = serializers.FloatField(label=_("men"), help_text="Men, summed over the members.")
    female_share = serializers.FloatField(
        allow_null=True,
        label=_("female share"),
        help_text="women / (women + men), 0-1; null when both are 0.",
    )
    parity_index = serializers.FloatField(
        allow_null=True,
        label=_("parity index"),
        help_text="(women in the group / all women staff) / (men in the group / all men staff), "
        "over the responses that gave both; 1 is parity (0.97-1.03 counted as parity); null "
        "when it cannot be computed.",
    )
    incomplete = serializers.IntegerField(
        label=_("incomplete counts left out"),
        help_text="Responses that gave one sex and left the other empty: out of all the above.",
    )

    def shape(self, row) -> dict:
        return {
            **self.area(row),
            **{key: row[key] for key in GenderIndicatorViewSet.extra_values},
        }


class GenderIndicatorViewSet(AreaViewSet):
    """Women's and men's counts of each staff group per area, female share and parity index."""

    model = GenderIndicator
    serializer_class = GenderIndicatorSerializer
    filterset_class = GenderFilter
    csv_name = "gender-indicators"
    extra_values = (
        "gender_role",
        "responses",
        "women",
        "men",
        "female_share",
        "parity_index",
        "incomplete",
    )


class SexScoreFilter(AreaFilter):
    pillar = django_filters.CharFilter(help_text="Pillar code; `_overall` for overall readiness.")


class SexScoreSerializer(AreaSerializer):
    pillar = serializers.CharField(label=_("pillar"), help_text="Pillar code or `_overall`.")
    pillar_name = serializers.CharField(
        label=_("pillar name"), help_text="In the request's language."
    )
    women_n = serializers.IntegerField(label=_("women"), help_text="Women respondents (count).")
    men_n = serializers.IntegerField(label=_("men"), help_text="Men respondents (count).")
    women_withheld = serializers.BooleanField(
        help_text="True: fewer women than the minimum group size; women_mean is null."
    )
    men_withheld = serializers.BooleanField(
        help_text="True: fewer men than the minimum group size; men_mean is null."
    )
    women_mean = score_field(f"Mean score of women. {SCORE}; null: none or withheld.", _("women"))
    men_mean = score_field(f"Mean score of men. {SCORE}; null: none or withheld.", _("men"))
    gap = score_field(
        "women_mean - men_mean in score points (negative: women lower); null when either is.",
        _("gap"),
    )

    def shape(self, row) -> dict:
        minimum = self.labels.minimum_group
        # Either sex under the minimum hides both means (reports.anonymity.sexes_withheld).
        women_hidden = men_hidden = sexes_withheld(row["women_n"], row["men_n"], minimum)
        women = None if women_hidden else row["women_mean"]
        men = None if men_hidden else row["men_mean"]
        return {
            **self.area(row),
            "pillar": row["pillar"],
            "pillar_name": self.labels.pillar_name(row["round_id"], row["pillar"]),
            "women_n": row["women_n"],
            "men_n": row["men_n"],
            "women_withheld": women_hidden,
            "men_withheld": men_hidden,
            "women_mean": women,
            "men_mean": men,
            "gap": None if women is None or men is None else row["gap"],
        }


class SexScoreViewSet(AreaViewSet):
    """Individual questionnaires: mean scores of women and men respondents per area and pillar;
    a group under the minimum group size (MIN_GROUP_SIZE) is withheld."""

    model = SexScore
    serializer_class = SexScoreSerializer
    filterset_class = SexScoreFilter
    csv_name = "sex-scores"
    extra_values = ("pillar", "women_n", "men_n", "women_mean", "men_mean", "gap")
