"""Results follow the status: a returned or reopened response leaves every result at once, a
round whose aggregates are older than its latest scored change is found by the sweep however
its task was lost, and a closed round cannot be left with a response nobody can resubmit."""

import pytest

from reports.models import OVERALL, AreaAggregate, ResponseScore, RoundScoring
from reports.scoring import services
from surveys.models import Response, ResponseStatus, RoundStatus
from surveys.services.responses import (
    response_approve,
    response_reopen,
    response_return,
    response_submit,
)
from surveys.services.review import ReviewError
from tests.factories import UserFactory
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db


def submit(scored_round, organisation, capture):
    response = Response.objects.get(round=scored_round, organisation=organisation)
    fill(response)
    with capture(execute=True):
        response_submit(response=response, user=UserFactory())
    return response


def national_submitted(scored_round, tree) -> int:
    return AreaAggregate.objects.get(
        round=scored_round, organisation=tree["nation"], axis="tree", pillar=OVERALL
    ).submitted


def test_returning_a_submitted_response_takes_its_scores_out_at_once(
    scored_round, tree, django_capture_on_commit_callbacks
):
    response = submit(scored_round, tree["village"], django_capture_on_commit_callbacks)
    submit(scored_round, tree["chanthabuly"], django_capture_on_commit_callbacks)
    assert national_submitted(scored_round, tree) == 2
    # Inside the return's own transaction, before any task ran, the score rows are gone.
    with django_capture_on_commit_callbacks(execute=False):
        response_return(response_id=response.pk, user=UserFactory(), comment="Check the staff")
        assert not ResponseScore.objects.filter(response=response).exists()
    services.unscored_sweep()
    assert national_submitted(scored_round, tree) == 1
    assert services.unscored_sweep() == []  # and the round is no longer stale


def test_reopening_an_approved_response_takes_its_scores_out(
    scored_round, tree, django_capture_on_commit_callbacks
):
    response = submit(scored_round, tree["village"], django_capture_on_commit_callbacks)
    reviewer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response_approve(response_id=response.pk, user=reviewer)
        response_reopen(response_id=response.pk, user=reviewer, reason="Wrong staff count")
    assert not ResponseScore.objects.filter(response=response).exists()
    assert national_submitted(scored_round, tree) == 0


def test_the_sweep_finds_a_round_whose_aggregation_died_with_its_worker(
    scored_round, tree, django_capture_on_commit_callbacks
):
    response = submit(scored_round, tree["village"], django_capture_on_commit_callbacks)
    assert services.unscored_sweep() == []
    # A second response is scored, its aggregation is claimed (pending flag cleared) and the
    # worker dies whole before computing: nothing pending, nothing dirty, only the times tell.
    other = Response.objects.get(round=scored_round, organisation=tree["chanthabuly"])
    fill(other)
    Response.objects.filter(pk=other.pk).update(status=ResponseStatus.SUBMITTED)
    services.response_score(response_id=other.pk)
    RoundScoring.objects.filter(round=scored_round).update(aggregate_pending=False)
    assert national_submitted(scored_round, tree) == 1
    assert services.unscored_sweep() == [scored_round.code]
    assert national_submitted(scored_round, tree) == 2
    assert response.pk


def test_a_response_of_a_closed_round_cannot_be_returned_or_reopened(
    scored_round, tree, django_capture_on_commit_callbacks
):
    response = submit(scored_round, tree["village"], django_capture_on_commit_callbacks)
    type(scored_round).objects.filter(pk=scored_round.pk).update(status=RoundStatus.CLOSED)
    with pytest.raises(ReviewError, match=r"round is closed|ຮອບ"):
        response_return(response_id=response.pk, user=UserFactory(), comment="Late fix")
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.APPROVED)
    with pytest.raises(ReviewError):
        response_reopen(response_id=response.pk, user=UserFactory(), reason="Late fix")
    assert ResponseScore.objects.filter(response=response).exists()
