"""The respondent's part of the public individual questionnaire form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import AgeBand, Sex


class RespondentForm(forms.Form):
    sex = forms.ChoiceField(
        label=_("Your sex"),
        choices=[(Sex.FEMALE, _("Woman")), (Sex.MALE, _("Man"))],
        widget=forms.RadioSelect,
    )
    age_band = forms.ChoiceField(
        label=_("Your age"), choices=AgeBand.choices, widget=forms.RadioSelect
    )
