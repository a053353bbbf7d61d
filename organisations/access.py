"""The one access policy. Every view and selector asks here who may see and do what.

A user holds roles, each scoped to one organisation node and so to its whole subtree:
- focal point: fill, save and submit the responses of *its own* organisation (the node itself,
  not its children), see its own scorecard;
- reviewer: read, approve and return submitted responses of organisations in its subtree;
- analyst: read dashboards, scorecards and responses in its subtree, request exports;
- administrator: manage organisations, users, questionnaires and rounds in its subtree, plus
  everything an analyst can. An administrator scoped to the national root administers the platform.
Django's staff/superuser flags are for technical administration only and grant nothing here.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import Http404

from organisations.models import Organisation, OrganisationKind, Role, RoleAssignment


def roles_of(user: AbstractBaseUser) -> list[RoleAssignment]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_role_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, organisation__active=True).select_related(
                "organisation"
            )
        )
        user._role_assignments = cached
    return cached


def scopes(user: AbstractBaseUser, roles: Iterable[str]) -> list[Organisation]:
    wanted = set(roles)
    return [assignment.organisation for assignment in roles_of(user) if assignment.role in wanted]


def top_scopes(user: AbstractBaseUser, roles: Iterable[str]) -> list[Organisation]:
    """The user's scope nodes for these roles, without one that lies inside another, by path
    (the national root first)."""
    nodes = sorted({node.pk: node for node in scopes(user, roles)}.values(), key=lambda n: n.path)
    tops: list[Organisation] = []
    for node in nodes:
        if not any(_within(node, top) for top in tops):
            tops.append(node)
    return tops


def has_role(user: AbstractBaseUser, *roles: str) -> bool:
    return bool(scopes(user, roles))


def _within(node: Organisation, scope: Organisation) -> bool:
    return node.path.startswith(scope.path)


def _subtree_q(scope_nodes: list[Organisation], prefix: str = "") -> Q:
    """Organisations in any of these subtrees, or (sector axis) attached to a ministry in scope."""
    condition = Q(pk__in=[])
    for scope in scope_nodes:
        condition |= Q(**{f"{prefix}path__startswith": scope.path})
        if scope.kind == OrganisationKind.MINISTRY:
            condition |= Q(**{f"{prefix}line_ministry": scope})
    return condition


def in_scope(user: AbstractBaseUser, organisation: Organisation, roles: Iterable[str]) -> bool:
    for scope in scopes(user, roles):
        if _within(organisation, scope):
            return True
        if scope.kind == OrganisationKind.MINISTRY and organisation.line_ministry_id == scope.pk:
            return True
    return False


READ_ROLES = (Role.REVIEWER, Role.ANALYST, Role.ADMINISTRATOR)


def visible_organisations(user: AbstractBaseUser) -> QuerySet[Organisation]:
    """Every organisation whose data this user may read: subtrees of reviewer/analyst/admin
    roles (and the sector members of a ministry in scope), plus a focal point's own node."""
    own = [a.organisation_id for a in roles_of(user) if a.role == Role.FOCAL_POINT]
    condition = _subtree_q(scopes(user, READ_ROLES)) | Q(pk__in=own)
    return Organisation.objects.filter(condition)


def organisations_in_scope(user: AbstractBaseUser, roles: Iterable[str], prefix: str = "") -> Q:
    """A Q over a model with an organisation (prefix like 'organisation__') limited to scope."""
    return _subtree_q(scopes(user, roles), prefix)


def can_view_organisation(user: AbstractBaseUser, organisation: Organisation) -> bool:
    return can_fill(user, organisation) or in_scope(user, organisation, READ_ROLES)


def can_fill(user: AbstractBaseUser, organisation: Organisation) -> bool:
    """Focal points fill only their own organisation's questionnaires."""
    return any(
        a.role == Role.FOCAL_POINT and a.organisation_id == organisation.pk for a in roles_of(user)
    )


def filled_organisation_ids(user: AbstractBaseUser) -> QuerySet:
    """`can_fill` as a subquery: the ids of the active organisations this user is focal point
    of (none for an anonymous user), for a fetch that checks and locks in one statement."""
    if not user.is_authenticated:
        return RoleAssignment.objects.none().values("organisation_id")
    return RoleAssignment.objects.filter(
        user=user, role=Role.FOCAL_POINT, organisation__active=True
    ).values("organisation_id")


def can_review(user: AbstractBaseUser, organisation: Organisation) -> bool:
    return in_scope(user, organisation, (Role.REVIEWER, Role.ADMINISTRATOR))


def can_export(user: AbstractBaseUser, organisation: Organisation) -> bool:
    return in_scope(user, organisation, (Role.ANALYST, Role.ADMINISTRATOR))


def can_administer(user: AbstractBaseUser, organisation: Organisation | None = None) -> bool:
    """Manage organisations, users, questionnaires and rounds. Without an organisation: the
    platform-wide actions (questionnaires, rounds), which need the national scope."""
    if organisation is None:
        return any(
            a.role == Role.ADMINISTRATOR and a.organisation.is_root() for a in roles_of(user)
        )
    return in_scope(user, organisation, (Role.ADMINISTRATOR,))


def require(allowed: bool) -> None:
    """Forbidden objects look like missing ones: 404, never a hint that they exist."""
    if not allowed:
        raise Http404
