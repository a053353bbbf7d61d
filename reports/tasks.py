"""Celery tasks of scoring (thin: take ids, call a service, own their retries).

Tasks acknowledge late (settings: CELERY_TASK_ACKS_LATE), so a worker killed in the middle
leaves the message to be delivered again; the write is one transaction, so the previous
complete results stay until the new ones commit."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from reports.exports import jobs
from reports.scoring import services

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}


@shared_task(name="reports.score_response", **RETRY)
def score_response(response_id: int) -> None:
    round_id = services.response_score(response_id=response_id)
    if round_id is not None:
        services.round_aggregate_schedule(round_id=round_id)


@shared_task(name="reports.aggregate_round", **RETRY)
def aggregate_round(round_id: int) -> None:
    services.round_aggregate_run(round_id=round_id)


@shared_task(name="reports.sweep_unscored", **RETRY)
def sweep_unscored() -> list[str]:
    """Periodic (CELERY_BEAT_SCHEDULE "sweep-unscored"): what a lost message left unscored."""
    return services.unscored_sweep()


# Services send these tasks by name through reports/dispatch.py and never import this module.


# --- exports (reports/exports/jobs.py) ------------------------------------------------------

EXPORT_TIME_LIMIT = getattr(settings, "EXPORT_TIME_LIMIT_SECONDS", 1800)


@shared_task(
    name="reports.run_report_job",
    acks_late=True,
    soft_time_limit=EXPORT_TIME_LIMIT,
    time_limit=EXPORT_TIME_LIMIT + 60,
)
def run_report_job(job_id: int) -> None:
    jobs.job_run(job_id=job_id)


@shared_task(name="reports.sweep_report_jobs")
def sweep_report_jobs() -> dict:
    """Periodic (CELERY_BEAT_SCHEDULE "sweep-report-jobs"): dead, overlong, never-sent and
    expired export jobs."""
    return {**jobs.jobs_sweep(), "expired": jobs.jobs_expire()}
