"""Individual questionnaires: share links, anonymous responses, one-time form nonces and the
rate limit per address.

A share link is scoped to one (round, organisation). Each completed visit of the public page
creates one anonymous response (respondent's sex and age band, no account, no address stored),
submitted at once. A signed nonce, issued with the form and stored on the response it created,
makes a repeated POST of the same form create nothing twice."""

import re
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

from surveys.answers.rules import AnswersInvalid
from surveys.models import (
    Response,
    ResponseStatus,
    ShareLink,
)
from surveys.selectors.answers import answers_validate
from surveys.services.answers import answers_write
from surveys.services.responses import individual_response_submit

NONCE_SALT = "surveys.individual.form"
# A form left open over a weekend can still be sent; older ones get a fresh form.
NONCE_MAX_AGE = 3 * 24 * 3600
RATE_WINDOW_SECONDS = 3600
TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")


def form_nonce_new(*, link: ShareLink) -> str:
    return signing.dumps({"t": link.token, "n": secrets.token_urlsafe(18)}, salt=NONCE_SALT)


def form_nonce_check(*, link: ShareLink, signed: str) -> str | None:
    """The nonce inside a signed value issued for this link, or None when it is forged,
    expired or issued for another link."""
    try:
        payload = signing.loads(signed or "", salt=NONCE_SALT, max_age=NONCE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("t") != link.token:
        return None
    nonce = payload.get("n")
    return nonce if isinstance(nonce, str) and 0 < len(nonce) <= 64 else None


def _rate_key(link: ShareLink, address: str) -> str:
    return f"individual-rate:{link.pk}:{address}"


def rate_limit() -> int:
    return int(getattr(settings, "INDIVIDUAL_SUBMISSIONS_PER_HOUR", 20))


def rate_limited(*, link: ShareLink, address: str) -> bool:
    return cache.get(_rate_key(link, address), 0) >= rate_limit()


class RateLimited(Exception):
    """This address has sent as many forms through this link as an hour allows."""


def _rate_take(*, link: ShareLink, address: str) -> None:
    """Takes one submission from this address's hourly allowance, atomically: a transaction
    lock on the key serialises concurrent posts, so the count read, the limit check and the
    increment happen as one step before the response is written (the cache is in PostgreSQL
    and commits or rolls back with the response)."""
    key = _rate_key(link, address)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
    used = cache.get(key, 0)
    if used >= rate_limit():
        raise RateLimited
    if used == 0:
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
    else:
        cache.incr(key)


def individual_response_for_nonce(nonce: str) -> Response | None:
    return Response.objects.filter(form_nonce=nonce, is_individual=True).first()


def individual_response_create(
    *,
    link: ShareLink,
    nonce: str,
    sex: str,
    age_band: str,
    values: Mapping[str, Any],
    address: str,
) -> tuple[Response, bool]:
    """Creates and submits one anonymous response. Returns (response, created): a nonce
    already used returns the response it created, whoever wins a race of two POSTs.
    Raises AnswersInvalid (nothing written) when an answer is missing or breaks a rule, and
    RateLimited (nothing written) when the address has used its hourly allowance."""
    version = link.round.version
    errors = answers_validate(version=version, pillar=None, values=values, all_values={})
    if errors:
        raise AnswersInvalid(errors)
    existing = individual_response_for_nonce(nonce)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            _rate_take(link=link, address=address)
            response = Response.objects.create(
                round=link.round,
                organisation=link.organisation,
                is_individual=True,
                respondent_sex=sex,
                respondent_age_band=age_band,
                form_nonce=nonce,
                status=ResponseStatus.DRAFT,
            )
            answers_write(response=response, values=values, user=None)
            response = individual_response_submit(response=response)
    except IntegrityError:
        # The same form was posted twice at once: the other request created the response.
        existing = individual_response_for_nonce(nonce)
        if existing is None:
            raise
        return existing, False
    return response, True
