"""Forms of the review screens: return, reopen, filter the list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import ResponseStatus, Round
from surveys.selectors.review import rounds_for_review
from surveys.services.review import COMMENT_MAX_LENGTH


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What must be changed"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewFilterForm(forms.Form):
    round = forms.ModelChoiceField(queryset=Round.objects.none(), required=False, label=_("Round"))
    status = forms.ChoiceField(
        required=False,
        label=_("Status"),
        choices=[
            ("", _("Submitted")),
            (ResponseStatus.RETURNED, _("Returned")),
            (ResponseStatus.APPROVED, _("Approved")),
            ("all", _("All but drafts")),
        ],
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds_for_review(user)
