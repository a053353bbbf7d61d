"""The product's own error pages (400, 403, 404, 500 and a refused form), in the page's language
with the navigation, instead of Django's English ones. Wired in readiness/urls.py (handler*)
and settings.CSRF_FAILURE_VIEW.

The 500 page renders without the database (it may be the reason of the error): it is rendered
without the context processors, so neither the signed-in user (the session) nor the messages are
read; only the language, the CSRF token of the language switch (a cookie) and the request path."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.translation import gettext as _


def _texts(status: int) -> dict[str, str]:
    """Title, what happened and what to do, per status (403 from a refused form included)."""
    texts = {
        400: (
            _("The request could not be understood"),
            _("The address or the form sent to the platform was not valid."),
            _("Go back, reload the page and try again."),
        ),
        403: (
            _("Access refused"),
            _("You do not have the right to open this page."),
            _("If you need it, ask the platform team for the role that gives access to it."),
        ),
        404: (
            _("Page not found"),
            _("This page does not exist, or it is not part of what your role lets you see."),
            _("Check the address, or start again from the home page."),
        ),
        500: (
            _("Something went wrong on the platform"),
            _("The platform could not finish your request. Nothing you saved before was lost."),
            _("Try again in a few minutes. If it happens again, tell the platform team."),
        ),
    }
    title, explanation, advice = texts[status]
    return {"status": status, "title": title, "explanation": explanation, "advice": advice}


def _page(request: HttpRequest, status: int, **texts: str) -> HttpResponse:
    context = {**_texts(status), **texts}
    return render(request, "errors/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused because its security token was missing or old (the page was open too
    long, or the cookie was removed): a 403 that says how to send it again."""
    return _page(
        request,
        403,
        title=_("The form could not be sent"),
        explanation=_(
            "The page was open for too long, or your browser blocked the platform's cookie, so "
            "the form was refused for your safety. Nothing was changed."
        ),
        advice=_("Reload the page, enter your changes again and send the form."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """No context processors: they would read the session and messages from the database."""
    context = {**_texts(500), "request": request, "csrf_token": get_token(request)}
    body = get_template("errors/error.html").render(context)
    return HttpResponse(body, status=500)
