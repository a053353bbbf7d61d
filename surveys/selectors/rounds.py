"""Reads of the round screens and the administrator's home section."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Func, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from organisations.access import can_administer
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


def administrator_sections(user: AbstractBaseUser) -> list[dict]:
    if not can_administer(user):
        return []
    rounds = list(rounds_for_admin().exclude(status=RoundStatus.CLOSED)[:10])
    return [{"template": "surveys/rounds/_home_section.html", "context": {"rounds": rounds}}]
