"""Reads for the organisation pages, always limited by the access policy."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from organisations.access import organisations_in_scope, scopes
from organisations.models import Organisation, Role, RoleAssignment
from readiness.paging import clean_value, organisation_matches


def organisations_administered(user: AbstractBaseUser) -> QuerySet[Organisation]:
    """Every node this user administers (subtrees and, for a ministry, its sector members)."""
    return Organisation.objects.filter(organisations_in_scope(user, [Role.ADMINISTRATOR]))


def administered_roots(user: AbstractBaseUser) -> list[Organisation]:
    """The nodes of the user's administrator roles, without those inside another one."""
    nodes = sorted(scopes(user, [Role.ADMINISTRATOR]), key=lambda node: node.path)
    roots: list[Organisation] = []
    for node in nodes:
        if not any(node.path.startswith(root.path) for root in roots):
            roots.append(node)
    return roots


def organisation_search(
    user: AbstractBaseUser, query: str, *, kind: str | None = None
) -> QuerySet[Organisation]:
    """Organisations the user administers whose code or Lao/English name contains `query`
    (any letter case), of one kind; the higher levels first."""
    found = organisations_administered(user).filter(organisation_matches(query))
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("depth", "code")


def organisation_children(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        path__startswith=organisation.path, depth=organisation.depth + 1
    ).order_by("code")


def ancestors_in_scope(user: AbstractBaseUser, organisation: Organisation) -> list[Organisation]:
    """The breadcrumb: ancestors the user administers too (others are not shown at all)."""
    ancestor_paths = [
        organisation.path[:end]
        for end in range(Organisation.steplen, len(organisation.path), Organisation.steplen)
    ]
    return list(organisations_administered(user).filter(path__in=ancestor_paths).order_by("depth"))


def role_assignments_in_scope(
    user: AbstractBaseUser, query: str = "", *, role: str | None = None
) -> QuerySet[RoleAssignment]:
    """Role assignments at organisations the user administers; whose user (username, name,
    e-mail) or organisation (code, Lao or English name) contains `query`; of one role."""
    assignments = RoleAssignment.objects.filter(
        organisations_in_scope(user, [Role.ADMINISTRATOR], prefix="organisation__")
    ).select_related("user", "organisation")
    query = clean_value(query)  # PostgreSQL refuses NUL in a query
    if query:
        assignments = assignments.filter(
            Q(user__username__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__email__icontains=query)
            | organisation_matches(query, prefix="organisation__")
        )
    if role:
        assignments = assignments.filter(role=role)
    return assignments.order_by("user__username", "role", "organisation__code")
