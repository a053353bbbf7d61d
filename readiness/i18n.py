"""Helpers for content that carries its own labels as {language code: text}."""

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import get_language, get_language_info


def pick(labels: Mapping[str, str] | None, language: str | None = None) -> str:
    """The label in `language` (default: the active one), else in another content language.

    Content (organisation names, questions, choices) must exist in every language before it is
    published; the fallback only matters for drafts and imported reference data."""
    if not labels:
        return ""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if labels.get(language):
        return labels[language]
    for code in settings.CONTENT_LANGUAGES:
        if labels.get(code):
            return labels[code]
    return next((text for text in labels.values() if text), "")


def language_name(code: str) -> str:
    """A content language's name in the active language ("ພາສາອັງກິດ" for "en" on a Lao page);
    a code Django does not know (an XLSForm may declare any) is shown as written."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
