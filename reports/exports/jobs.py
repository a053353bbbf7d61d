"""The ReportJob service: an export is a database row run by Celery.

request  -> a queued row (or the running one with the same key, joined), the task sent after
            commit; never raises when the broker is down (the sweep sends it later)
run      -> claimed with select_for_update (a duplicate delivery finds it taken), progress and
            heartbeat written as it goes, the file written beside its final name and renamed,
            done or failed with a reason a person can act on
sweep    -> running jobs without a heartbeat for EXPORT_HEARTBEAT_TIMEOUT_SECONDS (the worker
            died) or past EXPORT_TIME_LIMIT_SECONDS fail; queued jobs the broker never took
            are sent again, and fail after EXPORT_QUEUE_TIMEOUT_SECONDS
expire   -> done files older than EXPORT_FILE_DAYS are deleted, the row kept as expired
"""

from __future__ import annotations

import functools
import logging
import time
import uuid
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.dispatch import send_report_job
from reports.exports.build import BuildError, build
from reports.exports.spec import ExportSpec
from reports.models import ACTIVE_JOB_STATUSES, JobStatus, ReportJob

logger = logging.getLogger(__name__)

FILE_DAYS = getattr(settings, "EXPORT_FILE_DAYS", 7)
HEARTBEAT_TIMEOUT = getattr(settings, "EXPORT_HEARTBEAT_TIMEOUT_SECONDS", 300)
TIME_LIMIT = getattr(settings, "EXPORT_TIME_LIMIT_SECONDS", 1800)
QUEUE_TIMEOUT = getattr(settings, "EXPORT_QUEUE_TIMEOUT_SECONDS", 3600)
RESEND_AFTER = 120  # seconds a queued job waits for the broker before the sweep sends it again
PROGRESS_EVERY = 1.0  # seconds between two progress writes (each is also a heartbeat)


class JobGone(Exception):
    """The row is no longer running (the sweep failed it): stop working on it."""


def export_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def spec_of(job: ReportJob) -> ExportSpec:
    return ExportSpec(
        round=job.round, what=job.what, area=job.area, format=job.format, language=job.language
    )


# --- request -------------------------------------------------------------------------------


@transaction.atomic
def job_request(*, user: AbstractBaseUser | None, spec: ExportSpec) -> tuple[ReportJob, bool]:
    """A queued job for this spec, or the queued/running one with the same key (joined).
    Returns (job, joined). The caller has checked access (spec.may_request)."""
    job = ReportJob.objects.filter(key=spec.key, status__in=ACTIVE_JOB_STATUSES).first()
    joined = job is not None
    if job is None:
        try:
            with transaction.atomic():
                job = ReportJob.objects.create(
                    key=spec.key,
                    round=spec.round,
                    area=spec.area,
                    what=spec.what,
                    format=spec.format,
                    language=spec.language,
                    requested_by=user,
                    file_name=spec.file_name,
                )
        except IntegrityError:
            # A second request raced this one and created the row first (the partial unique
            # constraint on key): join it.
            job = ReportJob.objects.get(key=spec.key, status__in=ACTIVE_JOB_STATUSES)
            joined = True
        else:
            transaction.on_commit(functools.partial(dispatch, job.pk))
    if user is not None:
        job.requesters.add(user)
    return job, joined


def dispatch(job_id: int) -> None:
    """Sends the task; a broker that is down leaves the job queued for the sweep."""
    if send_report_job(job_id):
        ReportJob.objects.filter(pk=job_id, sent_at__isnull=True).update(sent_at=timezone.now())


# --- run -----------------------------------------------------------------------------------


class Progress:
    """Writes progress (percent and step) at most once a second; each write is a heartbeat.
    Raises JobGone when the row stopped being `running`, so a swept job stops."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.written_at = 0.0

    def __call__(self, fraction: float, step: str = "", *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.written_at < PROGRESS_EVERY:
            return
        self.written_at = now
        updated = ReportJob.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
            progress=max(0, min(99, int(fraction * 100))),
            step=step[:200],
            heartbeat_at=timezone.now(),
        )
        if not updated:
            raise JobGone


def _claim(job_id: int) -> ReportJob | None:
    with transaction.atomic():
        job = (
            ReportJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, status=JobStatus.QUEUED)
            .first()
        )
        if job is None:
            return None
        now = timezone.now()
        job.status = JobStatus.RUNNING
        job.started_at = job.heartbeat_at = now
        job.progress = 0
        job.save(update_fields=["status", "started_at", "heartbeat_at", "progress"])
    return ReportJob.objects.select_related("round__version__questionnaire", "area").get(pk=job_id)


def job_run(*, job_id: int) -> ReportJob | None:
    """The task's work. Returns the finished job, or None when there was nothing to run (a
    duplicate delivery, or a job already swept)."""
    job = _claim(job_id)
    if job is None:
        return None
    spec = spec_of(job)
    final = export_dir() / f"{job.pk}-{uuid.uuid4().hex}.{spec.extension}"
    partial = final.with_name(final.name + ".part")
    progress = Progress(job.pk)
    try:
        with translation.override(job.language):
            rows = build(spec, partial, progress)
        partial.rename(final)
    except JobGone:
        partial.unlink(missing_ok=True)
        return None
    except SoftTimeLimitExceeded:
        partial.unlink(missing_ok=True)
        return _fail(job.pk, _time_limit_reason())
    except BuildError as error:
        partial.unlink(missing_ok=True)
        return _fail(job.pk, str(error))
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        partial.unlink(missing_ok=True)
        with translation.override(job.language):
            reason = _(
                "The export stopped on an unexpected error. Request it again; if it fails "
                "again, tell the platform team the reference: export %(id)s."
            ) % {"id": job.pk}
        return _fail(job.pk, reason)
    now = timezone.now()
    finished = ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE,
        progress=100,
        step="",
        file=str(final.relative_to(Path(settings.MEDIA_ROOT))),
        file_size=final.stat().st_size,
        rows=rows,
        finished_at=now,
        heartbeat_at=now,
        expires_at=now + timedelta(days=FILE_DAYS),
    )
    if not finished:  # swept while writing the last bytes: the row says failed, keep it so
        final.unlink(missing_ok=True)
        return None
    return ReportJob.objects.get(pk=job.pk)


def _time_limit_reason() -> str:
    return _(
        "The export ran longer than its time limit of %(minutes)s minutes and was stopped. "
        "Ask for a smaller area or a single table, or ask the platform team to raise "
        "EXPORT_TIME_LIMIT_SECONDS."
    ) % {"minutes": TIME_LIMIT // 60}


def _fail(job_id: int, reason: str) -> ReportJob | None:
    now = timezone.now()
    ReportJob.objects.filter(pk=job_id, status__in=ACTIVE_JOB_STATUSES).update(
        status=JobStatus.FAILED, error=reason, finished_at=now, step=""
    )
    for leftover in export_dir().glob(f"{job_id}-*.part"):
        leftover.unlink(missing_ok=True)
    return ReportJob.objects.filter(pk=job_id).first()


# --- sweep and expiry ----------------------------------------------------------------------


def jobs_sweep() -> dict[str, int]:
    """Periodic: fails jobs whose worker died or that ran past the time limit, sends again
    the queued jobs the broker never took, fails those nobody took for too long."""
    now = timezone.now()
    counts = {"dead": 0, "too_long": 0, "resent": 0, "never_taken": 0}
    running = ReportJob.objects.filter(status=JobStatus.RUNNING)
    for job in running.filter(heartbeat_at__lt=now - timedelta(seconds=HEARTBEAT_TIMEOUT)):
        with translation.override(job.language):
            reason = _(
                "The worker running this export stopped answering (no sign of life for "
                "%(minutes)s minutes), so it was stopped. Request the export again."
            ) % {"minutes": max(1, HEARTBEAT_TIMEOUT // 60)}
        if _fail(job.pk, reason):
            counts["dead"] += 1
    for job in ReportJob.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=now - timedelta(seconds=TIME_LIMIT)
    ):
        with translation.override(job.language):
            _fail(job.pk, _time_limit_reason())
        counts["too_long"] += 1
    queued = ReportJob.objects.filter(status=JobStatus.QUEUED)
    for job in queued.filter(created_at__lt=now - timedelta(seconds=QUEUE_TIMEOUT)):
        with translation.override(job.language):
            _fail(
                job.pk,
                _(
                    "No worker took this export within %(minutes)s minutes. The platform team "
                    "should check that the Celery worker is running; then request it again."
                )
                % {"minutes": QUEUE_TIMEOUT // 60},
            )
        counts["never_taken"] += 1
    for job_id in queued.filter(
        sent_at__isnull=True, created_at__lt=now - timedelta(seconds=RESEND_AFTER)
    ).values_list("pk", flat=True):
        dispatch(job_id)
        counts["resent"] += 1
    return counts


def jobs_expire() -> int:
    """Periodic: deletes the files of done jobs past their expiry (the row stays, expired)."""
    now = timezone.now()
    expired = 0
    for job in ReportJob.objects.filter(status=JobStatus.DONE, expires_at__lt=now):
        if job.file:
            (Path(settings.MEDIA_ROOT) / job.file).unlink(missing_ok=True)
        expired += ReportJob.objects.filter(pk=job.pk, status=JobStatus.DONE).update(
            status=JobStatus.EXPIRED, file="", file_size=None
        )
    return expired


def job_file(job: ReportJob) -> Path | None:
    """The file of a done job, if it is still on disk."""
    if job.status != JobStatus.DONE or not job.file:
        return None
    path = Path(settings.MEDIA_ROOT) / job.file
    return path if path.is_file() else None
