"""Analysts and administrators find their area's latest readiness results on the home page."""

import lxml.html
import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation

from organisations.models import Role
from readiness.i18n import pick
from reports.models import OVERALL, AreaAggregate, Axis
from reports.scoring import services
from reports.scoring.engine import stage_for
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
    services.round_rescore(round_=scored_round)
    analyst = UserFactory(username="analyst")
    grant(analyst, Role.ANALYST, tree["nation"])
    client.force_login(analyst)

    page = client.get(reverse("home")).content.decode()

    assert "ຄວາມພ້ອມດ້ານດິຈິຕອນ: " + tree["nation"].name["lo"] in page
    assert "ສົ່ງແລ້ວ 2 ຈາກ 3 ຄຳຕອບ" in page  # coverage
    assert "ເຕັກໂນໂລຊີ ແລະ ວິທີແກ້ໄຂ" in page  # the tech pillar, by name in Lao
    assert reverse("reports:method") in page

    # The numbers are the stored aggregates of the nation, one decimal, with their stage names.
    stored = {
        row.pillar: row
        for row in AreaAggregate.objects.filter(
            round=scored_round, organisation=tree["nation"], axis=Axis.TREE
        )
    }
    version = scored_round.version
    with translation.override("lo"):
        pillars = {pick(p.name): p.code for p in version.pillars.all()}
        stage_names = {
            code: version.stage_name(stage_for(row.mean)) if row.mean is not None else ""
            for code, row in stored.items()
        }
    html = lxml.html.fromstring(page)
    overall = stored[OVERALL]
    headline = html.xpath("//section//p[span[contains(@class, 'fs-4')]]")[0].text_content()
    assert floatformat(overall.mean, 1) in headline
    assert stage_names[OVERALL] in headline
    rows = [
        # The pillar's name heads its row (a card on a phone), then score, stage, gap, priority.
        [cell.text_content().strip() for cell in row.xpath("th|td")]
        for row in html.xpath("//section//table/tbody/tr")
    ]
    assert [row[0] for row in rows] == [name for name, code in pillars.items() if code in stored]
    for name, mean, stage, gap, _priority in rows:
        aggregate = stored[pillars[name]]
        assert mean == (floatformat(aggregate.mean, 1) if aggregate.mean is not None else "–")
        assert stage == (stage_names[pillars[name]] or "–")
        assert gap == (floatformat(aggregate.gap, 1) if aggregate.gap is not None else "–")
    # The check is not vacuous: the area has scores and at least one gap to its target.
    assert any(row[1] != "–" for row in rows) and any(row[3] not in ("–", "0.0") for row in rows)


def test_a_focal_point_or_an_analyst_of_another_area_sees_no_foreign_results(
    client,
    scored_round,
    tree,
):
    submitted(scored_round, tree["village"])
    services.round_rescore(round_=scored_round)
    outsider = UserFactory(username="outsider")
    grant(outsider, Role.ANALYST, tree["moh_dept"])  # no member responded there
    grant(outsider, Role.FOCAL_POINT, tree["village"])
    client.force_login(outsider)
    page = client.get(reverse("home")).content.decode()
    assert "ຄວາມພ້ອມດ້ານດິຈິຕອນ: " + tree["nation"].name["lo"] not in page
