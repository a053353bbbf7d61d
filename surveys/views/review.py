"""Review screens: the list, the read view with history, approve / return / reopen, progress."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from organisations.access import can_administer, has_role, require
from surveys.access import response_for_review, round_for_progress
from surveys.forms.review import ReopenForm, ReturnForm, ReviewFilterForm
from surveys.models import ResponseStatus
from surveys.selectors import review as selectors
from surveys.services import review as services


def _require_reviewer(request: HttpRequest) -> None:
    require(has_role(request.user, *selectors.REVIEW_ROLES))


def review_list(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    form = ReviewFilterForm(request.GET or None, user=request.user)
    round_id = status = None
    if form.is_valid():
        round_id = form.cleaned_data["round"].pk if form.cleaned_data["round"] else None
        status = form.cleaned_data["status"] or None
    responses = selectors.review_list(request.user, round_id=round_id, status=status)[:500]
    return render(request, "surveys/review/list.html", {"form": form, "responses": responses})


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_for_review(request.user, pk)
    return _render_detail(request, response, ReturnForm(), ReopenForm())


def _render_detail(request, response, return_form, reopen_form, status: int = 200) -> HttpResponse:
    context = {
        "response": response,
        "pillars": selectors.response_pillars(response),
        "history": selectors.response_history(response),
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


@require_POST
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_for_review(request.user, pk)
    try:
        _approved, changed = services.response_approve(response_id=response.pk, user=request.user)
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        if changed:
            messages.success(request, _("The response is approved. Its focal points are told."))
        else:
            messages.info(request, _("This response was already approved."))
    return redirect("surveys:review_detail", pk=response.pk)


@require_POST
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_for_review(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, response, form, ReopenForm(), status=400)
    try:
        services.response_return(
            response_id=response.pk,
            user=request.user,
            comment=form.cleaned_data["comment"],
            question_comments=services.review_comment_texts(request.POST.items()),
        )
    except services.ReviewError as error:
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
        services.response_reopen(
            response_id=response.pk, user=request.user, reason=form.cleaned_data["reason"]
        )
    except services.ReviewError as error:
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
    round_ = round_for_progress(request.user, code)
    axis = request.GET.get("axis", "province")
    column = request.GET.get("column", "expected")
    columns = dict(_progress_columns())
    if axis not in selectors.AXES or column not in columns:
        raise Http404
    group = None
    if request.GET.get("group"):
        group = selectors.progress_group(request.user, round_, axis, request.GET["group"])
    page = Paginator(
        selectors.progress_organisations(
            request.user, round_, axis=axis, group=group, column=column
        ),
        PROGRESS_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    statuses = dict(ResponseStatus.choices)
    for organisation in page.object_list:
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
            "organisations": page.object_list,
            "page": page,
            "query_without_page": f"{query.urlencode()}&" if query else "",
        },
    )
