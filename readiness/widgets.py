"""Form widgets that read in the page's language.

A browser draws `<input type="date">` and `<input type="file">` in the *browser's* language
("mm/dd/yyyy", "Choose File" on a Lao page), so the product's dates are text fields written
day/month/year (the order of readiness/formats) and its file inputs carry a translated button
(templates/bootstrap5/layout/field_file.html)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMAT = "%d/%m/%Y"


# The hint under every date field: how to write a date, with an example.
DATE_HINT = _("Day/month/year, for example 31/12/2026.")


class DateTextInput(forms.DateInput):
    """A date as text, shown as 31/12/2026; the form field reads it with the active language's
    DATE_INPUT_FORMATS (day/month/year first, ISO 2026-12-31 also accepted)."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": _("dd/mm/yyyy"),
            "size": "12",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_INPUT_FORMAT)
