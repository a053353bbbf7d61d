"""Celery tasks of the surveys app (thin: they call a service)."""

from celery import shared_task

from surveys.services.review import reminders_send


@shared_task(name="surveys.send_reminders")
def send_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE "send-reminders"): remind focal points of unsubmitted
    responses before their round closes. Safe to run twice a day: each response is reminded
    at most once a day."""
    return reminders_send()
