"""System checks of our own settings, run by `manage.py check`/`migrate` and when the web
process starts (readiness/wsgi.py), so a server with a wrong setting refuses to start instead of
sending e-mails whose links lead nowhere."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

SITE_URL_CHECK = "readiness"


@register(SITE_URL_CHECK)
def site_url_check(app_configs=None, **kwargs) -> list[Error]:
    """In production (DEBUG off) SITE_URL must be the product's https address: e-mails link to
    it. Returns one Error (id readiness.E001) when it is unset, not https or has no host."""
    if settings.DEBUG:
        return []
    site_url = getattr(settings, "SITE_URL", "") or ""
    parts = urlsplit(site_url)
    if parts.scheme == "https" and parts.netloc:
        return []
    return [
        Error(
            f"SITE_URL is {site_url!r}: e-mails link to this address, so a server needs its "
            "https address.",
            hint="Set SITE_URL in the environment or .env, e.g. SITE_URL=https://readiness.example.la",
            id="readiness.E001",
        )
    ]


def refuse_to_start_on_errors() -> None:
    """Raises SystemCheckError with every serious message of our checks: gunicorn runs no
    system checks, so readiness/wsgi.py calls this once the application is loaded."""
    from django.core.checks import run_checks
    from django.core.management.base import SystemCheckError

    errors = [message for message in run_checks(tags=[SITE_URL_CHECK]) if message.is_serious()]
    if errors:
        raise SystemCheckError("\n".join(str(message) for message in errors))
