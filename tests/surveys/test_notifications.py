"""Review e-mails go through a task after commit: a mail server that fails never turns a
review into an error, and the broker being down does not either."""

import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from organisations.models import Role
from surveys import tasks
from surveys.dispatch import send_review_email
from surveys.models import Response, ResponseStatus
from tests.factories import UserFactory, grant, make_open_round, make_version_of_every_kind


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message; counts the attempts."""

    attempts = 0

    def send_messages(self, email_messages):
        RefusingBackend.attempts += 1
        raise smtplib.SMTPException("421 Service not available")


@pytest.fixture
def submitted(tree):
    round_ = make_open_round(version=make_version_of_every_kind(), targets=[tree["chanthabuly"]])
    focal = UserFactory(username="focal", email="focal@example.org")
    grant(focal, Role.FOCAL_POINT, tree["chanthabuly"])
    reviewer = UserFactory(username="reviewer")
    grant(reviewer, Role.REVIEWER, tree["vte"])
    response = Response.objects.get(round=round_, organisation=tree["chanthabuly"])
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = timezone.now()
    response.save()
    return {"response": response, "reviewer": reviewer}


def test_an_approval_succeeds_when_the_mail_server_refuses(
    client, submitted, settings, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.attempts = 0
    client.force_login(submitted["reviewer"])
    url = reverse("surveys:review_approve", args=[submitted["response"].pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = client.post(url, follow=True)
    assert page.status_code == 200
    assert [m.level_tag for m in page.context["messages"]] == ["success"]
    submitted["response"].refresh_from_db()
    assert submitted["response"].status == ResponseStatus.APPROVED
    # The e-mail was scheduled after commit through the task, which did try the mail server
    # (in a worker it retries later; eager, the retry's exception reaches the dispatch, which
    # logs it).
    emails = [c for c in callbacks if getattr(c, "func", None) is send_review_email]
    assert [c.args for c in emails] == [(submitted["response"].pk, "approved")]
    assert RefusingBackend.attempts == 1
    assert mailoutbox == []
    assert "Could not send the approved e-mail" in caplog.text


def test_an_approval_succeeds_when_the_broker_is_down(
    client, submitted, monkeypatch, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    def broker_down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_review_email, "delay", broker_down)
    client.force_login(submitted["reviewer"])
    url = reverse("surveys:review_approve", args=[submitted["response"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, follow=True)
    assert page.status_code == 200
    assert [m.level_tag for m in page.context["messages"]] == ["success"]
    submitted["response"].refresh_from_db()
    assert submitted["response"].status == ResponseStatus.APPROVED
    assert mailoutbox == []
    assert "Could not send the approved e-mail" in caplog.text


def test_the_review_email_task_sends_in_both_languages(submitted, mailoutbox):
    assert tasks.send_review_email.delay(submitted["response"].pk, "approved").get() == 1
    assert [m.to for m in mailoutbox] == [["focal@example.org"]]
    lao, english = mailoutbox[0].body.split("\n---\n")
    assert "ອົງການ LA0101" in lao and "Organisation LA0101" in english
