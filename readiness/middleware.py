from collections.abc import Callable

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
