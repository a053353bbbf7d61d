"""The one way services schedule background work: they name a task, they never import one.

Tasks call services (reports/tasks.py imports reports/scoring/services.py and
reports/exports/jobs.py), so a service that imported its tasks would close a loop. Here a task
is looked up by its registered name in the Celery application (ReportsConfig.ready imports
reports/tasks.py, so every process has them), which keeps eager mode in tests and the tasks'
own options. Sending never raises: a broker that is down leaves the work to the periodic sweeps."""

from __future__ import annotations

import functools
import logging

from django.db import transaction

from readiness.celery import app

logger = logging.getLogger(__name__)

SCORE_RESPONSE = "reports.score_response"
AGGREGATE_ROUND = "reports.aggregate_round"
RUN_REPORT_JOB = "reports.run_report_job"


def _task(name: str):
    return app.tasks[name]


def send_response_scoring(response_id: int) -> None:
    try:
        _task(SCORE_RESPONSE).delay(response_id)
    except Exception:
        # Redis down must never undo or fail a submission: the sweep scores it later.
        logger.exception("Could not queue the scoring of response %s; the sweep will", response_id)


def enqueue_response_scoring(response_id: int) -> None:
    """Called inside the submit/approve transaction: the task is sent after commit (so the
    worker sees the submitted answers), with the id bound now, and never raises."""
    transaction.on_commit(functools.partial(send_response_scoring, response_id))


def send_round_aggregation(round_id: int, *, countdown: int) -> None:
    try:
        _task(AGGREGATE_ROUND).apply_async(args=[round_id], countdown=countdown)
    except Exception:  # the broker is down: the sweep will find the round's pending flag
        logger.exception("Could not queue the aggregation of round %s; the sweep will", round_id)


def send_report_job(job_id: int) -> bool:
    """Sends an export job to a worker; False (never an exception) when the broker is down."""
    try:
        _task(RUN_REPORT_JOB).delay(job_id)
    except Exception:
        logger.exception("Could not queue export job %s; the sweep will send it", job_id)
        return False
    return True
