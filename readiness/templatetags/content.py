"""Template filters for content that carries its own {language: text} labels."""

from django import template

from readiness.i18n import language_name
from readiness.i18n import pick as pick_label

register = template.Library()


@register.filter
def pick(labels: dict | None) -> str:
    """The label in the active language: `{{ question.label|pick }}`."""
    return pick_label(labels)


@register.filter
def language_names(codes: list[str] | None) -> str:
    """Language codes as names in the active language: `{{ version.languages|language_names }}`."""
    return ", ".join(language_name(code) for code in codes or [])
