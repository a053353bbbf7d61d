"""The form of the responses import (platform administrators)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Round, RoundStatus


class ImportForm(forms.Form):
    round = forms.ModelChoiceField(
        queryset=Round.objects.none(), label=_("Round"), empty_label=_("Choose a round")
    )
    file = forms.FileField(
        label=_("File exported by KoboToolbox or ODK (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.exclude(
            status=RoundStatus.DRAFT
        ).select_related("version__questionnaire")
