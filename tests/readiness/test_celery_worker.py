"""One trivial task through a real Celery worker and the real Redis."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from readiness.celery import app, ping


@pytest.mark.worker
def test_a_real_worker_runs_a_task():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    celery = Path(sys.executable).with_name("celery")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "readiness.settings_test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    worker = subprocess.Popen(
        [
            str(celery),
            "-A",
            "readiness",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        previous = app.conf.task_always_eager
        app.conf.task_always_eager = False
        try:
            result = ping.apply_async(args=["ສະບາຍດີ"], queue=queue)
            # The test process is not a task, but an earlier test that ran a task body in
            # this process (eagerly) can leave Celery believing it is inside one.
            assert result.get(timeout=60, disable_sync_subtasks=False) == "ສະບາຍດີ"
        finally:
            app.conf.task_always_eager = previous
    finally:
        worker.terminate()
        worker.wait(timeout=30)
