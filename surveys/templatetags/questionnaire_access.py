"""Template helpers for the questionnaire screens; they ask the access policy, never decide."""

from django import template

from organisations import access

register = template.Library()


@register.filter
def is_platform_administrator(user) -> bool:
    """Administers the platform (national scope): questionnaires and rounds."""
    return access.is_platform_administrator(user)
