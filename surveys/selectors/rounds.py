"""Reads of the round screens and the administrator's home section."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from organisations.access import can_administer
from readiness.paging import organisation_matches
from surveys.models import Response, ResponseStatus, Round, RoundStatus


def _count_of(queryset: QuerySet) -> Subquery:
    """A correlated COUNT(*) subquery over rows pointing at the outer round."""
    counted = queryset.order_by().values("round").annotate(n=Func("pk", function="COUNT"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def rounds_for_admin() -> QuerySet[Round]:
    # Each count is its own subquery: counting targets and responses through two joins of the
    # same query multiplies them (10,000 targets x 10,000 responses per national round).
    targets = Round.targets.through.objects.filter(round=OuterRef("pk"))
    responses = Response.objects.filter(round=OuterRef("pk"))
    return (
        Round.objects.select_related("version__questionnaire")
        .annotate(
            target_count=_count_of(targets),
            response_count=_count_of(responses),
            submitted_count=_count_of(
                responses.filter(status__in=[ResponseStatus.SUBMITTED, ResponseStatus.APPROVED])
            ),
        )
        .order_by("-opens_on", "code")
    )


# Open rounds first (the ones at work), then those being prepared, then the closed ones.
STATUS_ORDER = Case(
    When(status=RoundStatus.OPEN, then=Value(0)),
    When(status=RoundStatus.DRAFT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def rounds_list(*, search: str = "", status: str | None = None) -> QuerySet[Round]:
    """The rounds list: open rounds first, then drafts, then closed, each newest first;
    whose code or name (Lao or English) contains `search`, of one status."""
    rounds = rounds_for_admin()
    if search:
        rounds = rounds.filter(
            Q(code__icontains=search)
            | Q(name__lo__icontains=search)
            | Q(name__en__icontains=search)
        )
    if status:
        rounds = rounds.filter(status=status)
    return rounds.order_by(STATUS_ORDER, "-opens_on", "code")


def round_targets_list(round_: Round, *, search: str = "", kind: str | None = None):
    """The target organisations of a round, in tree order; of one kind, or whose code or name
    contains `search`."""
    targets = round_.targets.filter(organisation_matches(search))
    if kind:
        targets = targets.filter(kind=kind)
    return targets.order_by("path")


HOME_ROUNDS = 10


def administrator_sections(user: AbstractBaseUser) -> list[dict]:
    if not can_administer(user):
        return []
    # The home shows the first few rounds at work and says how many there are in all.
    at_work = rounds_for_admin().exclude(status=RoundStatus.CLOSED)
    rounds = list(at_work.order_by(STATUS_ORDER, "-opens_on", "code")[:HOME_ROUNDS])
    total = len(rounds) if len(rounds) < HOME_ROUNDS else at_work.count()
    return [
        {
            "template": "surveys/rounds/_home_section.html",
            "context": {"rounds": rounds, "total": total},
        }
    ]
