"""Responses collected offline (KoboToolbox, ODK), imported by platform administrators."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from organisations.access import can_administer, require
from surveys.forms.imports import ImportForm
from surveys.services import imports as import_services

PROBLEMS_LISTED = 1000


def responses_import_upload(request: HttpRequest) -> HttpResponse:
    """Platform administrators import responses collected offline; all or nothing."""
    require(can_administer(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_services.responses_import(
                round_=form.cleaned_data["round"],
                file=upload,
                filename=upload.name,
                user=request.user,
            )
        except import_services.ImportFailed as failed:
            problems = failed.problems
            status = 400
        else:
            messages.success(
                request,
                _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            if result.not_carried:
                messages.info(
                    request,
                    _(
                        "The file has no column for these questions; their stored answers "
                        "were kept: %(codes)s"
                    )
                    % {"codes": ", ".join(result.not_carried)},
                )
            return redirect("surveys:responses_import")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "surveys/review/import.html",
        # At most PROBLEMS_LISTED, and the page says so when there are more.
        {"form": form, "problems": problems[:PROBLEMS_LISTED], "problem_count": len(problems)},
        status=status,
    )
