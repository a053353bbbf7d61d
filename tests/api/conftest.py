"""A scored round of an organisation questionnaire (tests/reports/conftest.py), readers of it,
and a client that speaks to the API with a personal token."""

import pytest
from django.test import Client

from organisations.models import Role
from organisations.services.tokens import api_token_create
from reports.scoring import services
from tests.factories import UserFactory, grant
from tests.reports.conftest import scored_round, submitted  # noqa: F401


@pytest.fixture
def scored(scored_round, tree):  # noqa: F811
    submitted(scored_round, tree["village"])
    submitted(scored_round, tree["health_lpb"], website="no", connectivity="dk", services=())
    services.round_rescore(round_=scored_round)
    return scored_round


def reader(role: str, organisation, username: str):
    user = UserFactory(username=username)
    grant(user, role, organisation)
    return user


def token_client(user, days: int = 30) -> tuple[Client, object, str]:
    token, secret = api_token_create(user=user, name="script", days=days)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), token, secret


@pytest.fixture
def national(tree):
    """A national analyst's token client."""
    client, _token, _secret = token_client(reader(Role.ANALYST, tree["nation"], "national"))
    return client
