import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class LaoFirstMiddleware:
    """Lao is the default whatever the browser's own language is: many officials' phones are set
    to English or Thai. Only the remembered switch (the language cookie) changes it, so the
    browser's Accept-Language header is not consulted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class IdleSessionMiddleware:
    """A signed-in session ends after SESSION_COOKIE_AGE seconds without a request (offices
    share computers). Django's SESSION_SAVE_EVERY_REQUEST would move the end by writing the
    session on every request: three statements more on every autosave. Here the session is
    written again only when its last move is older than SESSION_TOUCH_SECONDS (default 60), so
    the idle time holds to within that many seconds and most requests write nothing.

    Sessions without data (visitors who never signed in or chose a language) are not touched,
    so no row is created for them. Goes right after SessionMiddleware."""

    KEY = "_touched_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.keys():
            return response
        now = int(time.time())
        every = getattr(settings, "SESSION_TOUCH_SECONDS", 60)
        touched = session.get(self.KEY)
        if not isinstance(touched, int) or now - touched >= every:
            session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return response
