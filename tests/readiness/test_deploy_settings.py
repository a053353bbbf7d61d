"""Issue 13, points 3 and 5: sessions end at browser close or after the idle time; the deploy
check passes with the environment docker-compose.yml gives the web service; Celery publishes
without a result backend and fails fast."""

import datetime as dt
import os
import re
import subprocess
import sys
import time

import pytest
import yaml
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from readiness.celery import app
from readiness.middleware import IdleSessionMiddleware
from tests.factories import UserFactory


@pytest.mark.django_db
def test_a_session_ends_at_browser_close_and_after_the_idle_time(client):
    UserFactory(username="officer")
    signed_in = client.post(
        reverse("login"), {"username": "officer", "password": "a-Strong-pass-1"}
    )
    assert signed_in.status_code == 302
    cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # gone when the browser closes
    # A request moves the end of the session when its last move is SESSION_TOUCH_SECONDS old:
    # it is an idle time, not a fixed one.
    _age_session(minutes_left=5, touched_seconds_ago=settings.SESSION_TOUCH_SECONDS)
    assert client.get(reverse("home")).status_code == 200
    moved = Session.objects.get().expire_date - timezone.now()
    assert moved > dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    # Within a minute of the last move, a request writes nothing of the session.
    _age_session(minutes_left=5, touched_seconds_ago=1)
    assert client.get(reverse("home")).status_code == 200
    kept = Session.objects.get().expire_date - timezone.now()
    assert kept < dt.timedelta(minutes=5)
    # Idle for longer than SESSION_IDLE_MINUTES: signed out.
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    page = client.get(reverse("home"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))


def _age_session(*, minutes_left: int, touched_seconds_ago: int) -> None:
    """The one stored session ends in `minutes_left` and was last moved that long ago."""
    row = Session.objects.get()
    store = SessionStore(session_key=row.session_key)
    store[IdleSessionMiddleware.KEY] = int(time.time()) - touched_seconds_ago
    store.save()
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=minutes_left))


def test_the_idle_time_is_a_setting():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)",
        ],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "readiness.settings",
            "DEBUG": "true",
            "SESSION_IDLE_MINUTES": "15",
        },
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert done.stdout.strip() == "900"


def _compose_web_environment() -> dict:
    """The web service's environment in docker-compose.yml with a sample .env."""
    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    values = {"SERVER_NAME": "readiness.mtc.gov.la", "POSTGRES_PASSWORD": "p"}

    def substitute(text: str) -> str:
        return re.sub(
            r"\$\{(\w+)(?::?[-?][^}]*)?\}",
            lambda m: values.get(m.group(1), m.group(0).split(":-")[-1].rstrip("}")),
            text,
        )

    return {
        key: substitute(str(value))
        for key, value in compose["services"]["web"]["environment"].items()
    }


def test_the_compose_environment_passes_the_deploy_check():
    test_only = {"SECURE_SSL_REDIRECT", "CELERY_TASK_ALWAYS_EAGER", "SECRET_KEY", "DEBUG"}
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in test_only
    }
    env.update(_compose_web_environment())
    env.update(
        DJANGO_SETTINGS_MODULE="readiness.settings",
        SECRET_KEY="compose-" + "k" * 60,
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://127.0.0.1:5432/readiness"),
    )
    assert env["TRUSTED_PROXIES"] == "172.31.250.0/24"
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_no_task_stores_a_result_and_publishing_gives_up_quickly():
    assert app.conf.task_ignore_result is True
    assert app.tasks["readiness.ping"].ignore_result is False  # the worker test reads it
    for name in ("reports.score_response", "surveys.send_review_email", "reports.run_report_job"):
        assert app.tasks[name].ignore_result is not False, name
    policy = app.conf.task_publish_retry_policy
    assert policy["max_retries"] <= 1 and policy["interval_start"] == 0
    assert app.conf.broker_transport_options["max_retries"] <= 1
    assert app.conf.broker_transport_options["visibility_timeout"] <= 900
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    ("port", "expected"),
    [("443", "https://readiness.mtc.gov.la"), ("8443", "https://readiness.mtc.gov.la:8443")],
)
def test_e_mails_link_to_the_address_and_port_the_proxy_serves(port, expected):
    environment = {
        key: value for key, value in os.environ.items() if key not in {"SITE_URL", "DEBUG"}
    }
    done = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        env={
            **environment,
            **_compose_web_environment(),
            "DJANGO_SETTINGS_MODULE": "readiness.settings",
            "SECRET_KEY": "compose-" + "k" * 60,
            "HTTPS_PORT": port,
        },
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert done.stdout.strip() == expected
