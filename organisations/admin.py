"""Technical administration (Django staff). Day-to-day management uses the organisation pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from organisations.models import Organisation, RoleAssignment


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Organisation)
    list_display = ("label", "code", "kind", "line_ministry", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name__lo", "name__en")
    raw_id_fields = ("line_ministry",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "organisation", "created_at", "created_by")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "organisation__code")
    raw_id_fields = ("user", "organisation", "created_by")
    readonly_fields = ("created_at",)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
