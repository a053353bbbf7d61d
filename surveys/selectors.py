"""Non-trivial reads for questionnaires, rounds and responses."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Func, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from organisations.access import (
    can_fill,
    can_review,
    can_view_results,
    is_platform_administrator,
    require,
    roles_of,
)
from organisations.models import Role
from surveys.models import Response, ResponseStatus, Round, RoundStatus
from surveys.services.answers import answers_load, progress_by_pillar, version_questions


def home_sections(user: AbstractBaseUser) -> list[dict]:
    """Sections of the home page for this user: {"template": ..., "context": {...}}."""
    sections = _focal_point_sections(user) + _administrator_sections(user)
    try:
        from surveys.selectors_review import review_home_sections
    except ImportError:  # the review screens are optional for the filling side
        return sections
    return sections + review_home_sections(user)


# Access -----------------------------------------------------------------------------------


def _response(pk: int) -> Response:
    return get_object_or_404(
        Response.objects.select_related(
            "round__version__questionnaire", "organisation", "updated_by", "submitted_by"
        ),
        pk=pk,
        is_individual=False,
    )


def response_for_fill(user: AbstractBaseUser, pk: int) -> Response:
    """The response if this user fills for its organisation; 404 otherwise."""
    response = _response(pk)
    require(can_fill(user, response.organisation))
    return response


def response_for_read(user: AbstractBaseUser, pk: int) -> Response:
    """Focal points of the organisation, and reviewers/analysts/administrators in scope."""
    response = _response(pk)
    organisation = response.organisation
    require(
        can_fill(user, organisation)
        or can_review(user, organisation)
        or can_view_results(user, organisation)
    )
    return response


def round_for_admin(user: AbstractBaseUser, pk: int) -> Round:
    require(is_platform_administrator(user))
    return get_object_or_404(
        Round.objects.select_related("version__questionnaire", "baseline"), pk=pk
    )


# Focal points -----------------------------------------------------------------------------


@dataclass
class ResponseProgress:
    response: Response
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def response_progress(response: Response, questions: list | None = None) -> ResponseProgress:
    questions = questions if questions is not None else version_questions(response.round.version)
    by_pillar = progress_by_pillar(questions, answers_load(response, questions))
    answered = sum(done for done, _total in by_pillar.values())
    total = sum(total for _done, total in by_pillar.values())
    return ResponseProgress(response=response, answered=answered, total=total)


def responses_to_fill(user: AbstractBaseUser) -> QuerySet[Response]:
    """Responses of the open rounds of the user's own organisations (focal point role)."""
    own = [a.organisation_id for a in roles_of(user) if a.role == Role.FOCAL_POINT]
    return (
        Response.objects.filter(
            organisation_id__in=own, is_individual=False, round__status=RoundStatus.OPEN
        )
        .select_related("round__version", "organisation")
        .order_by("round__closes_on", "organisation__code")
    )


def my_questionnaires(user: AbstractBaseUser) -> list[ResponseProgress]:
    questions_by_version: dict[int, list] = {}
    rows = []
    for response in responses_to_fill(user):
        version = response.round.version
        if version.pk not in questions_by_version:
            questions_by_version[version.pk] = version_questions(version)
        rows.append(response_progress(response, questions_by_version[version.pk]))
    return rows


def _focal_point_sections(user: AbstractBaseUser) -> list[dict]:
    if not any(a.role == Role.FOCAL_POINT for a in roles_of(user)):
        return []
    return [
        {
            "template": "surveys/filling/_home_section.html",
            "context": {"rows": my_questionnaires(user)},
        }
    ]


# Administrators ---------------------------------------------------------------------------


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


def _administrator_sections(user: AbstractBaseUser) -> list[dict]:
    if not is_platform_administrator(user):
        return []
    rounds = list(rounds_for_admin().exclude(status=RoundStatus.CLOSED)[:10])
    return [{"template": "surveys/rounds/_home_section.html", "context": {"rounds": rounds}}]
