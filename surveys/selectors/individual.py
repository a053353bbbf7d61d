"""Reads for individual questionnaires: a focal point's share links."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from organisations.access import roles_of
from organisations.models import Role
from surveys.models import RespondentType, Round, RoundStatus, ShareLink


def share_links_section(user: AbstractBaseUser) -> list[dict]:
    links = share_links_for(user)
    if not links:
        return []
    return [{"template": "surveys/individual/_home_section.html", "context": {"links": links}}]


def share_links_for(user: AbstractBaseUser) -> list[ShareLink]:
    """A focal point's share links: one per (open round of an individual questionnaire that
    targets their organisation, organisation), created on first sight."""
    own = [a.organisation for a in roles_of(user) if a.role == Role.FOCAL_POINT]
    if not own:
        return []
    from surveys.services.individual import share_link_get_or_create

    rounds = Round.objects.filter(
        status=RoundStatus.OPEN,
        version__questionnaire__respondent_type=RespondentType.INDIVIDUAL,
        targets__in=own,
    ).distinct()
    links = []
    for round_ in rounds:
        for organisation in own:
            if round_.targets.filter(pk=organisation.pk).exists():
                link = share_link_get_or_create(round_=round_, organisation=organisation)
                if link.active:
                    links.append(link)
    return links
