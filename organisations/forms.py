from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from organisations.access import can_administer
from organisations.models import Organisation, Role

MAX_IMPORT_BYTES = settings.FILE_UPLOAD_MAX_MEMORY_SIZE


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Code or name"), required=False, max_length=100)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "A CSV saved as “CSV UTF-8”, or an Excel workbook (.xlsx or .xls, its first sheet), "
            "with the columns code,parent_code,kind,name_lo,name_en and optionally "
            "line_ministry_code."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)d MB)."),
                params={"size": MAX_IMPORT_BYTES // (1024 * 1024)},
            )
        return upload


class RoleAssignForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this username."))
        self.cleaned_data["user"] = user
        return username


class UserCreateForm(UserCreationForm):
    """A new account, optionally with its first role at a node the administrator manages."""

    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("No role for now")), *Role.choices], required=False
    )
    organisation_code = forms.CharField(
        label=_("Organisation code"),
        max_length=40,
        required=False,
        help_text=_("For example LA0101 (a district) or MOH (a ministry)."),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "email")
        labels = {"first_name": _("Full name")}

    def __init__(self, *args, administrator, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.administrator = administrator

    def clean(self):
        cleaned = super().clean()
        role, code = cleaned.get("role"), (cleaned.get("organisation_code") or "").strip()
        if bool(role) != bool(code):
            raise forms.ValidationError(_("Give both a role and an organisation code, or neither."))
        if code:
            organisation = Organisation.objects.filter(code=code).first()
            # Unknown and out-of-scope codes get the same answer: no hint that a code exists.
            if organisation is None or not can_administer(self.administrator, organisation):
                self.add_error(
                    "organisation_code",
                    _("Unknown code, or outside the part of the tree you administer."),
                )
            cleaned["organisation"] = organisation
        return cleaned
