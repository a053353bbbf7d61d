"""Forms of the questionnaire screens (platform administrators)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from readiness.paging import VALUE_MAX_LENGTH, ListFilterForm
from surveys.models import RespondentType, VersionStatus
from surveys.xlsform.workbook import MAX_BYTES


class XlsformUploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm file (.xlsx or .xls)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls"}),
    )
    publish = forms.BooleanField(label=_("Publish at once if every check passes"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".xls", ".xlsm")):
            raise forms.ValidationError(_("Only Excel workbooks (.xlsx or .xls) can be imported."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class QuestionnaireFilterForm(ListFilterForm):
    """The questionnaires list: search by code or title, filter by respondents and by the
    status of a version."""

    q = forms.CharField(
        label=_("Questionnaire title or code"), required=False, max_length=VALUE_MAX_LENGTH
    )
    respondents = forms.ChoiceField(
        required=False,
        label=_("Respondents"),
        choices=[("", _("All respondents")), *RespondentType.choices],
    )
    status = forms.ChoiceField(
        required=False,
        label=_("With a version that is"),
        choices=[("", _("Any status")), *VersionStatus.choices],
    )
