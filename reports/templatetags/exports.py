"""`{% load exports %}{% if user|may_use_exports %}`: whether the exports page is for this user
(analysts and administrators, and focal points for their scorecard)."""

from django import template

from organisations import access
from organisations.models import Role

register = template.Library()


@register.filter
def may_use_exports(user) -> bool:
    return access.has_role(user, Role.ANALYST, Role.ADMINISTRATOR, Role.FOCAL_POINT)
