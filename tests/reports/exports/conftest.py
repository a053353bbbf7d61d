"""A scored round with two submitted responses, and users of each export role."""

import pytest

from organisations.models import Role
from reports import services
from tests.factories import UserFactory, grant
from tests.reports.conftest import submitted


@pytest.fixture
def results(scored_round, tree):
    village = submitted(scored_round, tree["village"])
    office = submitted(
        scored_round, tree["health_lpb"], website="no", connectivity="dk", services=()
    )
    services.round_rescore(round=scored_round)
    return {"round": scored_round, "village": village, "office": office}


@pytest.fixture
def analyst(tree):
    user = UserFactory(username="national_analyst")
    grant(user, Role.ANALYST, tree["nation"])
    return user


def request_export(client, **fields):
    """POSTs the request endpoint as a button on a dashboard would, running the job after
    commit (tasks are eager in tests); returns the response of the request."""
    from django.urls import reverse

    return client.post(reverse("reports:exports:request"), fields)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Export files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
