"""Forms of the questionnaire screens (platform administrators)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
