"""Round screens for platform administrators: create, edit, review targets, open, close."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisations.access import can_administer, require
from readiness.paging import paged
from surveys.access import round_for_admin
from surveys.forms.rounds import (
    RoundFilterForm,
    RoundForm,
    RoundVersionForm,
    TargetFilterForm,
    TargetsAddForm,
)
from surveys.models import RoundStatus
from surveys.selectors.rounds import round_targets_list, rounds_list
from surveys.services.rounds import (
    RoundError,
    round_close,
    round_create,
    round_open,
    round_targets_adjust,
    round_update,
)


def _round_error_message(error: RoundError) -> str:
    return {
        "not_draft": _("Only a round being prepared can be changed."),
        "dates": _("The closing date cannot be before the opening date."),
        "version_not_published": _("Only a published questionnaire version can be used."),
        "baseline": _("The baseline round must use the same questionnaire."),
        "no_targets": _("The round has no target organisations. Add some before opening it."),
        "closed": _("This round is closed and cannot be opened again."),
        "not_open": _("Only an open round can be closed."),
    }.get(str(error), _("This action is not possible now."))


def round_list(request: HttpRequest) -> HttpResponse:
    require(can_administer(request.user))
    form = RoundFilterForm(request.GET)
    chosen = form.values()
    pager = paged(
        request, rounds_list(search=chosen["q"] or "", status=chosen["status"]), keep=form.keep
    )
    return render(
        request,
        "surveys/rounds/list.html",
        {"form": form, "pager": pager, "rounds": pager.object_list},
    )


def round_new(request: HttpRequest) -> HttpResponse:
    """Two steps: choose the version (GET ?version=), then the round's details."""
    require(can_administer(request.user))
    version_form = RoundVersionForm(request.GET or None)
    if not version_form.is_valid():
        return render(request, "surveys/rounds/choose_version.html", {"form": version_form})
    version = version_form.cleaned_data["version"]
    form = RoundForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_create(
                code=form.cleaned_data["code"],
                version=version,
                **form.round_fields(),
                user=request.user,
            )
        except RoundError as error:
            form.add_error(None, _round_error_message(error))
        else:
            messages.success(request, _("The round is prepared. Review its target organisations."))
            return redirect("surveys:round_detail", pk=round_.pk)
    return render(request, "surveys/rounds/form.html", {"form": form, "version": version})


def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = round_for_admin(request.user, pk)
    if round_.status != RoundStatus.DRAFT:
        messages.error(request, _("Only a round being prepared can be changed."))
        return redirect("surveys:round_detail", pk=round_.pk)
    form = RoundForm(
        request.POST or None,
        version=round_.version,
        instance=round_,
        initial=RoundForm.initial_from(round_),
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_update(round_=round_, **form.round_fields(), user=request.user)
        except RoundError as error:
            form.add_error(None, _round_error_message(error))
        else:
            messages.success(request, _("The round is saved."))
            return redirect("surveys:round_detail", pk=round_.pk)
    return render(
        request,
        "surveys/rounds/form.html",
        {"form": form, "version": round_.version, "round": round_},
    )


TARGETS_PAGE_SIZE = 100


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = round_for_admin(request.user, pk)
    form = TargetFilterForm(request.GET)
    chosen = form.values()
    targets = round_targets_list(round_, search=chosen["q"] or "", kind=chosen["kind"])
    pager = paged(request, targets, keep=form.keep, per_page=TARGETS_PAGE_SIZE)
    return render(
        request,
        "surveys/rounds/detail.html",
        {
            "round": round_,
            # Named and in the questionnaire's order (the stored targets are keyed by pillar code).
            "pillar_targets": [
                (pillar, round_.pillar_targets.get(pillar.code))
                for pillar in round_.version.pillars.order_by("order")
            ],
            "form": form,
            "pager": pager,
            "page": pager.page,
            "target_count": round_.targets.count(),
            "response_count": round_.responses.count(),
            "add_form": TargetsAddForm(),
            "is_draft": round_.status == RoundStatus.DRAFT,
        },
    )


@require_POST
def round_targets(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = round_for_admin(request.user, pk)
    if round_.status != RoundStatus.DRAFT:
        messages.error(request, _("Only a round being prepared can be changed."))
        return redirect("surveys:round_detail", pk=round_.pk)
    if "remove" in request.POST:
        # ASCII digits only: "²".isdigit() is true too, and would be a server error as an id.
        ids = [
            value for value in request.POST.getlist("remove") if value.isascii() and value.isdigit()
        ]
        removed = list(round_.targets.filter(pk__in=ids))
        round_targets_adjust(round_=round_, remove=removed)
        messages.success(
            request,
            ngettext(
                "%(count)s organisation removed from the targets.",
                "%(count)s organisations removed from the targets.",
                len(removed),
            )
            % {"count": len(removed)},
        )
    else:
        form = TargetsAddForm(request.POST)
        if form.is_valid():
            round_targets_adjust(round_=round_, add=form.cleaned_data["codes"])
            messages.success(
                request,
                ngettext(
                    "%(count)s organisation added to the targets.",
                    "%(count)s organisations added to the targets.",
                    len(form.cleaned_data["codes"]),
                )
                % {"count": len(form.cleaned_data["codes"])},
            )
        else:
            for error in form.errors.get("codes", []):
                messages.error(
                    request,
                    _("No organisation was added: %(reason)s. Correct the codes and try again.")
                    % {"reason": str(error).rstrip(".")},
                )
    return redirect("surveys:round_detail", pk=round_.pk)


@require_POST
def round_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = round_for_admin(request.user, pk)
    try:
        created = round_open(round_=round_, user=request.user)
    except RoundError as error:
        messages.error(request, _round_error_message(error))
    else:
        if created:
            messages.success(
                request,
                _("The round is open: %(count)s questionnaires were created.") % {"count": created},
            )
        else:
            messages.info(request, _("The round is open."))
    return redirect("surveys:round_detail", pk=round_.pk)


@require_POST
def round_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = round_for_admin(request.user, pk)
    try:
        round_close(round_=round_, user=request.user)
    except RoundError as error:
        messages.error(request, _round_error_message(error))
    else:
        messages.success(request, _("The round is closed."))
    return redirect("surveys:round_detail", pk=round_.pk)
