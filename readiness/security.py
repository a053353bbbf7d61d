"""The Content-Security-Policy header of every response.

The policy itself is the setting CONTENT_SECURITY_POLICY (readiness/settings.py): scripts only
from our own static files, no inline <script>, no on*= attribute, no eval. `tests/readiness/
test_csp.py` scans every template for inline scripts and checks the header on pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Adds the CONTENT_SECURITY_POLICY setting (a header value; empty: none) to every response
    that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
