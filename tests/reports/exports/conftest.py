"""A scored round with two submitted responses, and users of each export role."""

import pytest

from organisations.models import Role
from reports.scoring import services
from tests.factories import UserFactory, grant
from tests.reports.conftest import submitted


@pytest.fixture
def results(scored_round, tree):
    village = submitted(scored_round, tree["village"])
    office = submitted(
        scored_round, tree["health_lpb"], website="no", connectivity="dk", services=()
    )
    services.round_rescore(round_=scored_round)
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


@pytest.fixture
def individual_round(tree):
    """An individual questionnaire answered by 6 women and 6 men of the village, scored."""
    from surveys.models import Response, ResponseStatus
    from tests.factories import make_open_round, make_version_of_every_kind
    from tests.reports.conftest import fill

    version = make_version_of_every_kind(code="staff", respondent_type="individual")
    round_ = make_open_round(version=version, code="staff2026", targets=[tree["village"]])
    for index in range(12):
        response = Response.objects.create(
            round=round_, organisation=tree["village"], is_individual=True,
            respondent_sex="F" if index % 2 else "M", status=ResponseStatus.SUBMITTED,
        )  # fmt: skip
        fill(response, connectivity="fast" if index % 2 else "none")
    services.round_rescore(round_=round_)
    return round_
