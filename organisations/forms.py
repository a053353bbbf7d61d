from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.access import can_administer
from organisations.models import Organisation, OrganisationKind, Role
from readiness.paging import VALUE_MAX_LENGTH, ListFilterForm

MAX_IMPORT_BYTES = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
# Users named back when a search for a role's holder matches several.
MATCHES_NAMED = 10


class OrganisationSearchForm(ListFilterForm):
    """The organisations list: search by code or Lao/English name, filter by kind."""

    kind = forms.ChoiceField(
        required=False,
        label=_("Kind of organisation"),
        choices=[("", _("All kinds")), *OrganisationKind.choices],
    )


class RoleFilterForm(ListFilterForm):
    """The roles list: search by the user (name, username, e-mail) or the organisation (code,
    Lao or English name), filter by role."""

    q = forms.CharField(
        label=_("User or organisation (name or code)"),
        required=False,
        max_length=VALUE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    role = forms.ChoiceField(
        required=False, label=_("Role"), choices=[("", _("All roles")), *Role.choices]
    )


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


def users_matching(search: str):
    """Active users whose username, full name or e-mail contains `search` (any letter case),
    by username."""
    search = search.strip()
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
        .order_by("username")
    )


class RoleAssignForm(forms.Form):
    """A role for a user found by name: an exact username or e-mail, or a part of one name
    that only one active user has; several matches are named back so the administrator
    chooses."""

    username = forms.CharField(
        label=_("User (name, username or e-mail)"),
        max_length=150,
        help_text=_("Type part of a name, e.g. Somchai; if several people match, they are listed."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self):
        search = self.cleaned_data["username"].replace("\x00", "").strip()
        users = get_user_model().objects.filter(is_active=True)
        exact = users.filter(Q(username__iexact=search) | Q(email__iexact=search)).first()
        if exact is not None:
            self.cleaned_data["user"] = exact
            return exact.username
        found = list(users_matching(search)[: MATCHES_NAMED + 1])
        if not found:
            raise forms.ValidationError(_("No active user has this name, username or e-mail."))
        if len(found) > 1:
            names = ", ".join(
                f"{user.get_full_name() or user.username} ({user.username})"
                for user in found[:MATCHES_NAMED]
            )
            more = len(found) > MATCHES_NAMED
            raise forms.ValidationError(
                (
                    _("More than %(count)s users match; type more of the name: %(names)s…")
                    if more
                    else _("Several users match; type the username of one: %(names)s")
                )
                % {"count": MATCHES_NAMED, "names": names}
            )
        self.cleaned_data["user"] = found[0]
        return found[0].username


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
