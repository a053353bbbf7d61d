"""Personal API tokens: made (the secret returned once, only its hash kept), revoked, and
checked on each API request (organisations/api_auth.py)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from organisations.models import ApiToken

TOKEN_START = "rdy_"  # noqa: S105 - so a leaked secret is recognisable (and searchable) as ours
PREFIX_LENGTH = 12  # TOKEN_START and the secret's first 8 characters, shown in the list
MAX_DAYS = 366
# A token's last use is written at most once a minute: a script reading 1,000 pages must not
# write 1,000 rows.
LAST_USED_EVERY = timedelta(minutes=1)


def token_hash(secret: str) -> str:
    """The SHA-256 hex digest stored for a secret (the secret has 256 random bits, so a plain
    hash is enough: nothing to guess, nothing to stretch)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: AbstractBaseUser, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token of `user` valid for `days` days (1..MAX_DAYS); returns it and its secret,
    which is not stored and cannot be shown again. Raises ValueError for days out of range."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be 1..{MAX_DAYS}")
    secret = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[:PREFIX_LENGTH],
        key_hash=token_hash(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: AbstractBaseUser) -> ApiToken:
    """Stops the token at once (kept, with who revoked it and when). Revoking twice keeps the
    first revocation."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_token_check(secret: str) -> ApiToken | None:
    """The live token with this secret (not revoked, not expired, its user active), its last
    use noted; None for anything else. One query, plus an update at most once a minute."""
    if not secret.startswith(TOKEN_START) or len(secret) > 100 or not secret.isascii():
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(secret), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
