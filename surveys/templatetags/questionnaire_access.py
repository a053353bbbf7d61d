"""Template helpers for the questionnaire screens; they ask the access policy, never decide."""

from django import template

from organisations import access

register = template.Library()


@register.filter
def can_administer(user) -> bool:
    """Administers the platform (national scope): questionnaires and rounds."""
    return access.can_administer(user)


@register.filter
def holds(user, role: str) -> bool:
    """Holds this role (focal_point, reviewer, analyst, administrator) for some organisation."""
    return access.has_role(user, role)
