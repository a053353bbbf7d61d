"""Every change of a response's status goes through surveys/services/responses.py: each one
bumps the lock version (a page loaded before it is refused rather than saved over it), records
who made it in the history, and schedules the scoring after commit."""

import pytest

from reports.dispatch import SCORE_RESPONSE
from surveys.models import Response, ResponseStatus
from surveys.services.responses import (
    response_approve,
    response_reopen,
    response_return,
    response_submit,
)
from tests.factories import UserFactory
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The names and ids of the tasks sent (the real sending, recorded on the way)."""
    from readiness.celery import app

    calls = []
    task = app.tasks[SCORE_RESPONSE]
    real_delay = task.delay
    monkeypatch.setattr(task, "delay", lambda *args: calls.append(args) or real_delay(*args))
    return calls


def _step(response, transition, capture) -> tuple[Response, object]:
    before = response.lock_version
    with capture(execute=True):
        transition()
    response.refresh_from_db()
    assert response.lock_version == before + 1
    return response, response.history.order_by("-history_date", "-history_id").first()


def test_submit_approve_return_reopen_each_bump_the_lock_record_the_user_and_score(
    scored_round, tree, sent, django_capture_on_commit_callbacks
):
    response = Response.objects.get(round=scored_round, organisation=tree["village"])
    fill(response)
    focal, reviewer, admin = UserFactory(), UserFactory(), UserFactory()
    steps = [
        (focal, ResponseStatus.SUBMITTED, lambda: response_submit(response=response, user=focal)),
        (
            reviewer,
            ResponseStatus.RETURNED,
            lambda: response_return(response_id=response.pk, user=reviewer, comment="Staff?"),
        ),
        (focal, ResponseStatus.SUBMITTED, lambda: response_submit(response=response, user=focal)),
        (
            reviewer,
            ResponseStatus.APPROVED,
            lambda: response_approve(response_id=response.pk, user=reviewer),
        ),
        (
            admin,
            ResponseStatus.RETURNED,
            lambda: response_reopen(response_id=response.pk, user=admin, reason="Wrong count"),
        ),
    ]
    for user, status, transition in steps:
        sent.clear()
        response, record = _step(response, transition, django_capture_on_commit_callbacks)
        assert response.status == status
        assert record.status == status and record.history_user == user
        assert sent == [(response.pk,)]
