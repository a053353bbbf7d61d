"""The surveys sections of the home page, gathered from each area."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from surveys.selectors.filling import focal_point_sections
from surveys.selectors.individual import share_links_section
from surveys.selectors.review import review_home_sections
from surveys.selectors.rounds import administrator_sections


def home_sections(user: AbstractBaseUser) -> list[dict]:
    """Sections of the home page for this user: {"template": ..., "context": {...}}."""
    return (
        focal_point_sections(user)
        + administrator_sections(user)
        + review_home_sections(user)
        + share_links_section(user)
    )
