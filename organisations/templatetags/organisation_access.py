"""Template helpers that ask the access policy (never decide access in a template)."""

from django import template

from organisations.access import has_role
from organisations.models import Role

register = template.Library()


@register.filter
def is_administrator(user) -> bool:
    """Holds an administrator role somewhere (and so may open the organisation pages)."""
    return has_role(user, Role.ADMINISTRATOR)
