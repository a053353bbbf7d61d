"""Export pages: request an export, follow its progress, download its file.

The request endpoint, for export buttons on dashboards and scorecards:

    POST {% url 'reports:exports:request' %}   (a form with {% csrf_token %})
      round   the round's code (required)
      what    workbook | summary | scores | aggregates | gender | answers | codebook   (xlsx, csv)
              report (national report when area is the nation, else the area's report)     (pdf)
              scorecard (one organisation; area = its code; its focal point may ask)      (pdf)
              masterplan (master-plan input: gaps, priorities and actions by pillar)  (pdf, docx)
      area    an organisation code; empty: the requester's own export scope (e.g. the nation)
      format  xlsx | csv | pdf | docx
      lang    lo | en (default: the page's language)

It answers at once with a redirect to the job's page (`reports:exports:job`, pk), which polls
its progress with htmx until a download link appears; for an htmx request it answers with the
job's progress fragment instead. The same request while one is queued or running joins it.
An area or organisation the user may not export is a 404, like one that does not exist.
`reports:exports:list` lists the user's exports and offers the same form.
"""

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from organisations import access
from organisations.models import Organisation, OrganisationKind, Role
from readiness.paging import paged
from reports.access import result_round
from reports.exports import jobs
from reports.exports.forms import ExportRequestForm
from reports.exports.spec import ExportSpec, SpecError, may_download, may_request, spec_check
from reports.models import ExportWhat, ReportJob, RoundScoring
from reports.templatetags.exports import may_use_exports
from surveys.models import Round, RoundStatus

PAGE_SIZE = 25
AREA_KINDS = (
    OrganisationKind.NATIONAL,
    OrganisationKind.MINISTRY,
    OrganisationKind.PROVINCE,
    OrganisationKind.DISTRICT,
)


def _export_scopes(request: HttpRequest) -> list[Organisation]:
    return access.scopes(request.user, (Role.ANALYST, Role.ADMINISTRATOR))


def _may_use_exports(request: HttpRequest) -> bool:
    # The same rule as the navigation's link (reports/templatetags/exports.py).
    return may_use_exports(request.user)


def _default_area(request: HttpRequest, what: str) -> Organisation | None:
    scopes = sorted(_export_scopes(request), key=lambda node: node.path)
    if scopes:
        return scopes[0]
    if what == ExportWhat.SCORECARD:
        own = [a.organisation for a in access.roles_of(request.user) if a.role == Role.FOCAL_POINT]
        return own[0] if len(own) == 1 else None
    return None


def _rounds():
    return Round.objects.exclude(status=RoundStatus.DRAFT).filter(
        pk__in=RoundScoring.objects.filter(computed_at__isnull=False).values("round_id")
    )


@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    form = ExportRequestForm(request.POST)
    if not form.is_valid():
        require_any(request)
        return _list(request, form, status=400)
    data = form.cleaned_data
    round_ = result_round(data["round"])  # a round still being prepared is a 404
    area = (
        Organisation.objects.filter(code=data["area"]).first()
        if data["area"]
        else _default_area(request, data["what"])
    )
    if area is None:
        raise Http404
    language = data["lang"] or (get_language() or "lo").split("-")[0]
    spec = ExportSpec(
        round=round_, what=data["what"], area=area, format=data["format"], language=language
    )
    access.require(may_request(request.user, spec))
    try:
        spec_check(what=spec.what, format=spec.format, language=spec.language)
    except SpecError as error:
        form.add_error(None, str(error))
        return _list(request, form, status=400)
    job, joined = jobs.job_request(user=request.user, spec=spec)
    if joined:
        messages.info(request, _("The same export is already being prepared: you joined it."))
    if request.htmx:
        return render(request, "reports/exports/_job.html", {"job": job})
    return redirect("reports:exports:job", pk=job.pk)


def require_any(request: HttpRequest) -> None:
    access.require(_may_use_exports(request))


def _visible_job(request: HttpRequest, pk: int) -> ReportJob:
    job = ReportJob.objects.select_related("area", "round").filter(pk=pk).first()
    if job is None or not may_download(request.user, what=job.what, area=job.area):
        raise Http404
    return job


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _visible_job(request, pk)
    template = "reports/exports/_job.html" if request.htmx else "reports/exports/job.html"
    return render(request, template, {"job": job})


@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _visible_job(request, pk)
    path = jobs.job_file(job)
    if path is None:
        raise Http404
    # FileResponse closes the file when the response is done.
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    require_any(request)
    return _list(request, ExportRequestForm(initial=_initial(request)))


def _initial(request: HttpRequest) -> dict:
    latest = _rounds().order_by("-opens_on").first()
    area = _default_area(request, ExportWhat.WORKBOOK)
    return {
        "round": latest.code if latest else "",
        "area": area.code if area else "",
        "what": ExportWhat.WORKBOOK,
        "format": "xlsx",
        "lang": (get_language() or "lo").split("-")[0],
    }


def _list(request: HttpRequest, form: ExportRequestForm, status: int = 200) -> HttpResponse:
    pager = paged(
        request,
        ReportJob.objects.filter(requesters=request.user).select_related("round", "area"),
        per_page=PAGE_SIZE,
    )
    page = pager.page
    scopes = _export_scopes(request)
    areas = []
    if scopes:
        in_scope = Q(pk__in=[])
        for scope in scopes:
            in_scope |= Q(path__startswith=scope.path)
        areas = Organisation.objects.filter(in_scope, kind__in=AREA_KINDS).order_by("path")
    return render(
        request,
        "reports/exports/list.html",
        {
            "form": form,
            "page": page,
            "pager": pager,
            "rounds": _rounds().order_by("-opens_on"),
            "areas": areas,
            "can_export": bool(scopes),
        },
        status=status,
    )
