"""Organisation pages for administrators: browse the tree, import a CSV, manage roles and users.

Every view asks organisations.access; a node outside the administrator's scope is a 404."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations import selectors, services
from organisations.access import can_administer, has_role, require
from organisations.forms import (
    ImportForm,
    OrganisationSearchForm,
    RoleAssignForm,
    RoleFilterForm,
    UserCreateForm,
    users_matching,
)
from organisations.models import Organisation, OrganisationKind, Role, RoleAssignment
from readiness.paging import clean_value, paged

PAGE_SIZE = 50


def _require_administrator(request: HttpRequest) -> None:
    require(has_role(request.user, Role.ADMINISTRATOR))


def organisation_list(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    form = OrganisationSearchForm(request.GET)
    chosen = form.values()
    searching = bool(chosen["q"] or chosen["kind"])
    pager = None
    if searching:
        found = selectors.organisation_search(request.user, chosen["q"] or "", kind=chosen["kind"])
        pager = paged(request, found, keep=form.keep, per_page=PAGE_SIZE)
    return render(
        request,
        "organisations/list.html",
        {
            "form": form,
            "searching": searching,
            "pager": pager,
            "roots": selectors.administered_roots(request.user),
        },
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("line_ministry"), pk=pk)
    require(can_administer(request.user, organisation))
    initial = {"username": clean_value(request.GET.get("user"))}
    return _detail(request, organisation, RoleAssignForm(initial=initial))


def _detail(
    request: HttpRequest, organisation: Organisation, role_form: RoleAssignForm
) -> HttpResponse:
    children = paged(request, selectors.organisation_children(organisation), per_page=PAGE_SIZE)
    find = clean_value(request.GET.get("find"))
    found = None
    if find:
        found = paged(request, users_matching(find), keep=["find"], per_page=20, param="upage")
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "ancestors": selectors.ancestors_in_scope(request.user, organisation),
            "pager": children,
            "children": children.page,
            "find": find,
            "found": found,
            "assignments": organisation.role_assignments.select_related("user").order_by(
                "user__username", "role"
            ),
            "role_form": role_form,
        },
        status=400 if role_form.errors else 200,
    )


@require_POST
def role_assign(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    require(can_administer(request.user, organisation))
    form = RoleAssignForm(request.POST)
    if not form.is_valid():
        return _detail(request, organisation, form)
    assignment = services.role_assign(
        user=form.cleaned_data["user"],
        role=form.cleaned_data["role"],
        organisation=organisation,
        by=request.user,
    )
    messages.success(request, _("Role given: %(assignment)s.") % {"assignment": assignment})
    return redirect("organisations:detail", pk=organisation.pk)


@require_POST
def role_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("organisation"), pk=pk)
    require(can_administer(request.user, assignment.organisation))
    label = str(assignment)
    services.role_remove(assignment=assignment)
    messages.success(request, _("Role removed: %(assignment)s.") % {"assignment": label})
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("organisations:roles")


def role_list(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    form = RoleFilterForm(request.GET)
    chosen = form.values()
    assignments = selectors.role_assignments_in_scope(
        request.user, chosen["q"] or "", role=chosen["role"]
    )
    pager = paged(request, assignments, keep=form.keep, per_page=PAGE_SIZE)
    return render(
        request, "organisations/roles.html", {"form": form, "pager": pager, "page": pager.page}
    )


def user_create(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    form = UserCreateForm(request.POST or None, administrator=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            username=data["username"],
            password=data["password1"],
            full_name=data.get("first_name", ""),
            email=data.get("email", ""),
            role=data.get("role", ""),
            organisation=data.get("organisation"),
            by=request.user,
        )
        messages.success(request, _("Account %(username)s created.") % {"username": user.username})
        return redirect("organisations:roles")
    return render(
        request,
        "organisations/user_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def organisation_import(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.organisations_import(
            rows_or_file=form.cleaned_data["file"], user=request.user
        )
    return render(
        request,
        "organisations/import.html",
        {"form": form, "report": report, "kinds": OrganisationKind.choices},
        status=400 if (form.errors or (report and not report.ok)) else 200,
    )
