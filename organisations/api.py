"""The organisations endpoint of the API (/api/v1/organisations/): the tree as far as the
reader may see it (organisations.access.visible_organisations), codes and both names."""

from __future__ import annotations

import django_filters
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organisations.access import visible_organisations
from organisations.models import Organisation, OrganisationKind
from readiness.api.views import ApiViewSet, ShapedSerializer

ORGANISATION_FIELDS = (
    "code",
    "name",
    "kind",
    "depth",
    "active",
    "parent_code",
    "line_ministry_code",
)


def _parent_code() -> Subquery:
    """The parent's code from the materialized path (a parent's path is the child's without
    its last step), one subquery in the page's query rather than a query per row."""
    return Subquery(
        Organisation.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organisation.steplen)
        ).values("code")[:1]
    )


def _node(code: str) -> Organisation | None:
    if "\x00" in code:
        return None
    return Organisation.objects.filter(code=code).only("pk", "path", "kind").first()


class OrganisationFilter(django_filters.FilterSet):
    """An unknown code, or one outside the reader's scope, gives an empty list (the scope is
    applied first), never a hint that it exists."""

    kind = django_filters.ChoiceFilter(
        choices=OrganisationKind.choices, help_text="Kind of organisation."
    )
    parent = django_filters.CharFilter(
        method="filter_parent", help_text="Code of the parent: its direct children only."
    )
    subtree = django_filters.CharFilter(
        method="filter_subtree",
        help_text="Code of a node: the node and everything below it in the tree.",
    )
    line_ministry = django_filters.CharFilter(
        field_name="line_ministry__code",
        help_text="Code of a ministry: the offices attached to it on the sector axis.",
    )

    class Meta:
        model = Organisation
        fields = ["kind", "parent", "subtree", "line_ministry"]

    def filter_parent(self, queryset, name, value):
        node = _node(value)
        if node is None:
            return queryset.none()
        return queryset.filter(path__startswith=node.path, depth=node.depth + 1)

    def filter_subtree(self, queryset, name, value):
        node = _node(value)
        return queryset.none() if node is None else queryset.filter(path__startswith=node.path)


class OrganisationSerializer(ShapedSerializer):
    code = serializers.CharField(label=_("code"), help_text="Stable unique code (e.g. LA01).")
    name_lo = serializers.CharField(label=_("name (Lao)"), help_text="Name in Lao.")
    name_en = serializers.CharField(label=_("name (English)"), help_text="Name in English.")
    name = serializers.CharField(
        label=_("name"), help_text="Name in the request's language (?lang=lo|en)."
    )
    kind = serializers.ChoiceField(
        choices=OrganisationKind.choices, label=_("kind"), help_text="Kind of organisation."
    )
    kind_label = serializers.CharField(
        label=_("kind (label)"), help_text="The kind in the request's language."
    )
    depth = serializers.IntegerField(
        label=_("depth"), help_text="Level in the tree: 1 the nation, 2 ministries and provinces…"
    )
    parent_code = serializers.CharField(
        allow_null=True, label=_("parent"), help_text="Code of the parent; null for the nation."
    )
    line_ministry_code = serializers.CharField(
        allow_null=True,
        label=_("line ministry"),
        help_text="Code of the line ministry (sector axis); null when it has none.",
    )
    active = serializers.BooleanField(
        label=_("active"), help_text="False for an organisation that no longer exists."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = {kind.value: str(kind.label) for kind in OrganisationKind}
        self.language = get_language()

    def shape(self, row) -> dict:
        name = row["name"] or {}
        name_lo, name_en = name.get("lo", ""), name.get("en", "")
        return {
            "code": row["code"],
            "name_lo": name_lo,
            "name_en": name_en,
            "name": (name_en or name_lo) if self.language == "en" else (name_lo or name_en),
            "kind": row["kind"],
            "kind_label": self.kinds.get(row["kind"], row["kind"]),
            "depth": row["depth"],
            "parent_code": row["parent_code"],
            "line_ministry_code": row["line_ministry__code"],
            "active": row["active"],
        }


class OrganisationViewSet(ApiViewSet):
    """Organisations the reader may see: the subtrees of its reviewer, analyst and
    administrator roles (and a ministry's sector offices), a focal point's own organisation.
    In tree order (by materialized path)."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_field = "code"
    lookup_value_converter = "str"
    cursor_ordering = "path"
    csv_name = "organisations"

    def get_queryset(self):
        return (
            visible_organisations(self.request.user)
            .annotate(parent_code=_parent_code())
            .values(
                "pk",
                "path",
                "code",
                "name",
                "kind",
                "depth",
                "active",
                "parent_code",
                "line_ministry__code",
            )
        )

    def get_object(self):
        code = self.kwargs["code"]
        if "\x00" in code:
            raise Http404
        row = self.get_queryset().filter(code=code).first()
        if row is None:
            raise Http404
        return row
