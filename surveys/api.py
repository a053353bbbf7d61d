"""The questionnaire and round endpoints of the API (/api/v1/rounds/, /questionnaires/,
/versions/): what rounds ask and when, read through surveys/access.py."""

from __future__ import annotations

import django_filters
from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response as ApiResponse

from readiness.api.views import ApiViewSet, ShapedSerializer
from surveys.access import rounds_for_reader, version_for_reader, versions_for_reader
from surveys.models import (
    QuestionKind,
    RespondentType,
    RoundStatus,
    VersionStatus,
)
from surveys.xlsform.exporter import xlsform_export

LABELS = 'Labels by language, e.g. {"lo": "…", "en": "…"}.'


def _labels(help_text: str = LABELS) -> serializers.DictField:
    return serializers.DictField(child=serializers.CharField(), help_text=help_text)


class XlsxRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return data if isinstance(data, bytes) else b""


# --- rounds ------------------------------------------------------------------------------------


class RoundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices, help_text="Round status.")
    questionnaire = django_filters.CharFilter(
        field_name="version__questionnaire__code", help_text="Code of the questionnaire."
    )


class RoundSerializer(ShapedSerializer):
    code = serializers.CharField(label=_("code"), help_text="Stable code of the round.")
    name_lo = serializers.CharField(label=_("name (Lao)"), help_text="Name in Lao.")
    name_en = serializers.CharField(label=_("name (English)"), help_text="Name in English.")
    status = serializers.ChoiceField(
        choices=RoundStatus.choices, label=_("status"), help_text="Round status."
    )
    opens_on = serializers.DateField(label=_("opens on"), help_text="First day of answering.")
    closes_on = serializers.DateField(label=_("closes on"), help_text="Last day of answering.")
    questionnaire_code = serializers.CharField(
        label=_("questionnaire"), help_text="Code of the questionnaire asked."
    )
    respondent_type = serializers.ChoiceField(
        choices=RespondentType.choices,
        label=_("respondents"),
        help_text="organisation: one response per organisation; individual: anonymous staff, "
        "results only by group (never one response).",
    )
    version_id = serializers.IntegerField(
        label=_("questionnaire version"), help_text="Id of the version (/api/v1/versions/{id}/)."
    )
    baseline_code = serializers.CharField(
        allow_null=True,
        label=_("baseline round"),
        help_text="Code of the round progress is measured from; null without one.",
    )
    pillar_targets = serializers.DictField(
        child=serializers.FloatField(),
        label=_("pillar targets"),
        help_text="Target score per pillar code, on the 1-5 scale (missing: no target).",
    )

    def shape(self, row) -> dict:
        name = row["name"] or {}
        return {
            "code": row["code"],
            "name_lo": name.get("lo", ""),
            "name_en": name.get("en", ""),
            "status": row["status"],
            "opens_on": row["opens_on"],
            "closes_on": row["closes_on"],
            "questionnaire_code": row["version__questionnaire__code"],
            "respondent_type": row["version__questionnaire__respondent_type"],
            "version_id": row["version_id"],
            "baseline_code": row["baseline__code"],
            "pillar_targets": row["pillar_targets"] or {},
        }


class RoundViewSet(ApiViewSet):
    """Rounds of questionnaires: every round past its preparation for a user with a role (a
    platform administrator also sees those being prepared)."""

    serializer_class = RoundSerializer
    filterset_class = RoundFilter
    lookup_field = "code"
    lookup_value_converter = "str"
    csv_name = "rounds"

    def get_queryset(self):
        return rounds_for_reader(self.request.user).values(
            "pk",
            "code",
            "name",
            "status",
            "opens_on",
            "closes_on",
            "version_id",
            "version__questionnaire__code",
            "version__questionnaire__respondent_type",
            "baseline__code",
            "pillar_targets",
        )

    def get_object(self):
        row = self.get_queryset().filter(code=self.kwargs["code"].replace("\x00", "")).first()
        if row is None or "\x00" in self.kwargs["code"]:
            raise Http404
        return row


# --- questionnaire versions ----------------------------------------------------------------


class VersionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices, help_text="Version status.")
    questionnaire = django_filters.CharFilter(
        field_name="questionnaire__code", help_text="Code of the questionnaire."
    )


class VersionSerializer(ShapedSerializer):
    id = serializers.IntegerField(help_text="Id of the version.")
    questionnaire_code = serializers.CharField(
        label=_("questionnaire"), help_text="Code of the questionnaire."
    )
    respondent_type = serializers.ChoiceField(
        choices=RespondentType.choices, label=_("respondents"), help_text="Who answers."
    )
    number = serializers.IntegerField(label=_("version"), help_text="Version number (1, 2, …).")
    status = serializers.ChoiceField(
        choices=VersionStatus.choices,
        label=_("status"),
        help_text="draft (being written), published (frozen, asked by rounds), retired.",
    )
    title_lo = serializers.CharField(label=_("title (Lao)"), help_text="Title in Lao.")
    title_en = serializers.CharField(label=_("title (English)"), help_text="Title in English.")
    form_id = serializers.CharField(help_text="The XLSForm's form_id.")
    languages = serializers.ListField(
        child=serializers.CharField(), help_text="Content languages; the first is the default."
    )
    published_at = serializers.DateTimeField(
        allow_null=True, help_text="When it was published; null for a draft."
    )

    def shape(self, row) -> dict:
        title = row["title"] or {}
        return {
            "id": row["pk"],
            "questionnaire_code": row["questionnaire__code"],
            "respondent_type": row["questionnaire__respondent_type"],
            "number": row["number"],
            "status": row["status"],
            "title_lo": title.get("lo", ""),
            "title_en": title.get("en", ""),
            "form_id": row["form_id"],
            "languages": row["languages"],
            "published_at": row["published_at"],
        }


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="Stored value (the XLSForm choice name).")
    label = _labels()
    score = serializers.FloatField(
        allow_null=True, help_text="Score on 0-1; null: the choice is not scored."
    )
    is_dont_know = serializers.BooleanField(
        help_text='"Don\'t know": left out of the score and counted apart.'
    )


class QuestionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable code across versions.")
    order = serializers.IntegerField(help_text="Position in the questionnaire.")
    kind = serializers.ChoiceField(
        choices=QuestionKind.choices,
        help_text="count_by_sex: one number for women and one for men (the total is derived).",
    )
    label = _labels()
    hint = _labels()
    required = serializers.BooleanField(help_text="Must be answered before submitting.")
    relevant = serializers.CharField(help_text="XLSForm skip-logic expression; empty: always.")
    weight = serializers.FloatField(help_text="Weight in its pillar's score.")
    scoring = serializers.DictField(
        help_text='How a number is scored: {"thresholds": [[at_least, score 0-1], …]} or '
        '{"ratio_to": code}; empty for choices and unscored questions.'
    )
    gender_role = serializers.CharField(help_text="Gender indicator this count feeds; empty: none.")
    choices = ChoiceSerializer(many=True, help_text="Choices in order; empty for other kinds.")


class RecommendationSerializer(serializers.Serializer):
    stage = serializers.IntegerField(help_text="Stage 1-5 the action is for.")
    text = _labels("The recommended action by language.")


class PillarSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Pillar code (results use it).")
    name = _labels()
    description = _labels()
    weight = serializers.FloatField(help_text="Weight in the overall readiness.")
    order = serializers.IntegerField(help_text="Position.")
    is_enabler = serializers.BooleanField(help_text="Counts in the enabler readiness E.")
    questions = QuestionSerializer(
        many=True, source="question_list", help_text="The pillar's questions, in order."
    )
    recommendations = RecommendationSerializer(
        many=True,
        source="recommendation_list",
        help_text="A recommended action per stage (1-5) this pillar may be at.",
    )


class VersionDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id of the version.")
    questionnaire_code = serializers.CharField(
        source="questionnaire.code", help_text="Code of the questionnaire."
    )
    respondent_type = serializers.ChoiceField(
        source="questionnaire.respondent_type",
        choices=RespondentType.choices,
        help_text="organisation or individual (anonymous staff).",
    )
    number = serializers.IntegerField(help_text="Version number (1, 2, …).")
    status = serializers.ChoiceField(
        choices=VersionStatus.choices, help_text="draft, published (frozen) or retired."
    )
    title = _labels()
    languages = serializers.ListField(
        child=serializers.CharField(), help_text="Content languages; the first is the default."
    )
    stage_names = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Stage number 1-5 → name by language (stage = min(5, floor(score))).",
    )
    pillars = PillarSerializer(
        many=True, source="pillar_list", help_text="Pillars in order, with their questions."
    )


class VersionViewSet(ApiViewSet):
    """Questionnaire versions: the list, and each with its pillars, questions, choices, stage
    names and recommendations; its XLSForm file at /versions/{id}/xlsform/."""

    serializer_class = VersionSerializer
    filterset_class = VersionFilter
    lookup_value_converter = "int"
    csv_name = "questionnaire-versions"

    def get_serializer_class(self):
        return VersionDetailSerializer if self.action == "retrieve" else VersionSerializer

    def get_queryset(self):
        return versions_for_reader(self.request.user).values(
            "pk",
            "questionnaire__code",
            "questionnaire__respondent_type",
            "number",
            "status",
            "title",
            "form_id",
            "languages",
            "published_at",
        )

    def get_object(self):
        version = version_for_reader(self.request.user, self.kwargs["pk"])
        pillars = list(version.pillars.order_by("order", "code"))
        questions = list(version.questions.prefetch_related("choices").order_by("order", "code"))
        recommendations = list(version.recommendations.order_by("stage"))
        for pillar in pillars:
            pillar.question_list = [q for q in questions if q.pillar_id == pillar.pk]
            pillar.recommendation_list = [r for r in recommendations if r.pillar_id == pillar.pk]
        version.pillar_list = pillars
        return version

    def retrieve(self, request, *args, **kwargs):
        return ApiResponse(VersionDetailSerializer(self.get_object()).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, url_path="xlsform", renderer_classes=[XlsxRenderer])
    def xlsform(self, request, pk=None):
        """The version as an XLSForm (.xlsx), as the questionnaire screens export it."""
        version = version_for_reader(request.user, pk)
        code = slugify(version.questionnaire.code) or "questionnaire"
        response = HttpResponse(
            xlsform_export(version),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{code}-v{version.number}.xlsx"'
        return response
