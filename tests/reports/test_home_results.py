"""Analysts and administrators find their area's latest readiness results on the home page."""

import pytest
from django.urls import reverse

from organisations.models import Role
from reports import services
from tests.factories import UserFactory, grant
from tests.reports.conftest import submitted

pytestmark = pytest.mark.django_db


def test_an_analyst_sees_the_readiness_of_their_area_with_coverage_and_gaps(
    client,
    scored_round,
    tree,
):
    submitted(scored_round, tree["village"])
    submitted(scored_round, tree["health_lpb"], website="no", connectivity="dk", services=())
    services.round_rescore(round=scored_round)
    analyst = UserFactory(username="analyst")
    grant(analyst, Role.ANALYST, tree["nation"])
    client.force_login(analyst)

    page = client.get(reverse("home")).content.decode()

    assert "ຄວາມພ້ອມດ້ານດິຈິຕອນ: " + tree["nation"].name["lo"] in page
    assert "ສົ່ງແລ້ວ 2 ຈາກ 3 ຄຳຕອບ" in page  # coverage
    assert "ເຕັກໂນໂລຊີ ແລະ ວິທີແກ້ໄຂ" in page  # the tech pillar, by name in Lao
    assert reverse("reports:method") in page


def test_a_focal_point_or_an_analyst_of_another_area_sees_no_foreign_results(
    client,
    scored_round,
    tree,
):
    submitted(scored_round, tree["village"])
    services.round_rescore(round=scored_round)
    outsider = UserFactory(username="outsider")
    grant(outsider, Role.ANALYST, tree["moh_dept"])  # no member responded there
    grant(outsider, Role.FOCAL_POINT, tree["village"])
    client.force_login(outsider)
    page = client.get(reverse("home")).content.decode()
    assert "ຄວາມພ້ອມດ້ານດິຈິຕອນ: " + tree["nation"].name["lo"] not in page
