"""Technical administration (Django staff). Day-to-day management uses the organisation pages."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from organisations.models import Organisation, RoleAssignment
from readiness.identifiers import identifier_problem


def _number_or_404(value: str) -> str:
    if not (value.isascii() and value.isdigit()):
        raise Http404
    return value


class NumericIdsAdmin(SimpleHistoryAdmin):
    """simple_history's history pages (and treebeard's children view below) answer a server
    error to an id that is not a number, where Django's own admin pages answer calmly: 404."""

    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, _number_or_404(object_id), extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return super().history_form_view(
            request, _number_or_404(object_id), _number_or_404(version_id), extra_context
        )


class OrganisationAdminForm(movenodeform_factory(Organisation)):
    def clean_code(self) -> str:
        """A code with an invisible character is refused here as the import refuses it: it
        would look like another code and compare different everywhere."""
        code = self.cleaned_data["code"]
        problem = identifier_problem(code)
        if problem:
            raise ValidationError(problem)
        return code


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin, NumericIdsAdmin):
    form = OrganisationAdminForm
    list_display = ("label", "code", "kind", "line_ministry", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name__lo", "name__en")
    raw_id_fields = ("line_ministry",)

    def children_view(self, request, parent_id):
        return super().children_view(request, _number_or_404(parent_id))


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(NumericIdsAdmin):
    list_display = ("user", "role", "organisation", "created_at", "created_by")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "organisation__code")
    raw_id_fields = ("user", "organisation", "created_by")
    readonly_fields = ("created_at",)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
