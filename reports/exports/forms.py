from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import ExportFormat, ExportWhat

LANGUAGE_CHOICES = [("lo", _("Lao")), ("en", _("English"))]


class ExportRequestForm(forms.Form):
    """The request endpoint's parameters (see the docstring of reports/exports/views.py)."""

    round = forms.SlugField(label=_("Assessment round"), max_length=60)
    what = forms.ChoiceField(label=_("Content"), choices=ExportWhat.choices)
    area = forms.CharField(
        label=_("Area or organisation code"),
        max_length=40,
        required=False,
        help_text=_("Empty: your whole scope (the nation for national analysts)."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
    lang = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)

    def clean_area(self) -> str:
        return self.cleaned_data["area"].strip().replace("\x00", "")
