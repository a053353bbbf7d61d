"""Fetch-and-check helpers of the results pages (dashboards, scorecards, chart tables).

Each returns the object or raises Http404, built on the predicates of organisations/access.py,
so that a missing check is visible in a view and a forbidden object looks like a missing one.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations import access
from organisations.models import Organisation, Role
from surveys.models import Round, RoundStatus

# Who reads area dashboards: analysts and administrators of the area, reviewers of the subtree.
AREA_ROLES = access.READ_ROLES


def _code(code: str) -> str:
    """A code from a URL; one PostgreSQL cannot even compare (a NUL byte) is missing."""
    if "\x00" in code:
        raise Http404
    return code


def result_round(code: str) -> Round:
    """A round whose results may be shown: any round but one still being prepared."""
    return get_object_or_404(
        Round.objects.select_related("version__questionnaire", "baseline", "scoring").exclude(
            status=RoundStatus.DRAFT
        ),
        code=_code(code),
    )


def area_for_dashboard(user: AbstractBaseUser, code: str) -> Organisation:
    """An area (any node of the tree, or a ministry) whose dashboard this user may read."""
    area = get_object_or_404(Organisation, code=_code(code), active=True)
    access.require(access.in_scope(user, area, AREA_ROLES))
    return area


def organisation_for_scorecard(user: AbstractBaseUser, code: str) -> Organisation:
    """An organisation whose scorecard this user may read: in an area role's scope, or the
    focal point's own organisation."""
    organisation = get_object_or_404(
        Organisation.objects.select_related("line_ministry"), code=_code(code), active=True
    )
    access.require(access.can_view_organisation(user, organisation))
    return organisation


def dashboard_areas(user: AbstractBaseUser) -> list[Organisation]:
    """The top nodes of this user's area roles (the national root first)."""
    return access.top_scopes(user, AREA_ROLES)


def own_scorecards(user: AbstractBaseUser) -> list[Organisation]:
    """The organisations a focal point answers for."""
    return access.scopes(user, (Role.FOCAL_POINT,))


def visible_breadcrumbs(user: AbstractBaseUser, organisation: Organisation) -> list[Organisation]:
    """The ancestors of an organisation this user may open as areas, top first."""
    return [
        node
        for node in Organisation.objects.get_ancestors(organisation)
        if access.in_scope(user, node, AREA_ROLES)
    ]


def require_area_member(area: Organisation, organisation: Organisation) -> None:
    """A drill-down link names an organisation inside the area (or its sector)."""
    inside = organisation.path.startswith(area.path) or (organisation.line_ministry_id == area.pk)
    if not inside:
        raise Http404


# --- the read-only API (reports/api/) ---------------------------------------------------------


def api_result_rounds():
    """Rounds whose results the API serves: any past its preparation (as `result_round`)."""
    return Round.objects.exclude(status=RoundStatus.DRAFT)


def api_scores_scope(user: AbstractBaseUser) -> Q:
    """A Q over ResponseScore: organisations whose scorecard this user may read (an area role's
    scope, a focal point's own organisation), as `organisation_for_scorecard`."""
    own = [o.pk for o in own_scorecards(user)]
    return access.organisations_in_scope(user, AREA_ROLES, "organisation__") | Q(
        organisation_id__in=own
    )


def api_area_scope(user: AbstractBaseUser) -> Q:
    """A Q over AreaAggregate, GenderIndicator, SexScore: areas whose dashboard this user may
    read, as `area_for_dashboard`."""
    return access.organisations_in_scope(user, AREA_ROLES, "organisation__") & Q(
        organisation__active=True
    )


def api_answers_area(user: AbstractBaseUser, round_code: str, area_code: str | None):
    """(round, area) whose raw answers this user may read: analysts and administrators of the
    area (as an export of the answers), an organisation questionnaire's round past its
    preparation; without an area, the user's first such scope. 404 for anything else (an
    individual questionnaire's answers are never served one by one)."""
    round_ = result_round(round_code)
    if round_.version.questionnaire.respondent_type != "organisation":
        raise Http404
    if area_code is None:
        tops = access.top_scopes(user, (Role.ANALYST, Role.ADMINISTRATOR))
        if not tops:
            raise Http404
        return round_, tops[0]
    area = get_object_or_404(Organisation, code=_code(area_code), active=True)
    access.require(access.can_export(user, area))
    return round_, area
