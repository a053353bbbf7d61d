"""No dependency outage turns into a slow request or a 500 (issue 13, point 3), against the
private servers of conftest.py (never the machine's shared PostgreSQL or Redis): a submission
with Redis down, an approval while the mail server never answers, a PostgreSQL restart. Each
request has its own client timeout (5 s), far under the old failure (19 s of retries, a 500
after two minutes); the measured times are printed (`pytest -s`)."""

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import pytest
import requests

from tests.deploy.servers import ROOT, manage, wait_for

REQUEST_TIMEOUT = 5


def _signed_in(nginx, certificate, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.verify = str(certificate / "fullchain.pem")
    session.trust_env = False
    url = nginx.url + "/login/"
    token = _token(session.get(url, timeout=REQUEST_TIMEOUT).text)
    signed_in = session.post(
        url,
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    assert signed_in.status_code == 302
    session.headers["Referer"] = nginx.url + "/"
    return session


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _response_row(world, response_id: int) -> tuple:
    with (
        psycopg2.connect(world["env"]["DATABASE_URL"]) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT status, scored_at FROM surveys_response WHERE id = %s", [response_id]
        )
        return cursor.fetchone()


def test_a_submission_with_redis_down_is_quick_stored_and_scored_by_the_sweep(
    nginx, certificate, world, redis_server
):
    draft = world["ids"]["draft"]
    session = _signed_in(nginx, certificate, "focal", world["ids"]["password"])
    check = session.get(f"{nginx.url}/surveys/responses/{draft}/check/", timeout=REQUEST_TIMEOUT)
    lock_version = re.search(r'name="lock_version" value="(\d+)"', check.text).group(1)
    redis_server.stop()
    try:
        started = time.monotonic()
        submitted = session.post(
            f"{nginx.url}/surveys/responses/{draft}/submit/",
            {"csrfmiddlewaretoken": _token(check.text), "lock_version": lock_version},
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
        )
        took = time.monotonic() - started
    finally:
        redis_server.start()
    print(f"submit with Redis down: {took:.3f} s, status {submitted.status_code}")
    assert submitted.status_code == 302
    status, scored_at = _response_row(world, draft)
    assert status == "submitted"
    assert scored_at is None  # the scoring task could not be sent
    # The periodic sweep (beat, every SWEEP_UNSCORED_SECONDS) catches up.
    swept = manage(
        world["env"],
        "shell",
        "-c",
        "from reports.tasks import sweep_unscored; print(sweep_unscored())",
    )
    assert "r2026" in swept
    assert _response_row(world, draft)[1] is not None


def _celery_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "readiness",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_an_approval_with_a_silent_mail_server_is_quick(
    nginx, certificate, world, silent_mail_server
):
    response_id = world["ids"]["submitted"][0]
    session = _signed_in(nginx, certificate, "reviewer", world["ids"]["password"])
    confirm = session.get(
        f"{nginx.url}/surveys/review/{response_id}/approve/", timeout=REQUEST_TIMEOUT
    )
    started = time.monotonic()
    approved = session.post(
        f"{nginx.url}/surveys/review/{response_id}/approve/",
        {"csrfmiddlewaretoken": _token(confirm.text), "confirmed": "yes"},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    took = time.monotonic() - started
    print(f"approval with a silent mail server: {took:.3f} s, status {approved.status_code}")
    assert approved.status_code == 302
    assert _response_row(world, response_id)[0] == "approved"
    assert silent_mail_server.connections == 0  # the web request never talks to the mail server
    # The e-mail is the worker's business: it reaches the silent server (and gives up after
    # EMAIL_TIMEOUT, to retry later), while the approval has long been answered.
    worker = _celery_worker(world["env"])
    try:
        wait_for(lambda: silent_mail_server.connections > 0, seconds=60, what="the e-mail task")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_a_postgresql_restart_fails_only_the_requests_made_during_it(
    nginx, certificate, world, postgres
):
    session = _signed_in(nginx, certificate, "focal", world["ids"]["password"])

    def statuses(count: int) -> list[int]:
        return [
            session.get(nginx.url + "/", timeout=REQUEST_TIMEOUT).status_code for _ in range(count)
        ]

    # A quiet restart: every gunicorn worker holds a connection from before it (CONN_MAX_AGE),
    # none is used during it. Checked before use, no request after it fails (without
    # CONN_HEALTH_CHECKS the first request of each worker would be a 500).
    assert statuses(12) == [200] * 12
    postgres.restart()
    assert statuses(12) == [200] * 12

    # A restart under load: only the requests made during it fail.
    results, stop = [], threading.Event()

    def load():
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = session.get(nginx.url + "/", timeout=REQUEST_TIMEOUT).status_code
            except requests.RequestException:
                status = 0
            results.append((started, time.monotonic(), status))
            time.sleep(0.05)

    thread = threading.Thread(target=load)
    thread.start()
    try:
        time.sleep(1)
        restart_began = time.monotonic()
        postgres.restart()
        restart_ended = time.monotonic()
        time.sleep(2)
    finally:
        stop.set()
        thread.join(timeout=30)
    failed_during = [r for r in results if r[2] != 200 and r[0] < restart_ended]
    after = [r for r in results if r[0] > restart_ended]
    print(
        f"PostgreSQL restart: {restart_ended - restart_began:.2f} s; {len(results)} requests, "
        f"{len(failed_during)} failed during it, {sum(r[2] != 200 for r in after)} of "
        f"{len(after)} failed after it"
    )
    assert after and all(status == 200 for _start, _end, status in after)
    assert all(r[2] == 200 for r in results if r[1] < restart_began)


@pytest.fixture(scope="module", autouse=True)
def _scoring_sweep_is_scheduled():
    """The sweep these tests rely on is on beat's schedule, every few minutes."""
    from django.conf import settings

    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-unscored"]
    assert sweep["task"] == "reports.sweep_unscored"
    assert sweep["schedule"] <= 300
