"""Review screens: the list, the read view with history, approve / return / reopen, progress."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from organisations.access import can_administer, has_role, require
from readiness.paging import paged
from surveys.access import response_for_review, round_for_progress
from surveys.forms.review import ProgressFilterForm, ReopenForm, ReturnForm, ReviewFilterForm
from surveys.models import ResponseStatus
from surveys.selectors import review as selectors
from surveys.services.responses import response_approve, response_reopen, response_return
from surveys.services.review import ReviewError, review_comment_texts


def _require_reviewer(request: HttpRequest) -> None:
    require(has_role(request.user, *selectors.REVIEW_ROLES))


def review_list(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    form = ReviewFilterForm(request.GET, user=request.user)
    chosen = form.values()
    responses = selectors.review_list(
        request.user,
        round_id=chosen["round"].pk if chosen["round"] else None,
        status=chosen["status"],
        kind=chosen["kind"],
        search=chosen["q"] or "",
        sort=chosen["sort"],
    )
    pager = paged(request, responses, keep=form.keep)
    return render(
        request,
        "surveys/review/list.html",
        {"form": form, "pager": pager, "responses": pager.object_list},
    )


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_for_review(request.user, pk)
    return _render_detail(request, response, ReturnForm(), ReopenForm())


HISTORY_PAGE_SIZE = 50


def _render_detail(request, response, return_form, reopen_form, status: int = 200) -> HttpResponse:
    history = paged(
        request,
        selectors.response_history(response),
        per_page=HISTORY_PAGE_SIZE,
        param="history_page",
        anchor="history",
    )
    pillars = selectors.response_pillars(response)
    context = {
        "response": response,
        "pillars": pillars,
        **_summary_totals(pillars),
        "history": history.object_list,
        "history_pager": history,
        "general_comments": response.review_comments.filter(question__isnull=True).select_related(
            "author"
        ),
        "return_form": return_form,
        "reopen_form": reopen_form,
        "can_decide": response.status == ResponseStatus.SUBMITTED,
        "can_reopen": response.status == ResponseStatus.APPROVED
        and can_administer(request.user, response.organisation),
    }
    return render(request, "surveys/review/detail.html", context, status=status)


def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approving asks first: GET (or a POST without `confirmed`) shows what is approved (answered,
    skipped, unanswered, open comments) with the confirming button; nothing changes until then."""
    response = response_for_review(request.user, pk)
    if request.method != "POST" or request.POST.get("confirmed") != "yes":
        if response.status != ResponseStatus.SUBMITTED:
            messages.info(request, _("Only a submitted response can be approved."))
            return redirect("surveys:review_detail", pk=response.pk)
        pillars = selectors.response_pillars(response)
        return render(
            request,
            "surveys/review/approve_confirm.html",
            {"response": response, "pillars": pillars, **_summary_totals(pillars)},
        )
    try:
        _approved, changed = response_approve(response_id=response.pk, user=request.user)
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        if changed:
            messages.success(request, _("The response is approved. Its focal points are told."))
        else:
            messages.info(request, _("This response was already approved."))
    return redirect("surveys:review_detail", pk=response.pk)


def _summary_totals(pillars: list) -> dict[str, int]:
    """Answered, skipped (skip logic), unanswered questions and open comments of a response."""
    return {
        "answered": sum(pillar.answered for pillar in pillars),
        "skipped": sum(pillar.skipped for pillar in pillars),
        "unanswered": sum(pillar.unanswered for pillar in pillars),
        "comment_total": sum(pillar.comment_count for pillar in pillars),
    }


@require_POST
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_for_review(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, response, form, ReopenForm(), status=400)
    try:
        response_return(
            response_id=response.pk,
            user=request.user,
            comment=form.cleaned_data["comment"],
            question_comments=review_comment_texts(request.POST.items()),
        )
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The response is returned to its focal points."))
    return redirect("surveys:review_detail", pk=response.pk)


@require_POST
def review_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_for_review(request.user, pk)
    # Reopening is an administrator's act; a reviewer cannot even see the button.
    require(can_administer(request.user, response.organisation))
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, response, ReturnForm(), form, status=400)
    try:
        response_reopen(
            response_id=response.pk, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The response is reopened and returned to its focal points."))
    return redirect("surveys:review_detail", pk=response.pk)


def progress(request: HttpRequest, code: str) -> HttpResponse:
    round_ = round_for_progress(request.user, code)
    tables = []
    for axis, title in (("province", _("By province")), ("ministry", _("By ministry"))):
        rows, totals = selectors.round_progress(request.user, round_, axis)
        tables.append({"axis": axis, "title": title, "rows": rows, "totals": totals})
    return render(
        request,
        "surveys/review/progress.html",
        {"round": round_, "tables": tables, "columns": _progress_columns()},
    )


def _progress_columns() -> list[tuple[str, str]]:
    return [
        ("expected", _("Expected")),
        ("not_started", _("Not started")),
        ("draft", _("Draft")),
        ("submitted", _("Submitted")),
        ("returned", _("Returned")),
        ("approved", _("Approved")),
    ]


PROGRESS_PAGE_SIZE = 100


def progress_organisations(request: HttpRequest, code: str) -> HttpResponse:
    """The organisations behind one number of the progress table; an unknown axis or column
    is read as the default one (the whole table's first number)."""
    round_ = round_for_progress(request.user, code)
    columns = dict(_progress_columns())
    form = ProgressFilterForm(request.GET)
    chosen = form.values()
    axis = chosen["axis"] if chosen["axis"] in selectors.AXES else "province"
    column = chosen["column"] if chosen["column"] in columns else "expected"
    group = None
    if chosen["group"]:
        group = selectors.progress_group(request.user, round_, axis, chosen["group"])
    organisations = selectors.progress_organisations(
        request.user,
        round_,
        axis=axis,
        group=group,
        column=column,
        kind=chosen["kind"],
        search=chosen["q"] or "",
        sort=chosen["sort"],
    )
    pager = paged(request, organisations, keep=form.keep, per_page=PROGRESS_PAGE_SIZE)
    statuses = dict(ResponseStatus.choices)
    for organisation in pager.object_list:
        organisation.status_label = statuses.get(
            organisation.response_status, columns["not_started"]
        )
    return render(
        request,
        "surveys/review/progress_organisations.html",
        {
            "round": round_,
            "group": group,
            "column_label": columns[column],
            "form": form,
            "organisations": pager.object_list,
            "pager": pager,
        },
    )
