"""Root fixtures shared by every test package."""

import pytest


@pytest.fixture(autouse=True)
def _english_free_defaults(settings):
    """Tests see the product as users do: Lao is the default language."""
    settings.LANGUAGE_CODE = "lo"
    return settings
