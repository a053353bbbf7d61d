"""Dashboard pages: an area's overview, gender view and progress; an organisation's scorecard;
the data table behind every chart as CSV or XLSX. Thin: fetch-and-check (reports/access.py),
read the panels, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from organisations import access as org_access
from organisations.models import Organisation, OrganisationKind
from readiness.paging import paged
from reports import access
from reports.dashboards import selectors
from reports.dashboards.area import AreaDashboard, area_link
from reports.dashboards.panels import Panel
from reports.dashboards.scorecard import Scorecard
from reports.dashboards.tables import table_response
from reports.dashboards.topics import GenderView, ProgressView
from reports.models import RoundScoring
from surveys.models import Round, RoundStatus

PAGE_SIZE = 25
VIEWS = {"overview": AreaDashboard, "gender": GenderView, "progress": ProgressView}


def result_rounds() -> list[Round]:
    """Rounds with results to show, newest first."""
    return list(
        Round.objects.exclude(status=RoundStatus.DRAFT)
        .filter(scoring__computed_at__isnull=False)
        .order_by("-opens_on", "code")
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/reports/: the latest round's dashboard of the user's area, or the choice of them."""
    rounds = result_rounds()
    areas = access.dashboard_areas(request.user)
    own = access.own_scorecards(request.user)
    if not areas and not own:
        raise Http404
    chosen = next((r for r in rounds if r.code == request.GET.get("round")), None)
    round_ = chosen or (rounds[0] if rounds else None)
    if round_ is not None and len(areas) + len(own) == 1:
        target = areas[0] if areas else own[0]
        if areas:
            return redirect("reports:area", round_.code, target.code)
        return redirect("reports:scorecard", round_.code, target.code)
    return render(
        request,
        "reports/dashboards/index.html",
        {"rounds": rounds, "round": round_, "areas": areas, "own": own},
    )


def _filters(request: HttpRequest) -> selectors.Filters:
    kind = request.GET.get("kind", "")
    if kind and kind not in OrganisationKind.values:
        messages.warning(request, _("Unknown kind of organisation; showing every kind."))
        kind = ""
    sector = None
    code = request.GET.get("sector", "").replace("\x00", "")
    if code:
        sector = Organisation.objects.filter(
            code=code, kind=OrganisationKind.MINISTRY, active=True
        ).first()
        if sector is None:
            messages.warning(request, _("Unknown line ministry; showing every sector."))
    return selectors.Filters(kind=kind, sector=sector)


def _page(request: HttpRequest, panel: Panel) -> dict:
    """The rows of a panel's table on this page: "N-M of T", with links to the others."""
    total = len(panel.table)
    key = f"p-{panel.name}"
    try:
        number = max(1, int(request.GET.get(key, "1")))
    except ValueError:
        number = 1
    last = max(1, -(-total // PAGE_SIZE))
    number = min(number, last)
    start = (number - 1) * PAGE_SIZE

    def url(page: int) -> str:
        query = request.GET.copy()
        query[key] = str(page)
        return f"?{query.urlencode()}#{panel.name}"

    return {
        "rows": panel.rows(start, start + PAGE_SIZE),
        "first": start + 1 if total else 0,
        "last": min(total, start + PAGE_SIZE),
        "total": total,
        "previous": url(number - 1) if number > 1 else "",
        "next": url(number + 1) if number < last else "",
    }


def area_exports(user, area: Organisation) -> list[tuple[str, str, str]]:
    """(what, format, label) of the exports this user may request for an area."""
    if not org_access.can_export(user, area):
        return []
    return [
        ("workbook", "xlsx", _("Excel workbook")),
        ("workbook", "csv", _("CSV files (zip)")),
        ("report", "pdf", _("PDF report")),
        ("masterplan", "docx", _("Master-plan input (Word)")),
        ("masterplan", "pdf", _("Master-plan input (PDF)")),
    ]


def scorecard_exports(user, organisation: Organisation) -> list[tuple[str, str, str]]:
    if not org_access.can_view_organisation(user, organisation):
        return []
    return [("scorecard", "pdf", _("Scorecard (PDF)"))]


def _freshness(round_: Round) -> RoundScoring | None:
    return RoundScoring.objects.filter(round=round_).first()


def _area_context(request, dashboard: AreaDashboard, view: str) -> dict:
    round_, area = dashboard.round, dashboard.area
    panels = dashboard.panels()
    query = dashboard.query
    return {
        "round": round_,
        "area": area,
        "view": view,
        "dashboard": dashboard,
        "overall": dashboard.overall,
        "panels": [(panel, _page(request, panel)) for panel in panels],
        "breadcrumbs": [
            (node, area_link(round_, node, query))
            for node in access.visible_breadcrumbs(request.user, area)
        ],
        "rounds": result_rounds(),
        "kinds": OrganisationKind.choices,
        "sectors": Organisation.objects.filter(
            kind=OrganisationKind.MINISTRY, active=True
        ).order_by("code"),
        "filters": dashboard.filters,
        "query": urlencode(query),
        "scoring": _freshness(round_),
        "stage_names": sorted(dashboard.stage_names.items()),
        "table_base": reverse("reports:area", args=[round_.code, area.code]) + f"tables/{view}/",
        "exports": area_exports(request.user, area),
        "export_area": area,
    }


@require_GET
def area(request: HttpRequest, round_code: str, code: str, view: str = "overview") -> HttpResponse:
    round_ = access.result_round(round_code)
    area_ = access.area_for_dashboard(request.user, code)
    if view == "progress" and round_.baseline is None:
        raise Http404
    dashboard = VIEWS[view](round=round_, area=area_, filters=_filters(request))
    context = _area_context(request, dashboard, view)
    if view == "progress":
        context["transitions"] = dashboard.transition_table()
    return render(request, f"reports/dashboards/{view}.html", context)


@require_GET
def transition_organisations(request: HttpRequest, round_code: str, code: str) -> HttpResponse:
    """The organisations behind one count of the transition table (?before=&after= stages)."""
    round_ = access.result_round(round_code)
    area_ = access.area_for_dashboard(request.user, code)
    if round_.baseline is None:
        raise Http404
    try:
        before, after = int(request.GET["before"]), int(request.GET["after"])
    except (KeyError, ValueError) as error:
        raise Http404 from error
    dashboard = ProgressView(round=round_, area=area_, filters=_filters(request))
    frame = dashboard.transitions
    ids = frame[frame["before"].eq(before) & frame["after"].eq(after)]["organisation_id"]
    organisations = Organisation.objects.filter(pk__in=list(ids)).order_by("code")
    pager = paged(
        request, organisations, keep=["before", "after", "kind", "sector"], per_page=PAGE_SIZE
    )
    page = pager.page
    return render(
        request,
        "reports/dashboards/transition.html",
        {
            "round": round_,
            "area": area_,
            "before": (before, dashboard.stage_names.get(before, "")),
            "after": (after, dashboard.stage_names.get(after, "")),
            "page": page,
            "pager": pager,
            "links": {o.pk: area_link(round_, o) for o in page},
            "query": urlencode({"before": before, "after": after, **dashboard.query}),
        },
    )


@require_GET
def scorecard(request: HttpRequest, round_code: str, code: str) -> HttpResponse:
    round_ = access.result_round(round_code)
    organisation = access.organisation_for_scorecard(request.user, code)
    card = Scorecard(round=round_, organisation=organisation)
    panels = card.panels()
    return render(
        request,
        "reports/dashboards/scorecard.html",
        {
            "round": round_,
            "organisation": organisation,
            "card": card,
            "overall": card.overall,
            "pillars": card.pillar_rows(),
            "panels": [(panel, _page(request, panel)) for panel in panels],
            "answers": card.answers(),
            "breadcrumbs": [
                (node, area_link(round_, node))
                for node in access.visible_breadcrumbs(request.user, organisation)
            ],
            "rounds": result_rounds(),
            "scoring": _freshness(round_),
            "table_base": reverse("reports:scorecard", args=[round_.code, organisation.code])
            + "tables/",
            "exports": scorecard_exports(request.user, organisation),
            "export_area": organisation,
        },
    )


@require_GET
def area_table(
    request: HttpRequest, round_code: str, code: str, view: str, panel: str, fmt: str
) -> HttpResponse:
    """The data table of one panel of an area's page, as CSV (UTF-8 with BOM) or XLSX."""
    round_ = access.result_round(round_code)
    area_ = access.area_for_dashboard(request.user, code)
    if view not in VIEWS or (view == "progress" and round_.baseline is None):
        raise Http404
    dashboard = VIEWS[view](round=round_, area=area_, filters=_filters(request))
    chosen = next((p for p in dashboard.panels() if p.name == panel), None)
    if chosen is None:
        raise Http404
    return table_response(chosen, f"{round_.code}_{area_.code}_{panel}", fmt)


@require_GET
def scorecard_table(
    request: HttpRequest, round_code: str, code: str, panel: str, fmt: str
) -> HttpResponse:
    round_ = access.result_round(round_code)
    organisation = access.organisation_for_scorecard(request.user, code)
    card = Scorecard(round=round_, organisation=organisation)
    chosen = next((p for p in card.panels() if p.name == panel), None)
    if chosen is None:
        raise Http404
    return table_response(chosen, f"{round_.code}_{organisation.code}_{panel}", fmt)


@require_GET
def switch(request: HttpRequest) -> HttpResponse:
    """The round picker: the same page in another round."""
    rounds = {r.code: r for r in result_rounds()}
    round_ = rounds.get(request.GET.get("round", ""))
    code = request.GET.get("area", "")
    if round_ is None or not code:
        return redirect("reports:index")
    view = request.GET.get("view", "overview")
    if view == "scorecard":
        return redirect("reports:scorecard", round_.code, code)
    if view == "progress" and round_.baseline is None:
        view = "overview"
    name = {"overview": "reports:area", "gender": "reports:gender", "progress": "reports:progress"}
    url = reverse(name.get(view, "reports:area"), args=[round_.code, code])
    kept = {k: v for k, v in request.GET.items() if k in ("kind", "sector") and v}
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)
