"""Text for the terminal in both languages: management commands that `make run` calls print
each line in Lao, then in English (a terminal has no language switch)."""

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

LANGUAGES = ("lo", "en")


def both(message: Any, params: Mapping[str, Any] | None = None, separator: str = " / ") -> str:
    """`message` (a gettext_lazy string, with %(name)s placeholders filled from `params`) in
    Lao and in English, joined by `separator`. Each language's own rendering of `params`
    values that are lazy strings too (e.g. a role's label)."""
    texts = []
    for language in LANGUAGES:
        with translation.override(language):
            values = {
                key: str(value) if isinstance(value, Promise) else value
                for key, value in (params or {}).items()
            }
            text = str(message)
            texts.append(text % values if params else text)
    return separator.join(texts)
