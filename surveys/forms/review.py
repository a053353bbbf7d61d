"""Forms of the review screens: return, reopen, filter the list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import OrganisationKind
from readiness.paging import ListFilterForm
from surveys.models import ResponseStatus, Round
from surveys.selectors.review import rounds_for_review
from surveys.services.review import COMMENT_MAX_LENGTH


def _organisation_kind_field() -> forms.ChoiceField:
    """The review list's and the progress drill-down's filter by kind of organisation."""
    return forms.ChoiceField(
        required=False,
        label=_("Kind of organisation"),
        choices=[("", _("All kinds")), *OrganisationKind.choices],
    )


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


class ReviewFilterForm(ListFilterForm):
    round = forms.ModelChoiceField(
        queryset=Round.objects.none(), required=False, label=_("Round"), empty_label=_("All rounds")
    )
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
    kind = _organisation_kind_field()
    sort = forms.ChoiceField(
        required=False,
        label=_("Order"),
        choices=[
            ("", _("Oldest waiting first")),
            ("newest", _("Newest first")),
            ("code", _("By organisation code")),
        ],
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds_for_review(user)


class ProgressFilterForm(ListFilterForm):
    """The organisations behind one number of the progress table: which number (hidden: axis,
    group, column, set by the table's link), then search, kind and order."""

    axis = forms.CharField(required=False, widget=forms.HiddenInput)
    group = forms.CharField(required=False, widget=forms.HiddenInput)
    column = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = _organisation_kind_field()
    sort = forms.ChoiceField(
        required=False,
        label=_("Order"),
        choices=[
            ("", _("Least recent activity first")),
            ("recent", _("Most recent activity first")),
            ("code", _("By organisation code")),
        ],
    )

    field_order = ["axis", "group", "column", "q", "kind", "sort"]
