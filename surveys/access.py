"""Fetch-and-check: every surveys view gets its object through one of these.

Each returns the object or raises Http404 (a forbidden object looks like a missing one), built on
the predicates of organisations/access.py."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from organisations.access import (
    can_administer,
    can_fill,
    can_review,
    can_view_organisation,
    filled_organisation_ids,
    has_role,
    require,
)
from organisations.models import Role
from surveys.models import (
    QuestionnaireVersion,
    RespondentType,
    Response,
    Round,
    RoundStatus,
    ShareLink,
    VersionStatus,
)

TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")


def _organisation_responses():
    return Response.objects.select_related(
        "round__version__questionnaire", "organisation", "updated_by", "submitted_by"
    ).filter(is_individual=False)


def _organisation_response(pk: int) -> Response:
    return get_object_or_404(_organisation_responses(), pk=pk)


def response_for_fill(user: AbstractBaseUser, pk: int) -> Response:
    """The response if this user fills for its organisation; 404 otherwise."""
    response = _organisation_response(pk)
    require(can_fill(user, response.organisation))
    return response


def response_for_save(user: AbstractBaseUser, pk: int) -> Response:
    """`response_for_fill` for a save: the same check (in the same statement) and the
    response's row locked until the caller's transaction ends (`SELECT … FOR UPDATE` of that
    row only, not of its round), so saves of one response queue and the optimistic-lock check
    that follows is exact. Raises Http404; RuntimeError outside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("response_for_save locks a row: call it inside transaction.atomic")
    return get_object_or_404(
        _organisation_responses()
        .select_for_update(of=("self",))
        .filter(organisation_id__in=filled_organisation_ids(user)),
        pk=pk,
    )


def response_for_read(user: AbstractBaseUser, pk: int) -> Response:
    """Focal points of the organisation, and reviewers/analysts/administrators in scope."""
    response = _organisation_response(pk)
    organisation = response.organisation
    require(
        can_fill(user, organisation)
        or can_review(user, organisation)
        or can_view_organisation(user, organisation)
    )
    return response


def response_for_review(user: AbstractBaseUser, pk: int) -> Response:
    """The response if this user may review it; 404 otherwise (never a hint that it exists).
    Only organisation responses are reviewed: an individual questionnaire's anonymous answers
    are not in the review list and are not opened, approved or returned by id either."""
    response = get_object_or_404(
        Response.objects.select_related(
            "round__version", "organisation", "submitted_by", "reviewed_by"
        ),
        pk=pk,
        is_individual=False,
    )
    require(can_review(user, response.organisation))
    return response


def round_for_admin(user: AbstractBaseUser, pk: int) -> Round:
    require(can_administer(user))
    return get_object_or_404(
        Round.objects.select_related("version__questionnaire", "baseline"), pk=pk
    )


def round_for_progress(user: AbstractBaseUser, code: str) -> Round:
    """A round past its preparation, for the progress pages of reviewers and administrators."""
    require(has_role(user, Role.REVIEWER, Role.ADMINISTRATOR))
    return get_object_or_404(Round.objects.exclude(status=RoundStatus.DRAFT), code=code)


def version_for_admin(user: AbstractBaseUser, pk: int) -> QuestionnaireVersion:
    require(can_administer(user))
    return get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)


def share_link_for_token(token: str) -> ShareLink:
    """The active link of an open round of an individual questionnaire, today within the
    round's dates; 404 for anything else (no account: the token is the check)."""
    # Tokens are URL-safe base64 (models.new_token); anything else, e.g. a NUL that PostgreSQL
    # refuses in a query, is unknown without asking the database.
    if not token or len(token) > 64 or not TOKEN_CHARACTERS.fullmatch(token):
        raise Http404
    today = timezone.localdate()
    return get_object_or_404(
        ShareLink.objects.select_related("round__version__questionnaire", "organisation"),
        token=token,
        active=True,
        organisation__active=True,
        round__status=RoundStatus.OPEN,
        round__opens_on__lte=today,
        round__closes_on__gte=today,
        round__version__questionnaire__respondent_type=RespondentType.INDIVIDUAL,
    )


# --- the read-only API (surveys/api.py) ------------------------------------------------------


def rounds_for_reader(user: AbstractBaseUser):
    """Rounds a user with any role may read: every round past its preparation; a platform
    administrator also those being prepared. No role: none."""
    if can_administer(user):
        return Round.objects.all()
    if not has_role(user, *Role.values):
        return Round.objects.none()
    return Round.objects.exclude(status=RoundStatus.DRAFT)


def versions_for_reader(user: AbstractBaseUser):
    """Questionnaire versions a user with any role may read: published and retired ones (what
    rounds ask); a platform administrator also drafts. No role: none."""
    if can_administer(user):
        return QuestionnaireVersion.objects.all()
    if not has_role(user, *Role.values):
        return QuestionnaireVersion.objects.none()
    return QuestionnaireVersion.objects.exclude(status=VersionStatus.DRAFT)


def version_for_reader(user: AbstractBaseUser, pk: int) -> QuestionnaireVersion:
    """One version of `versions_for_reader`, or 404."""
    return get_object_or_404(versions_for_reader(user).select_related("questionnaire"), pk=pk)
