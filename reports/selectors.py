"""Non-trivial reads of scores and aggregates."""

from django.contrib.auth.models import AbstractBaseUser


def home_sections(user: AbstractBaseUser) -> list[dict]:
    """Sections of the home page for this user: {"template": ..., "context": {...}}."""
    return []
