"""How surveys services schedule e-mails: after commit, by task name, never raising.

The same pattern as reports/dispatch.py: tasks import the notification functions, so services
name a task (registered in every process by SurveysConfig.ready) instead of importing it. A
broker that is down, or an eager task whose mail server fails, is logged: the review that
scheduled the message stays committed and the request succeeds."""

from __future__ import annotations

import functools
import logging

from django.db import transaction

from readiness.celery import app

logger = logging.getLogger(__name__)

SEND_REVIEW_EMAIL = "surveys.send_review_email"


def send_review_email(response_id: int, event: str) -> None:
    try:
        app.tasks[SEND_REVIEW_EMAIL].delay(response_id, event)
    except Exception:
        logger.exception("Could not send the %s e-mail of response %s", event, response_id)


def enqueue_review_email(response_id: int, event: str) -> None:
    """Called inside the review transaction: the task is sent after commit (the e-mail then
    reads the committed status and comments), with the id bound now."""
    transaction.on_commit(functools.partial(send_review_email, response_id, event))
