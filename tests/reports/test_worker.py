"""A real Celery worker scores a submission: the message goes through Redis after commit, the
worker reads the test database and writes the scores, then the debounced aggregation."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from readiness.celery import app as celery_app
from reports.models import AreaAggregate, ResponseScore
from surveys.models import Response
from surveys.services.responses import response_submit
from tests.factories import UserFactory
from tests.reports.conftest import fill

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def worker(monkeypatch):
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database.get('USER') or ''}@{database['HOST']}:{database['PORT']}/"
        f"{connection.settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "readiness.settings",
        "DEBUG": "true",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "readiness",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield process
    celery_app.conf.task_always_eager = eager
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_scores_a_submitted_response(scored_round, tree, worker):
    response = Response.objects.get(round=scored_round, organisation=tree["village"])
    fill(response)
    response_submit(response=response, user=UserFactory())  # commits: on_commit sends the task

    assert wait_for(
        lambda: ResponseScore.objects.filter(response=response, pillar="tech").exists(), 60
    ), "the worker did not score the response"
    # the round aggregation follows after the debounce delay
    assert wait_for(
        lambda: AreaAggregate.objects.filter(
            round=scored_round, organisation=tree["nation"], pillar="tech", n=1
        ).exists(),
        60,
    ), "the worker did not aggregate the round"
    response.refresh_from_db()
    assert response.scored_at is not None
