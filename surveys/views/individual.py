"""The public page of an individual questionnaire (no account): sex, age band, the questions.

Unknown or inactive tokens, closed rounds and organisation questionnaires are 404. A signed
one-time nonce in the form makes a repeated POST create one response; each address may send
INDIVIDUAL_SUBMISSIONS_PER_HOUR responses per link and hour."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from surveys.access import share_link_for_token
from surveys.answers.presentation import values_from_post
from surveys.answers.rules import AnswersInvalid
from surveys.forms.filling import question_fields, question_rules
from surveys.forms.individual import RespondentForm
from surveys.models import ShareLink
from surveys.selectors.answers import answers_validate, version_questions
from surveys.services import individual as services


def _client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR, never a forwarded header read here: behind a proxy named in TRUSTED_PROXIES,
    # readiness.proxies.TrustedProxyMiddleware has already set it to the client's address.
    return request.META.get("REMOTE_ADDR", "")[:45]


def _render_form(
    request: HttpRequest,
    link: ShareLink,
    *,
    respondent: RespondentForm,
    nonce: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    message: str = "",
) -> HttpResponse:
    questions = version_questions(link.round.version)
    fields = question_fields(questions, values or {}, errors=errors or {})
    context = {
        "link": link,
        "round": link.round,
        "organisation": link.organisation,
        "respondent": respondent,
        "nonce": nonce,
        # The filling screen's partial renders each question (same inputs, same messages).
        "fields": fields,
        "rules": question_rules(questions),
        "message": message,
        "problems": _problems(respondent, fields) if errors is not None else [],
    }
    return render(request, "surveys/individual/form.html", context, status=status)


def _problems(respondent: RespondentForm, fields: list[dict]) -> list[dict]:
    """Every missing or invalid answer of the form, in its order, with the anchor it is at:
    the respondent's questions first, then the questionnaire's."""
    problems = [
        {"anchor": f"div_id_{name}", "label": respondent[name].label, "messages": messages}
        for name, messages in respondent.errors.items()
        if name in respondent.fields
    ]
    problems += [
        {"anchor": f"q-{field['code']}", "label": field["label"], "messages": field["errors"]}
        for field in fields
        if field["errors"]
    ]
    return problems


@login_not_required
def individual_form(request: HttpRequest, token: str) -> HttpResponse:
    link = share_link_for_token(token)
    if request.method != "POST":
        nonce = services.form_nonce_new(link=link)
        return _render_form(request, link, respondent=RespondentForm(), nonce=nonce)
    address = _client_address(request)
    if services.rate_limited(link=link, address=address):
        return _too_many(request, link)
    signed = request.POST.get("nonce", "")
    nonce = services.form_nonce_check(link=link, signed=signed)
    respondent = RespondentForm(request.POST)
    questions = version_questions(link.round.version)
    raw_values = values_from_post(questions, request.POST)
    if nonce is None:
        return _render_form(
            request,
            link,
            respondent=respondent,
            nonce=services.form_nonce_new(link=link),
            values=raw_values,
            status=400,
            message=_("This form has expired. Please check your answers and send it again."),
        )
    if services.individual_response_for_nonce(nonce) is not None:
        # The same form sent again (double click, reload): it was already recorded.
        return redirect("surveys:individual_thanks", token=link.token)
    errors: dict[str, list[str]] = {}
    if not respondent.is_valid():
        # Every problem at once: the answers are checked too, not only after sex and age.
        errors = answers_validate(
            version=link.round.version, pillar=None, values=raw_values, all_values={}
        )
    else:
        try:
            services.individual_response_create(
                link=link,
                nonce=nonce,
                sex=respondent.cleaned_data["sex"],
                age_band=respondent.cleaned_data["age_band"],
                values=raw_values,
                address=address,
            )
        except services.RateLimited:
            return _too_many(request, link)
        except AnswersInvalid as invalid:
            errors = invalid.errors
        else:
            return redirect("surveys:individual_thanks", token=link.token)
    return _render_form(
        request,
        link,
        respondent=respondent,
        nonce=signed,
        values=raw_values,
        errors=errors,
        status=400,
        message=_("Some answers need your attention."),
    )


def _too_many(request: HttpRequest, link) -> HttpResponse:
    """This address has used its hourly allowance of anonymous responses for the link."""
    return render(request, "surveys/individual/too_many.html", {"round": link.round}, status=429)


@login_not_required
def individual_thanks(request: HttpRequest, token: str) -> HttpResponse:
    link = share_link_for_token(token)
    return render(request, "surveys/individual/thanks.html", {"link": link, "round": link.round})
