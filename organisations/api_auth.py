"""How the API knows who asks: a personal token (`Authorization: Bearer rdy_…`) or the browser
session; and the throttle, counted per token (per user for a session)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, throttling

from organisations.services.tokens import api_token_check

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """A request with `Authorization: Bearer <token>` acts as the token's user (its roles and
    nothing more); a revoked, expired or unknown token is refused (401), never ignored in
    favour of a session."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Give the token after the word Bearer, with one space and nothing else.")
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = api_token_check(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _(
                    "This token is unknown, expired or revoked: make a new one on the API "
                    "tokens page."
                )
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'


class PerTokenThrottle(throttling.SimpleRateThrottle):
    """settings.API_THROTTLE_RATE requests per token (each token of a user has its own
    budget), or per user for the browser session."""

    scope = "api"

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if token is not None and hasattr(token, "key_hash"):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
