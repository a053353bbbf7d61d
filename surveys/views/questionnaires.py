"""Questionnaire screens for platform administrators: list, XLSForm upload, version detail,
preview in each language, publish (with its checks), new draft, XLSForm download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import can_administer, require
from readiness.i18n import pick
from readiness.paging import paged
from surveys.access import version_for_admin
from surveys.forms.filling import question_fields, question_rules
from surveys.forms.questionnaires import QuestionnaireFilterForm, XlsformUploadForm
from surveys.models import Questionnaire, QuestionnaireVersion, VersionStatus
from surveys.services.questionnaires import (
    version_new_draft,
    version_publish,
    version_publish_problems,
)
from surveys.xlsform import xlsform_export, xlsform_import

PREVIEW_LANGUAGES = ("lo", "en")


def questionnaire_list(request: HttpRequest) -> HttpResponse:
    require(can_administer(request.user))
    form = QuestionnaireFilterForm(request.GET)
    chosen = form.values()
    versions = QuestionnaireVersion.objects.annotate(question_count=Count("questions")).order_by(
        "-number"
    )
    questionnaires = Questionnaire.objects.order_by("code").prefetch_related(
        Prefetch("versions", queryset=versions)
    )
    if search := chosen["q"]:
        questionnaires = questionnaires.filter(
            Q(code__icontains=search)
            | Q(title__lo__icontains=search)
            | Q(title__en__icontains=search)
        )
    if chosen["respondents"]:
        questionnaires = questionnaires.filter(respondent_type=chosen["respondents"])
    if chosen["status"]:
        questionnaires = questionnaires.filter(versions__status=chosen["status"]).distinct()
    pager = paged(request, questionnaires, keep=form.keep, per_page=20)
    return render(
        request,
        "surveys/questionnaires/list.html",
        {"form": form, "pager": pager, "questionnaires": pager.object_list},
    )


def questionnaire_upload(request: HttpRequest) -> HttpResponse:
    require(can_administer(request.user))
    form = XlsformUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = xlsform_import(
            file=upload,
            filename=upload.name,
            user=request.user,
            publish=form.cleaned_data["publish"],
        )
        if result.version is not None:
            version = result.version
            if version.status == VersionStatus.PUBLISHED:
                messages.success(request, _("The questionnaire was imported and published."))
            else:
                messages.success(request, _("The questionnaire was imported as a draft."))
            for warning in result.warnings:
                messages.warning(request, str(warning))
            return redirect("surveys:version_detail", pk=version.pk)
    status = 400 if result is not None else 200
    return render(
        request,
        "surveys/questionnaires/upload.html",
        {"form": form, "result": result},
        status=status,
    )


def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for_admin(request.user, pk)
    pillars = version.pillars.annotate(question_count=Count("questions"))
    problems = version_publish_problems(version=version) if not version.is_frozen else []
    return render(
        request,
        "surveys/questionnaires/detail.html",
        {
            "version": version,
            "pillars": pillars,
            "problems": problems,
            "recommendation_count": version.recommendations.count(),
            "question_count": version.questions.count(),
            "other_versions": version.questionnaire.versions.exclude(pk=version.pk),
        },
    )


def version_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The pillar pages as a focal point sees them, in Lao or English; nothing is saved."""
    version = version_for_admin(request.user, pk)
    language = request.GET.get("lang")
    if language not in PREVIEW_LANGUAGES:
        language = (
            translation.get_language() if translation.get_language() in PREVIEW_LANGUAGES else "lo"
        )
    pillars = list(version.pillars.all())
    current = next((p for p in pillars if p.code == request.GET.get("pillar")), None)
    current = current or (pillars[0] if pillars else None)
    questions = (
        list(current.questions.order_by("order").prefetch_related("choices")) if current else []
    )
    index = pillars.index(current) if current else 0
    with translation.override(language):
        fields = question_fields(questions, {})
        return render(
            request,
            "surveys/questionnaires/preview.html",
            {
                "version": version,
                "pillars": pillars,
                "current": current,
                "pillar_name": pick(current.name) if current else "",
                "fields": fields,
                "rules": question_rules(questions),
                "language": language,
                "previous": pillars[index - 1] if index > 0 else None,
                "next": pillars[index + 1] if index + 1 < len(pillars) else None,
                "languages": PREVIEW_LANGUAGES,
            },
        )


def version_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for_admin(request.user, pk)
    if request.method == "POST":
        try:
            version_publish(version=version, user=request.user)
        except ValidationError as exc:
            return render(
                request,
                "surveys/questionnaires/publish.html",
                {"version": version, "problems": exc.messages},
                status=400,
            )
        messages.success(request, _("The version is published. It can no longer change."))
        return redirect("surveys:version_detail", pk=version.pk)
    problems = version_publish_problems(version=version)
    return render(
        request, "surveys/questionnaires/publish.html", {"version": version, "problems": problems}
    )


@require_POST
def version_new_draft_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for_admin(request.user, pk)
    draft = version_new_draft(version=version, user=request.user)
    messages.success(
        request,
        _("A new draft (version %(number)s) was made from version %(source)s.")
        % {"number": draft.number, "source": version.number},
    )
    return redirect("surveys:version_detail", pk=draft.pk)


def version_download(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for_admin(request.user, pk)
    filename = f"{slugify(version.questionnaire.code) or 'questionnaire'}-v{version.number}.xlsx"
    response = HttpResponse(
        xlsform_export(version),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
