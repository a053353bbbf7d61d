"""Scoring against the database: the one-query read, the transactional COPY write, the tasks
(eager), the debounce bound, the sweep after a Redis outage, and the commands."""

import io
import json

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerDown

from readiness.celery import app as celery_app
from reports import tasks
from reports.models import OVERALL, AreaAggregate, GenderIndicator, ResponseScore, RoundScoring
from reports.scoring import services, writes
from surveys.models import Answer, Response, ResponseStatus
from surveys.services.responses import response_submit
from tests.factories import UserFactory
from tests.reports.conftest import fill, submitted

pytestmark = pytest.mark.django_db


def result_rows():
    return {
        model.__name__: sorted(
            (tuple(v for k, v in row.items() if k != "id") for row in model.objects.values()),
            key=repr,  # rows hold None, which does not order against numbers
        )
        for model in (ResponseScore, AreaAggregate, GenderIndicator)
    }


def test_rescore_reads_the_answers_and_writes_scores_and_aggregates(scored_round, tree):
    village = submitted(scored_round, tree["village"])
    submitted(scored_round, tree["health_lpb"], website="no", connectivity="dk", services=())

    report = services.round_rescore(round_=scored_round)

    assert report.responses == 2
    tech = ResponseScore.objects.get(response=village, pillar="tech")
    # yes 1, slow 0.5, web + email 0.7: S = 1 + 4 * 2.2 / 3
    assert tech.score == pytest.approx(1 + 4 * 2.2 / 3)
    assert tech.stage == 3 and tech.answered == 3
    assert tech.gap == pytest.approx(4.5 - (1 + 4 * 2.2 / 3))
    assert ResponseScore.objects.get(response=village, pillar=OVERALL).score == tech.score
    nation = AreaAggregate.objects.get(
        organisation=tree["nation"], axis="tree", pillar="tech", round=scored_round
    )
    # the office: no 0, don't know left out, empty selection 0: S = 1
    assert nation.n == 2 and nation.minimum == pytest.approx(1.0)
    assert (nation.expected, nation.submitted, nation.approved) == (3, 2, 0)
    assert nation.dont_know_share == pytest.approx(1 / 6)
    sector = AreaAggregate.objects.get(organisation=tree["moh"], axis="sector", pillar="tech")
    assert sector.n == 1 and sector.mean == pytest.approx(1.0)
    staff = GenderIndicator.objects.get(
        organisation=tree["nation"], axis="tree", gender_role="staff"
    )
    assert (staff.women, staff.men, staff.female_share) == (12, 8, pytest.approx(0.6))
    village.refresh_from_db()
    assert village.scored_at is not None
    assert RoundScoring.objects.get(round=scored_round).computed_at is not None


def test_rescoring_twice_gives_identical_rows(scored_round, tree):
    submitted(scored_round, tree["village"])
    submitted(scored_round, tree["chanthabuly"], website="no")
    services.round_rescore(round_=scored_round)
    first = result_rows()
    services.round_rescore(round_=scored_round)
    assert result_rows() == first


def test_a_run_that_dies_while_writing_leaves_the_previous_results(scored_round, tree, monkeypatch):
    submitted(scored_round, tree["village"])
    services.round_rescore(round_=scored_round)
    before = result_rows()
    submitted(scored_round, tree["chanthabuly"], website="no")
    real_copy = writes.copy_in
    written = []

    def copy_then_die(model, frame, constants):
        written.append(real_copy(model, frame, constants))
        if len(written) == 2:  # the scores and some aggregates are in: then the worker dies
            raise RuntimeError("worker killed")
        return written[-1]

    monkeypatch.setattr(writes, "copy_in", copy_then_die)
    with pytest.raises(RuntimeError):
        services.round_rescore(round_=scored_round)
    assert result_rows() == before


def test_submitting_a_response_scores_it_after_commit(
    scored_round, tree, django_capture_on_commit_callbacks
):
    response = Response.objects.get(round=scored_round, organisation=tree["village"])
    fill(response)
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(response=response, user=UserFactory())
    assert ResponseScore.objects.filter(response=response, pillar="tech").exists()
    # eager mode runs the debounced aggregation at once
    assert AreaAggregate.objects.filter(round=scored_round, organisation=tree["nation"]).exists()
    assert not RoundScoring.objects.get(round=scored_round).aggregate_pending


def test_a_submission_while_redis_is_down_commits_and_the_sweep_scores_it(
    scored_round, tree, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.score_response, "delay", broker_down)
    response = Response.objects.get(round=scored_round, organisation=tree["village"])
    fill(response)
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(response=response, user=UserFactory())
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert not ResponseScore.objects.filter(response=response).exists()

    assert tasks.sweep_unscored() == [scored_round.code]
    assert ResponseScore.objects.filter(response=response, pillar="tech").exists()
    assert tasks.sweep_unscored() == []  # nothing left dirty


@pytest.fixture
def real_broker(monkeypatch):
    """Tasks go to our Redis database instead of running eagerly, so we can count them."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("celery")
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield client
    celery_app.conf.task_always_eager = eager
    client.delete("celery")


def queued(client, name):
    messages = [json.loads(raw) for raw in client.lrange("celery", 0, -1)]
    return [m for m in messages if m["headers"]["task"] == name]


def test_a_burst_of_500_submissions_queues_one_round_aggregation(scored_round, real_broker):
    for _ in range(500):
        services.round_aggregate_schedule(round_id=scored_round.pk)
    assert len(queued(real_broker, "reports.aggregate_round")) == 1

    # once it has run, the next change schedules exactly one more
    services.round_aggregate_run(round_id=scored_round.pk)
    for _ in range(500):
        services.round_aggregate_schedule(round_id=scored_round.pk)
    assert len(queued(real_broker, "reports.aggregate_round")) == 2


def test_the_sweep_runs_an_aggregation_whose_message_was_lost(scored_round, tree):
    submitted(scored_round, tree["village"])
    services.round_rescore(round_=scored_round)
    RoundScoring.objects.filter(round=scored_round).update(
        aggregate_pending=True, aggregate_requested_at="2020-01-01T00:00:00Z"
    )
    assert services.unscored_sweep() == [scored_round.code]
    assert not RoundScoring.objects.get(round=scored_round).aggregate_pending


def test_rescore_command_prints_what_it_did(scored_round, tree):
    submitted(scored_round, tree["village"])
    out = io.StringIO()
    call_command("rescore", round=scored_round.code, stdout=out)
    assert "1 responses scored" in out.getvalue() and "Took" in out.getvalue()


def test_rescore_command_rejects_an_unknown_round(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No round"):
        call_command("rescore", round="nope")


def test_seed_national_builds_a_deterministic_round_that_scores(db):
    from organisations.reference import reference_data_load

    reference_data_load()
    out = io.StringIO()
    call_command("seed_national", round="demo-a", villages=40, seed=7, stdout=out)
    call_command("seed_national", round="demo-b", villages=40, seed=7, stdout=out)
    a = Response.objects.filter(round__code="demo-a")
    assert a.count() > 800
    share = a.exclude(status=ResponseStatus.DRAFT).count() / a.count()
    assert 0.85 < share < 0.95

    def answers_of(code):
        return sorted(
            Answer.objects.filter(response__round__code=code).values_list(
                "response__organisation__code", "question__code", "sex", "number", "choices"
            )
        )

    assert answers_of("demo-a") == answers_of("demo-b")
    report = services.round_rescore(round_=a.first().round)
    assert report.responses == a.exclude(status=ResponseStatus.DRAFT).count()
    with transaction.atomic():
        nation = AreaAggregate.objects.get(
            round__code="demo-a", organisation__code="LA", axis="tree", pillar=OVERALL
        )
    assert 1 <= nation.mean <= 5 and nation.n == report.responses


def test_a_rescore_after_a_change_rewrites_only_what_changed_with_the_same_outcome(
    scored_round, tree
):
    village = submitted(scored_round, tree["village"])
    office = submitted(scored_round, tree["health_lpb"], website="no")
    services.round_rescore(round_=scored_round)
    village_ids = set(ResponseScore.objects.filter(response=village).values_list("id", flat=True))

    Answer.objects.filter(response=office, question__code="connectivity").update(choices=["fast"])
    services.round_rescore(round_=scored_round)
    incremental = result_rows()

    # Untouched rows stay as they were; the office's changed rows were replaced.
    assert set(ResponseScore.objects.filter(response=village).values_list("id", flat=True)) == (
        village_ids
    )
    assert ResponseScore.objects.get(response=office, pillar="tech").score == pytest.approx(
        1 + 4 * 1.7 / 3  # no 0, fast 1, web + email 0.7
    )
    # ...and the outcome is exactly what a write of everything from nothing gives.
    for model in (ResponseScore, AreaAggregate, GenderIndicator):
        model.objects.all().delete()
    services.round_rescore(round_=scored_round)
    assert result_rows() == incremental


def test_a_rescore_removes_the_scores_of_a_response_no_longer_submitted(scored_round, tree):
    village = submitted(scored_round, tree["village"])
    submitted(scored_round, tree["health_lpb"])
    services.round_rescore(round_=scored_round)
    Response.objects.filter(pk=village.pk).update(status=ResponseStatus.RETURNED)
    services.round_rescore(round_=scored_round)
    assert not ResponseScore.objects.filter(response=village).exists()
    nation = AreaAggregate.objects.get(organisation=tree["nation"], axis="tree", pillar="tech")
    assert nation.n == 1


def test_seeded_submitted_responses_pass_the_checks_a_focal_point_meets(db):
    """A seeded round is only a fair demo and benchmark if every submitted response is one the
    product would have accepted: complete, consistent, skip logic respected."""
    from organisations.reference import reference_data_load
    from surveys.default_questionnaire import default_questionnaire_load
    from surveys.services.responses import response_issues

    reference_data_load()
    default_questionnaire_load()
    call_command("seed_national", round="demo-c", villages=5, seed=11, stdout=io.StringIO())
    submitted = Response.objects.filter(round__code="demo-c").exclude(status=ResponseStatus.DRAFT)
    assert submitted.exists()
    problems = {
        (response.organisation.code, issue.question.code, *issue.messages)
        for response in submitted.select_related("round__version", "organisation")[:150]
        for issue in response_issues(response)
    }
    assert problems == set()
