"""A real Celery worker runs an export: the request commits a queued job, the message goes
through Redis after commit, the worker claims the job, writes the file where the web process
serves it from, and marks it done."""

import pytest

from reports.exports import jobs
from reports.exports.spec import ExportSpec
from reports.models import JobStatus, ReportJob
from tests.reports.test_worker import wait_for, worker  # noqa: F401 - the fixture


@pytest.fixture
def shared_media(monkeypatch, private_media):
    """The worker process writes under the same MEDIA_ROOT as this test's settings."""
    monkeypatch.setenv("MEDIA_ROOT", str(private_media))
    return private_media


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_an_export_job(results, analyst, tree, shared_media, worker):  # noqa: F811
    spec = ExportSpec(
        round=results["round"], what="scores", area=tree["nation"], format="csv", language="lo"
    )
    job, joined = jobs.job_request(user=analyst, spec=spec)  # commits: on_commit sends the task
    assert not joined

    assert wait_for(
        lambda: ReportJob.objects.get(pk=job.pk).status in (JobStatus.DONE, JobStatus.FAILED), 60
    ), "the worker did not run the export"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.sent_at is not None and job.heartbeat_at is not None
    path = jobs.job_file(job)
    assert path is not None and path.read_bytes().startswith("\ufeff".encode())
