"""E-mails to focal points: a response approved, returned or reopened, and the reminders before
a round closes. Sent by tasks (surveys/tasks.py), never by a request: a mail server that does not
answer delays a message, it never turns a review into an error.

Every message carries both languages, Lao first: we do not know each recipient's language, and
every official reads Lao while partners may need English."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from organisations.models import Role, RoleAssignment
from surveys.models import Response, ResponseStatus, RoundStatus

logger = logging.getLogger(__name__)

EMAIL_LANGUAGES = ("lo", "en")
REVIEW_EVENTS = ("approved", "returned", "reopened")


def focal_point_emails(organisation_id: int) -> list[str]:
    return sorted(
        set(
            RoleAssignment.objects.filter(
                organisation_id=organisation_id,
                role=Role.FOCAL_POINT,
                user__is_active=True,
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _render_bilingual(template: str, context: dict) -> tuple[str, str]:
    """Subject and body in Lao then English, rendered from one template per part with the
    active language switched, so each part is a whole translated text (no glued fragments)."""
    subjects, bodies = [], []
    for language in EMAIL_LANGUAGES:
        with translation.override(language):
            subjects.append(
                render_to_string(f"surveys/email/{template}_subject.txt", context).strip()
            )
            bodies.append(render_to_string(f"surveys/email/{template}_body.txt", context).strip())
    return " / ".join(subjects), "\n\n---\n\n".join(bodies) + "\n"


def _site_link(path: str) -> str:
    """An absolute address of the product: SITE_URL (checked at start in production, see
    readiness/checks.py) followed by the path."""
    return settings.SITE_URL.rstrip("/") + path


def _response_link(response: Response) -> str:
    """The response itself (its first page), not the home page the focal point would have to
    search from."""
    return _site_link(reverse("surveys:response_start", args=[response.pk]))


def _comment_link(response: Response, comment) -> str:
    """A comment on a question links to that question on its page; a general comment to the
    response."""
    question = comment.question
    if question is None or question.pillar is None:
        return _response_link(response)
    path = reverse("surveys:response_page", args=[response.pk, question.pillar.code])
    return _site_link(f"{path}#q-{question.code}")


def review_email_send(*, response_id: int, event: str) -> int:
    """Tells the focal points of the response's organisation that it was approved, returned or
    reopened (with the review's open comments). A mail server failure raises: the task that
    calls this retries it."""
    if event not in REVIEW_EVENTS:
        raise ValueError(f"Unknown review event {event!r}")
    response = Response.objects.select_related("round", "organisation").get(pk=response_id)
    recipients = focal_point_emails(response.organisation_id)
    if not recipients:
        return 0
    comments = list(
        response.review_comments.filter(resolved=False)
        .select_related("question__pillar")
        .order_by("question__order", "created_at")
    )
    for comment in comments:
        comment.link = _comment_link(response, comment)
    context = {
        "response": response,
        "round": response.round,
        "organisation": response.organisation,
        "comments": comments,
        "link": _response_link(response),
    }
    subject, body = _render_bilingual(f"response_{event}", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def reminder_days() -> list[int]:
    return [int(days) for days in getattr(settings, "REMINDER_DAYS_BEFORE_CLOSE", (7, 1))]


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Emails the focal points of every organisation response still in draft or returned in
    an open round that closes in exactly one of REMINDER_DAYS_BEFORE_CLOSE days (7 and 1 by
    default). A response is reminded at most once a day even if the task runs twice: the day
    is recorded on the response under a row lock before any mail goes out.
    Returns the number of responses reminded."""
    today = today or timezone.localdate()
    closing_days = [today + datetime.timedelta(days=days) for days in reminder_days()]
    with transaction.atomic():
        due = list(
            Response.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(
                is_individual=False,
                status__in=[ResponseStatus.DRAFT, ResponseStatus.RETURNED],
                round__status=RoundStatus.OPEN,
                round__closes_on__in=closing_days,
            )
            .exclude(last_reminded_on=today)
            .select_related("round", "organisation")
        )
        # .update() on purpose: a reminder is not a change of the response worth an audit row.
        Response.objects.filter(pk__in=[response.pk for response in due]).update(
            last_reminded_on=today
        )
    for response in due:
        reminder_email_send(response=response, today=today)
    return len(due)


def reminder_email_send(*, response: Response, today: datetime.date) -> int:
    """One reminder; a mail failure is logged and the other reminders still go (the day is
    already recorded, so a retry of the whole run would not resend them)."""
    recipients = focal_point_emails(response.organisation_id)
    if not recipients:
        return 0
    context = {
        "response": response,
        "round": response.round,
        "organisation": response.organisation,
        "days_left": (response.round.closes_on - today).days,
        "link": _response_link(response),
    }
    subject, body = _render_bilingual("reminder", context)
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("Could not send the reminder of response %s", response.pk)
        return 0
