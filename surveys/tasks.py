"""Celery tasks of the surveys app (thin: they take ids and call a notification function)."""

import smtplib

from celery import shared_task

from surveys.notifications import reminders_send, review_email_send


@shared_task(name="surveys.send_reminders")
def send_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE "send-reminders"): remind focal points of unsubmitted
    responses before their round closes. Safe to run twice a day: each response is reminded
    at most once a day."""
    return reminders_send()


# A mail server that refuses or drops the connection is retried a few times, minutes apart;
# after that the failure stays in the worker's log (the review itself was committed long
# before). One that never answers is cut by the time limit (EMAIL_TIMEOUT is not set, and
# Django's SMTP backend would otherwise wait for ever).
@shared_task(
    name="surveys.send_review_email",
    autoretry_for=(smtplib.SMTPException, OSError),
    max_retries=3,
    retry_backoff=60,
    retry_jitter=False,
    time_limit=300,
)
def send_review_email(response_id: int, event: str) -> int:
    """The e-mail telling the focal points that a response was approved, returned or reopened."""
    return review_email_send(response_id=response_id, event=event)
