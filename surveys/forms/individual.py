"""The respondent's part of the public individual questionnaire form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.answers.cleaning import CHOOSE_ONE
from surveys.models import AgeBand, Sex

# A choice asks the respondent to choose (not "fill in this field", a text field's message).
CHOOSE = {"required": CHOOSE_ONE}


class RespondentForm(forms.Form):
    sex = forms.ChoiceField(
        label=_("Your sex"),
        choices=[(Sex.FEMALE, _("Woman")), (Sex.MALE, _("Man"))],
        widget=forms.RadioSelect,
        error_messages=CHOOSE,
    )
    age_band = forms.ChoiceField(
        label=_("Your age"),
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        error_messages=CHOOSE,
    )
