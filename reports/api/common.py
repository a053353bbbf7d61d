"""What the results endpoints share: filters by round and area, the labels of a page, the
minimum group size of individual questionnaires, the descriptions of the scales."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organisations.models import Organisation, OrganisationKind
from readiness.i18n import pick
from reports.access import api_result_rounds
from reports.models import Axis, PriorityClass
from surveys.models import Pillar

SCORE = "On UNDP's 1-5 scale (1 digitally nascent … 5 digitally innovative)"
NULL_NO_SCORE = "null when no scored answer (never 1 by default)"


def score_field(help_text: str, label) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, label=label, help_text=help_text)


def node_by_code(code: str) -> Organisation | None:
    if "\x00" in code:
        return None
    return Organisation.objects.filter(code=code).only("pk", "path", "kind").first()


def members(node: Organisation, prefix: str) -> Q:
    """The node's subtree and, for a ministry, its sector offices (as the dashboards)."""
    condition = Q(**{f"{prefix}path__startswith": node.path})
    if node.kind == OrganisationKind.MINISTRY:
        condition |= Q(**{f"{prefix}line_ministry": node})
    return condition


class ResultFilter(django_filters.FilterSet):
    """Filters of every results endpoint. Codes outside the reader's scope give an empty list."""

    round = django_filters.CharFilter(field_name="round__code", help_text="Code of the round.")
    subtree = django_filters.CharFilter(
        method="filter_subtree",
        help_text="Code of a node: organisations (areas) in its subtree, and a ministry's "
        "sector offices.",
    )

    def filter_subtree(self, queryset, name, value):
        node = node_by_code(value)
        return queryset.none() if node is None else queryset.filter(members(node, "organisation__"))


class AreaFilter(ResultFilter):
    axis = django_filters.ChoiceFilter(
        choices=Axis.choices,
        help_text="tree: an area is a node and its subtree; sector: a line ministry with its "
        "subtree and the offices attached to it.",
    )
    node = django_filters.CharFilter(
        field_name="organisation__code", help_text="Code of one area (node or ministry)."
    )
    level = django_filters.ChoiceFilter(
        field_name="organisation__kind",
        choices=OrganisationKind.choices,
        help_text="Kind of the area's node (province, district, ministry, …).",
    )


class Labels:
    """The labels a page or a CSV repeats, in the request's language, read once (one query for
    the rounds' versions, one for their pillars) whatever the number of rows."""

    def __init__(self) -> None:
        self.loaded = False
        self.kinds = {kind.value: str(kind.label) for kind in OrganisationKind}
        self.priorities = {c.value: str(c.label) if c.value else "" for c in PriorityClass}
        self.minimum_group = settings.MIN_GROUP_SIZE

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        rounds = list(api_result_rounds().select_related("version"))
        self.stage_names = {r.pk: {s: r.version.stage_name(s) for s in range(1, 6)} for r in rounds}
        version_of = {r.pk: r.version_id for r in rounds}
        pillars = {
            (p.version_id, p.code): pick(p.name)
            for p in Pillar.objects.filter(version_id__in=set(version_of.values()))
        }
        overall = str(_("Overall readiness"))
        self.pillar_names = {
            (round_id, code): name
            for round_id, version_id in version_of.items()
            for (pillar_version, code), name in pillars.items()
            if pillar_version == version_id
        }
        for round_id in version_of:
            self.pillar_names[(round_id, "_overall")] = overall

    def stage_name(self, round_id: int, stage: int | None) -> str | None:
        self.load()
        return self.stage_names.get(round_id, {}).get(stage) if stage else None

    def pillar_name(self, round_id: int, code: str) -> str:
        self.load()
        return self.pillar_names.get((round_id, code), code)
