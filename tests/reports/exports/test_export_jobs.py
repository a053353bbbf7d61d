"""Export jobs: the request answers at once, a second request joins the running one, progress
moves, failures say why, dead or overlong jobs are swept, files expire, and the broker being
down never breaks a request."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from reports import tasks
from reports.exports import jobs
from reports.models import JobStatus, ReportJob, RoundScoring
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def _post(client, round_code, **extra):
    fields = {"round": round_code, "what": "scores", "format": "xlsx", "lang": "en", **extra}
    return client.post(reverse("reports:exports:request"), fields)


def _finished_job(client, analyst, results, callbacks) -> ReportJob:
    """The analyst's workbook of the round, requested and run to its end."""
    client.force_login(analyst)
    with callbacks(execute=True):
        _post(client, results["round"].code)
    return ReportJob.objects.get()


def test_a_request_answers_at_once_with_a_queued_job_that_polls_its_progress(
    client, results, analyst
):
    client.force_login(analyst)
    answer = _post(client, results["round"].code)  # on_commit not run: no worker yet
    job = ReportJob.objects.get()
    assert answer.status_code == 302
    assert job.status == JobStatus.QUEUED and job.requested_by == analyst
    page = client.get(answer["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert reverse("reports:exports:job", kwargs={"pk": job.pk}) in page
    fragment = client.get(answer["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and f'id="job-{job.pk}"' in fragment


def test_the_same_request_while_one_is_running_joins_it(client, results, analyst, tree):
    colleague = UserFactory(username="colleague")
    grant(colleague, "analyst", tree["nation"])
    client.force_login(analyst)
    _post(client, results["round"].code)
    first = ReportJob.objects.get()
    ReportJob.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING)
    client.force_login(colleague)
    answer = _post(client, results["round"].code)
    assert ReportJob.objects.count() == 1
    assert answer["Location"] == reverse("reports:exports:job", kwargs={"pk": first.pk})
    assert set(first.requesters.all()) == {analyst, colleague}
    # Another language is another export.
    _post(client, results["round"].code, lang="lo")
    assert ReportJob.objects.count() == 2


def test_a_finished_job_offers_its_file_and_a_new_request_starts_a_new_job(
    client, results, analyst, django_capture_on_commit_callbacks
):
    job = _finished_job(client, analyst, results, django_capture_on_commit_callbacks)
    assert (job.status, job.progress, job.rows) == (JobStatus.DONE, 100, 2)
    assert job.started_at <= job.finished_at and job.expires_at > job.finished_at
    page = client.get(reverse("reports:exports:job", kwargs={"pk": job.pk})).content.decode()
    assert "hx-trigger" not in page  # no more polling
    assert reverse("reports:exports:download", kwargs={"pk": job.pk}) in page
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, results["round"].code)
    assert ReportJob.objects.count() == 2


def test_progress_is_written_while_running_and_a_swept_job_stops(results, analyst):
    job = ReportJob.objects.create(
        key="k", round=results["round"], area=results["village"].organisation, what="scores",
        format="xlsx", language="en", status=JobStatus.RUNNING,
        heartbeat_at=timezone.now() - timedelta(minutes=3),
    )  # fmt: skip
    progress = jobs.Progress(job.pk)
    progress(0.42, "rows", force=True)
    job.refresh_from_db()
    assert (job.progress, job.step) == (42, "rows")
    assert job.heartbeat_at > timezone.now() - timedelta(seconds=5)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
    with pytest.raises(jobs.JobGone):
        progress(0.5, force=True)


def test_a_round_without_scores_fails_with_a_reason_a_person_can_act_on(
    client, results, analyst, django_capture_on_commit_callbacks
):
    RoundScoring.objects.filter(round=results["round"]).update(computed_at=None)
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, results["round"].code, lang="lo", what="report", format="pdf")
    job = ReportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "ຍັງບໍ່ທັນໄດ້ຄິດໄລ່" in job.error  # in the language of the export
    page = client.get(reverse("reports:exports:job", kwargs={"pk": job.pk})).content.decode()
    assert job.error in page
    assert client.get(reverse("reports:exports:download", kwargs={"pk": job.pk})).status_code == 404


def test_an_unexpected_error_fails_the_job_with_a_reference_and_leaves_no_file(
    client, results, analyst, django_capture_on_commit_callbacks, monkeypatch, private_media
):
    def broken(path, tables, tick):
        Path(path).write_bytes(b"half a file")
        raise RuntimeError("disk full")

    monkeypatch.setattr("reports.exports.xlsx.write_workbook", broken)
    job = _finished_job(client, analyst, results, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert f"export {job.pk}" in job.error and "disk full" not in job.error
    assert list((Path(private_media) / "exports").iterdir()) == []


def test_the_sweep_fails_dead_and_overlong_jobs_so_they_can_be_requested_again(
    client, results, analyst, settings
):
    client.force_login(analyst)
    _post(client, results["round"].code)
    _post(client, results["round"].code, lang="lo")
    dead, overlong = ReportJob.objects.order_by("pk")
    now = timezone.now()
    ReportJob.objects.filter(pk=dead.pk).update(
        status=JobStatus.RUNNING, started_at=now - timedelta(minutes=7),
        heartbeat_at=now - timedelta(seconds=jobs.HEARTBEAT_TIMEOUT + 5),
    )  # fmt: skip
    ReportJob.objects.filter(pk=overlong.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=now,
        started_at=now - timedelta(seconds=jobs.TIME_LIMIT + 5),
    )  # fmt: skip

    counts = tasks.sweep_report_jobs.delay().get()

    assert (counts["dead"], counts["too_long"]) == (1, 1)
    dead.refresh_from_db()
    overlong.refresh_from_db()
    assert dead.status == overlong.status == JobStatus.FAILED
    assert "Request the export again" in dead.error
    assert "ເກີນກຳນົດ" in overlong.error  # the Lao export's reason is in Lao
    # A new request is a new job, not a join of the failed one.
    _post(client, results["round"].code)
    assert ReportJob.objects.filter(status=JobStatus.QUEUED).count() == 1


def test_with_the_broker_down_a_request_still_answers_and_the_sweep_sends_it_later(
    client, results, analyst, django_capture_on_commit_callbacks, monkeypatch
):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_report_job, "delay", down)
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(client, results["round"].code)
    assert answer.status_code == 302
    job = ReportJob.objects.get()
    assert job.status == JobStatus.QUEUED and job.sent_at is None

    monkeypatch.undo()
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert tasks.sweep_report_jobs.delay().get()["resent"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.sent_at is not None


def test_a_job_no_worker_takes_fails_after_the_queue_timeout(results, analyst):
    job, _joined = jobs.job_request(user=analyst, spec=_spec(results))
    ReportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(seconds=jobs.QUEUE_TIMEOUT + 1),
        sent_at=timezone.now(),
    )
    assert jobs.jobs_sweep()["never_taken"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Celery" in job.error


def test_expired_files_are_deleted_and_no_longer_downloadable(
    client, results, analyst, django_capture_on_commit_callbacks, private_media
):
    job = _finished_job(client, analyst, results, django_capture_on_commit_callbacks)
    path = Path(private_media) / job.file
    assert path.is_file()
    ReportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert tasks.sweep_report_jobs.delay().get()["expired"] == 1

    job.refresh_from_db()
    assert job.status == JobStatus.EXPIRED and not path.exists()
    assert client.get(reverse("reports:exports:download", kwargs={"pk": job.pk})).status_code == 404


def test_a_duplicate_delivery_of_the_task_does_nothing(
    client, results, analyst, django_capture_on_commit_callbacks
):
    job = _finished_job(client, analyst, results, django_capture_on_commit_callbacks)
    finished_at = job.finished_at
    tasks.run_report_job.delay(job.pk)  # acks_late can deliver a message twice
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.finished_at == finished_at


def _spec(results):
    from organisations.models import Organisation
    from reports.exports.spec import ExportSpec

    return ExportSpec(
        round=results["round"],
        what="scores",
        area=Organisation.objects.get_root_nodes().get(),
        format="xlsx",
        language="en",
    )
