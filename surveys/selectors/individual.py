"""Reads for individual questionnaires: a focal point's share links."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from organisations.access import roles_of
from organisations.models import Role
from surveys.models import RespondentType, RoundStatus, ShareLink


def share_links_section(user: AbstractBaseUser) -> list[dict]:
    links = share_links_for(user)
    if not links:
        return []
    return [{"template": "surveys/individual/_home_section.html", "context": {"links": links}}]


def share_links_for(user: AbstractBaseUser) -> list[ShareLink]:
    """A focal point's active share links, one per open round of an individual questionnaire
    that targets their organisation (made when the round opened; a GET creates nothing)."""
    own = [a.organisation_id for a in roles_of(user) if a.role == Role.FOCAL_POINT]
    if not own:
        return []
    return list(
        ShareLink.objects.filter(
            organisation_id__in=own,
            active=True,
            round__status=RoundStatus.OPEN,
            round__version__questionnaire__respondent_type=RespondentType.INDIVIDUAL,
        )
        .select_related("round", "organisation")
        .order_by("round__closes_on", "round__code", "organisation__code")
    )
