"""The focal point's screens: my questionnaires, one pillar per page (save, autosave, the
choice after a conflicting save), the final check and the submission.

Every view first asks the access policy through `surveys.access` (`response_for_fill`,
`response_for_read`): another organisation's response is a 404 for every endpoint."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import can_fill
from surveys.access import response_for_fill, response_for_read, response_for_save
from surveys.answers.presentation import answer_text, choice_labels_of, values_from_post
from surveys.answers.rules import expression_values, irrelevant_codes, progress_by_pillar
from surveys.forms.filling import question_fields, question_rules
from surveys.models import Pillar, Question, Response, ResponseStatus
from surveys.selectors.answers import answers_load, version_questions
from surveys.selectors.filling import (
    answer_problems,
    my_questionnaires,
    open_comments,
    pillars_of,
)
from surveys.selectors.review import review_comments_for
from surveys.services.answers import (
    ResponseNotEditable,
    SaveResult,
    answers_save,
    response_is_editable,
)
from surveys.services.page_changes import LOADED_FIELD, changed_values, page_snapshot
from surveys.services.responses import (
    AlreadySubmitted,
    NotSubmittable,
    ResponseIncomplete,
    StaleCheck,
    response_issues,
    response_submit,
)


def my_questionnaires_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "surveys/filling/my_questionnaires.html", {"rows": my_questionnaires(request.user)}
    )


def _pillars(response: Response) -> list[Pillar]:
    return list(response.round.version.pillars.order_by("order", "pk"))


def _pillar(pillars: list[Pillar], code: str) -> Pillar:
    for pillar in pillars:
        if pillar.code == code:
            return pillar
    raise Http404


def _lock_version(request: HttpRequest) -> int:
    """A missing or tampered lock version counts as "unknown": the save is then checked for
    conflicts against everything, never trusted."""
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        return -1


def _saved_text(moment) -> str:
    return _("All changes saved at %(time)s") % {
        "time": time_format(timezone.localtime(moment), "H:i")
    }


def _status_strings() -> dict[str, str]:
    """Texts the page script shows, translated here so every string lives in django.po."""
    return {
        "saving": _("Saving…"),
        "offline": _("Not saved — no connection, will retry"),
        "failed": _("Not saved — the server did not answer, will retry"),
        "conflict": _("Not saved — someone else changed this page. Choose below."),
        "readonly": _("Not saved — this questionnaire can no longer be changed."),
        "invalid": _("Some answers were not saved; see the messages next to them."),
        "needs_correction": _("Some answers need a correction; see the messages next to them."),
        "rail_invalid": _("needs a correction"),
        "unsaved": _("Changes not saved yet"),
        "restored": _("Unsaved changes from this device were restored. They will be saved now."),
        "discard": _("Discard them"),
    }


def _rail(
    response: Response,
    pillars: list[Pillar],
    pillar: Pillar,
    progress: dict[int, tuple[int, int]],
    *,
    invalid: set[int],
    comments: dict[int, int],
) -> list[dict]:
    """The progress rail: per pillar its counts, whether an answer needs a correction
    (never green then) and how many reviewer's comments its questions carry."""
    rail = []
    for item in pillars:
        answered, total = progress.get(item.pk, (0, 0))
        state = "complete" if answered == total else "partial"
        rail.append(
            {
                "pillar": item,
                "answered": answered,
                "total": total,
                "state": "invalid" if item.pk in invalid else state,
                "comments": comments.get(item.pk, 0),
                "current": item.pk == pillar.pk,
                "url": reverse("surveys:response_page", args=[response.pk, item.code]),
            }
        )
    return rail


def _page_context(
    request: HttpRequest,
    response: Response,
    pillar: Pillar,
    *,
    editable: bool,
    posted: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> dict:
    """The page of one pillar. Without `errors` (a GET), the stored answers of this page that
    break a rule are shown with their messages, and after a link from the check page
    (`?check=1`) the missing required answers too: the error is shown where it is."""
    questions = version_questions(response.round.version)
    by_code = {question.code: question for question in questions}
    pillars = _pillars(response)
    stored = answers_load(response, questions)
    page = [question for question in questions if question.pillar_id == pillar.pk]
    page_codes = {question.code for question in page}
    problems = answer_problems(questions, stored)
    if errors is None:
        errors = _stored_errors(request, questions, stored, page_codes, problems)
    invalid = pillars_of(questions, problems) | ({pillar.pk} if errors else set())
    comments = open_comments(response)
    progress = progress_by_pillar(questions, stored)
    index = pillars.index(pillar)
    others = {code: value for code, value in stored.items() if code not in page_codes}
    return {
        "response": response,
        "round": response.round,
        "pillar": pillar,
        "pillar_number": index + 1,
        "rail_invalid_count": len(invalid),
        "rail": _rail(
            response, pillars, pillar, progress, invalid=invalid, comments=comments.by_pillar
        ),
        "fields": question_fields(
            page,
            {**stored, **(posted or {})},
            errors=errors,
            readonly=not editable,
            hidden=irrelevant_codes(questions, stored) & page_codes,
            comments=comments.by_code,
        ),
        "page_invalid": bool(errors),
        "rules": question_rules(page, calculates_of=questions),
        "other_values": expression_values(by_code, others),
        "editable": editable,
        "previous": pillars[index - 1] if index > 0 else None,
        "next": pillars[index + 1] if index + 1 < len(pillars) else None,
        "strings": _status_strings(),
        "saved_text": _saved_text(response.updated_at) if response.updated_by_id else "",
        "autosave_url": reverse("surveys:response_autosave", args=[response.pk, pillar.code]),
        "storage_key": f"readiness:response:{response.pk}:{pillar.code}",
        "loaded_values": page_snapshot(page, stored),
        "review": _review_comments(response, pillar),
        "comment_total": comments.total,
    }


def _stored_errors(
    request: HttpRequest,
    questions: list[Question],
    stored: dict[str, Any],
    page_codes: set[str],
    problems: dict[str, list[str]],
) -> dict[str, list[str]]:
    """A GET's messages on this page: the stored answers that break a rule (`problems`), and
    after a link from the check page (`?check=1`) the missing required answers too."""
    if request.GET.get("check"):
        problems = answer_problems(questions, stored, check_required=True)
    return {code: texts for code, texts in problems.items() if code in page_codes}


def _review_comments(response: Response, pillar: Pillar) -> dict | None:
    if response.status != ResponseStatus.RETURNED:
        return None
    return review_comments_for(response, pillar)


def response_start(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_for_read(request.user, pk)
    pillars = _pillars(response)
    if not pillars:
        raise Http404
    return redirect("surveys:response_page", pk=response.pk, pillar_code=pillars[0].code)


def response_page(request: HttpRequest, pk: int, pillar_code: str) -> HttpResponse:
    if request.method == "POST":
        return _page_save(request, pk, pillar_code)
    response = response_for_read(request.user, pk)
    pillar = _pillar(_pillars(response), pillar_code)
    editable = can_fill(request.user, response.organisation) and response_is_editable(response)
    return render(
        request,
        "surveys/filling/page.html",
        _page_context(request, response, pillar, editable=editable),
    )


def _apply_resolutions(
    request: HttpRequest, response: Response, values: dict[str, Any], questions: list
) -> dict[str, Any]:
    """After a conflict the user chose, per field, to keep theirs or take the saved value."""
    if not any(name.startswith("resolve-") for name in request.POST):
        return values
    stored = answers_load(response, questions)
    for name, choice in request.POST.items():
        if name.startswith("resolve-") and choice == "theirs":
            code = name.removeprefix("resolve-")
            if code in values:
                values[code] = stored.get(code)
    return values


def _answer_text(question: Question, value: Any) -> str:
    return answer_text(question, value, choice_labels_of(question)) or "—"


def _conflict_context(
    request: HttpRequest, response: Response, pillar: Pillar, result: SaveResult
) -> dict:
    posted = [
        (name, value)
        for name, items in request.POST.lists()
        if name.startswith("q-")
        for value in items
    ]
    return {
        "response": response,
        "pillar": pillar,
        "lock_version": result.lock_version,
        "posted": posted,
        "conflicts": [
            {
                "code": conflict.code,
                "label": conflict.question.label,
                "question": conflict.question,
                "yours": _answer_text(conflict.question, conflict.yours),
                "theirs": _answer_text(conflict.question, conflict.theirs),
                "saved_by": conflict.saved_by,
                "saved_at": conflict.saved_at,
            }
            for conflict in result.conflicts
        ],
        "action": reverse("surveys:response_page", args=[response.pk, pillar.code]),
        "loaded_values": request.POST.get(LOADED_FIELD, ""),
        "storage_key": f"readiness:response:{response.pk}:{pillar.code}",
    }


def _save(
    request: HttpRequest, response: Response, pillar: Pillar, *, explicit: bool, questions: list
) -> tuple[SaveResult, dict]:
    page = [q for q in questions if q.pillar_id == pillar.pk]
    # Only what the user changed since loading the page is saved (or can conflict): a field
    # left alone never writes back the value the page was loaded with.
    posted = changed_values(
        page, values_from_post(page, request.POST), request.POST.get(LOADED_FIELD)
    )
    values = _apply_resolutions(request, response, posted, questions)
    result = answers_save(
        response=response,
        pillar=pillar,
        values=values,
        user=request.user,
        lock_version=_lock_version(request),
        check_required=explicit,
        questions=questions,
    )
    return result, values


def _page_save(request: HttpRequest, pk: int, pillar_code: str) -> HttpResponse:
    # The access check, the row lock and the save in one transaction; the locked response is
    # current, and the save updates it: it is not read again.
    with transaction.atomic():
        response = response_for_save(request.user, pk)
        pillar = _pillar(_pillars(response), pillar_code)
        try:
            questions = version_questions(response.round.version)
            result, values = _save(request, response, pillar, explicit=True, questions=questions)
        except ResponseNotEditable:
            result = None
    page_url = reverse("surveys:response_page", args=[response.pk, pillar.code])
    if result is None:
        messages.info(request, _("This questionnaire can no longer be changed."))
        return redirect(page_url)
    if result.conflicts:
        context = _conflict_context(request, response, pillar, result)
        return render(request, "surveys/filling/conflict.html", context, status=409)
    if result.errors:
        context = _page_context(
            request, response, pillar, editable=True, posted=values, errors=result.errors
        )
        context["form_error"] = _("Some answers were not saved; see the messages next to them.")
        return render(request, "surveys/filling/page.html", context)
    messages.success(
        request, _saved_text(response.updated_at if result.changed else timezone.now())
    )
    action = request.POST.get("action")
    pillars = _pillars(response)
    index = pillars.index(pillar)
    if action == "next" and index + 1 < len(pillars):
        return redirect(
            "surveys:response_page", pk=response.pk, pillar_code=pillars[index + 1].code
        )
    if action == "check":
        return redirect("surveys:response_check", pk=response.pk)
    return redirect(page_url)


@require_POST
def response_autosave(request: HttpRequest, pk: int, pillar_code: str) -> HttpResponse:
    """The page script's save: JSON, no reload. 409 carries the conflict choice as HTML."""
    # The access check, the row lock and the save in one transaction (see _page_save).
    with transaction.atomic():
        response = response_for_save(request.user, pk)
        questions = version_questions(response.round.version)
        # The page's pillar from the questions (select_related): one query less per autosave.
        pillar = _pillar(list({q.pillar_id: q.pillar for q in questions}.values()), pillar_code)
        try:
            result, _values = _save(request, response, pillar, explicit=False, questions=questions)
        except ResponseNotEditable:
            result = None
    if result is None:
        return JsonResponse(
            {"saved": False, "readonly": True, "status": _status_strings()["readonly"]}, status=423
        )
    if result.conflicts:
        html = render_to_string(
            "surveys/filling/_conflict_form.html",
            _conflict_context(request, response, pillar, result),
            request=request,
        )
        return JsonResponse(
            {"saved": False, "conflict": True, "lock_version": result.lock_version, "html": html},
            status=409,
        )
    progress = progress_by_pillar(questions, result.values)
    # A pillar with an answer that needs a correction is never shown as complete.
    invalid = pillars_of(questions, answer_problems(questions, result.values))
    if result.errors:
        invalid.add(pillar.pk)
    return JsonResponse(
        {
            "saved": True,
            "lock_version": result.lock_version,
            "changed": result.changed,
            "status": _saved_text(result.saved_at or timezone.now()),
            "errors": result.errors,
            "progress": {str(pk): list(pair) for pk, pair in progress.items()},
            "invalid": sorted(invalid),
        }
    )


def response_check(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_for_fill(request.user, pk)
    return render(request, "surveys/filling/check.html", _check_context(response))


def _question_url(response: Response, question: Question, *, check: bool = False) -> str:
    """The page of the question, scrolled to it; `check` asks the page to show the missing
    answers of the check as well (the error is shown on the question)."""
    url = reverse("surveys:response_page", args=[response.pk, question.pillar.code])
    return f"{url}{'?check=1' if check else ''}#q-{question.code}"


def _check_context(response: Response, issues: list | None = None) -> dict:
    issues = response_issues(response) if issues is None else issues
    comments = open_comments(response)
    pillars = _pillars(response)
    return {
        "response": response,
        "issues": [
            {
                "pillar": issue.pillar,
                "question": issue.question,
                "label": issue.question.label,
                "messages": issue.messages,
                "url": _question_url(response, issue.question, check=True),
            }
            for issue in issues
        ],
        "comments": comments,
        "comment_links": [
            {"comment": comment, "url": _question_url(response, comment.question)}
            for comment in comments.on_questions
        ],
        "editable": response_is_editable(response),
        "first_page": pillars[0] if pillars else None,
    }


@require_POST
def response_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_for_fill(request.user, pk)
    check_url = reverse("surveys:response_check", args=[response.pk])
    try:
        response_submit(response=response, user=request.user, lock_version=_lock_version(request))
    except AlreadySubmitted:
        messages.info(
            request, _("This questionnaire has already been submitted. Nothing more to do.")
        )
        return redirect(check_url)
    except NotSubmittable:
        messages.info(request, _("This questionnaire cannot be submitted now."))
        return redirect(check_url)
    except StaleCheck:
        messages.warning(
            request, _("The answers changed since this check was shown. Please look at it again.")
        )
        return redirect(check_url)
    except ResponseIncomplete as incomplete:
        response.refresh_from_db()
        return render(
            request,
            "surveys/filling/check.html",
            _check_context(response, incomplete.issues),
            status=400,
        )
    messages.success(request, _("Thank you. The questionnaire is submitted for review."))
    return redirect(check_url)
