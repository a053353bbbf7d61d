"""The Celery application. Tasks live in each app's tasks.py and are found automatically."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")

app = Celery("readiness")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="readiness.ping", ignore_result=False)
def ping(value: str = "pong") -> str:
    """A trivial task, used by the integration test that talks to a real worker (the one task
    that stores its result: the test reads it)."""
    return value
