"""Dashboards and scorecards: what each role sees, what it must not, the numbers against the
stored results, the chart tables as files, and query counts that do not grow with the tree."""

import csv
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import OrganisationKind, Role
from reports.dashboards.panels import SCORE, SHARE, format_value
from reports.models import OVERALL, AreaAggregate, Axis, ResponseScore
from reports.scoring import services
from reports.scoring.engine import stage_for
from surveys.models import Response, ResponseStatus, Round
from tests.factories import UserFactory, grant, make_organisation
from tests.reports.conftest import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(scored_round, tree):
    submitted(scored_round, tree["village"])
    submitted(scored_round, tree["health_lpb"], website="no", connectivity="dk", services=())
    services.round_rescore(round_=scored_round)
    return scored_round


def signed_in(client, role, organisation, username="reader"):
    user = UserFactory(username=username)
    grant(user, role, organisation)
    client.force_login(user)
    return user


def page(client, name, round_, code, **query):
    response = client.get(reverse(name, args=[round_.code, code]), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_national_view_shows_provinces_ministries_priorities_and_coverage(client, scored, tree):
    signed_in(client, Role.ANALYST, tree["nation"])
    html = page(client, "reports:area", scored, tree["nation"].code)
    overall = AreaAggregate.objects.get(
        round=scored, organisation=tree["nation"], axis=Axis.TREE, pillar=OVERALL
    )
    assert format_value(overall.mean, SCORE) in html
    stage = stage_for(overall.mean)
    assert f"{stage}: {scored.version.stage_name(stage, 'lo')}" in html
    for node in (tree["vte"], tree["lpb"], tree["moh"]):
        assert node.name["lo"] in html  # provinces and the ministry (sector axis) by pillar
    assert reverse("reports:area", args=[scored.code, tree["vte"].code]) in html  # drill-down
    assert 'id="opportunities"' in html and 'id="coverage-tree"' in html
    assert "2 ຈາກ 3" in html  # 2 of the 3 expected responses submitted


def test_a_heatmap_cell_without_data_is_empty_never_zero(client, scored, tree):
    """The province with no submitted response has no scores: its cells are empty."""
    signed_in(client, Role.ANALYST, tree["nation"])
    response = client.get(reverse("reports:area", args=[scored.code, tree["nation"].code]))
    figure = json.loads(
        response.content.decode()
        .split('id="figure-heatmap-tree" type="application/json">')[1]
        .split("</script>")[0]
    )
    rows = figure["data"][0]["y"]
    z = dict(zip(rows, figure["data"][0]["z"], strict=True))
    vte_tech = AreaAggregate.objects.get(
        round=scored, organisation=tree["vte"], axis=Axis.TREE, pillar="tech"
    ).mean
    assert z[tree["vte"].name["lo"]][0] == pytest.approx(vte_tech)
    # Luang Prabang's only response is the sector office's: it is scored; a province
    # without one would have no row at all, and a pillar without answers stays None.
    assert all(value is None or 1 <= value <= 5 for line in z.values() for value in line)


def test_a_province_analyst_sees_its_province_and_nothing_of_another(client, scored, tree):
    signed_in(client, Role.ANALYST, tree["vte"])
    html = page(client, "reports:area", scored, tree["vte"].code)
    assert tree["village"].name["lo"] in html or tree["chanthabuly"].name["lo"] in html
    for foreign in (tree["lpb"], tree["health_lpb"], tree["luang"]):
        assert foreign.name["lo"] not in html
        assert foreign.code not in html
    for code in (tree["nation"].code, tree["lpb"].code):
        url = reverse("reports:area", args=[scored.code, code])
        assert client.get(url).status_code == 404
    scorecard = reverse("reports:scorecard", args=[scored.code, tree["health_lpb"].code])
    assert client.get(scorecard).status_code == 404


def test_a_focal_point_sees_its_own_scorecard_with_answers_and_no_other(client, scored, tree):
    signed_in(client, Role.FOCAL_POINT, tree["village"])
    html = page(client, "reports:scorecard", scored, tree["village"].code)
    own = ResponseScore.objects.get(
        round=scored, organisation=tree["village"], pillar=OVERALL
    ).score
    assert format_value(own, SCORE) in html
    assert 'id="answers"' in html
    assert reverse("reports:area", args=[scored.code, tree["vte"].code]) not in html
    for code in (tree["health_lpb"].code, tree["chanthabuly"].code):
        url = reverse("reports:scorecard", args=[scored.code, code])
        assert client.get(url).status_code == 404
    area = reverse("reports:area", args=[scored.code, tree["vte"].code])
    assert client.get(area).status_code == 404
    # Its home page of dashboards leads straight to its scorecard.
    assert client.get(reverse("reports:index"))["Location"].endswith(
        reverse("reports:scorecard", args=[scored.code, tree["village"].code])
    )


def test_the_scorecard_flags_dont_know_and_compares_with_peers(client, scored, tree):
    signed_in(client, Role.ANALYST, tree["nation"])
    html = page(client, "reports:scorecard", scored, tree["health_lpb"].code)
    assert "ບໍ່ຮູ້" in html  # connectivity was answered "don't know"
    assert 'id="peers"' in html
    assert tree["moh"].name["lo"] in html  # its line ministry's offices as peers
    assert tree["lpb"].name["lo"] in html  # its province


def test_an_individual_response_is_never_shown_on_a_scorecard(client, scored, tree):
    individual = Response.objects.create(
        round=scored,
        organisation=tree["chanthabuly"],
        is_individual=True,
        status=ResponseStatus.SUBMITTED,
        respondent_sex="F",
    )
    assert individual.pk
    signed_in(client, Role.ANALYST, tree["nation"])
    html = page(client, "reports:scorecard", scored, tree["chanthabuly"].code)
    assert 'id="answers"' not in html


def test_the_kind_filter_counts_only_that_kind(client, scored, tree):
    """Villages only: the national figures are the village's own scores."""
    signed_in(client, Role.ANALYST, tree["nation"])
    html = page(client, "reports:area", scored, tree["nation"].code, kind=OrganisationKind.VILLAGE)
    village = ResponseScore.objects.get(round=scored, organisation=tree["village"], pillar=OVERALL)
    assert format_value(village.score, SCORE) in html
    assert "1 ຈາກ 1" in html  # one village expected, one submitted


def test_chart_tables_download_as_csv_with_bom_and_xlsx_with_numbers(client, scored, tree):
    signed_in(client, Role.ANALYST, tree["nation"])
    args = [scored.code, tree["nation"].code, "overview", "pillars"]
    body = client.get(reverse("reports:area_table", args=[*args, "csv"])).content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "ເສົາຫຼັກ"  # "Pillar", in Lao
    tech = AreaAggregate.objects.get(
        round=scored, organisation=tree["nation"], axis=Axis.TREE, pillar="tech"
    )
    assert float(rows[1][1]) == pytest.approx(tech.mean)
    xlsx = client.get(reverse("reports:area_table", args=[*args, "xlsx"])).content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert sheet.freeze_panes == "A2"
    assert isinstance(sheet.cell(2, 2).value, float)
    assert sheet.cell(2, 2).value == pytest.approx(tech.mean)


def test_progress_counts_the_organisations_that_moved_up(client, scored, tree, scored_round):
    baseline = Round.objects.create(
        code="baseline",
        version=scored.version,
        name={"lo": "ຮອບກ່ອນ", "en": "Before"},
        opens_on=scored.opens_on,
        closes_on=scored.closes_on,
        status="closed",
        pillar_targets=scored.pillar_targets,
    )
    baseline.targets.set([tree["village"]])
    Response.objects.create(round=baseline, organisation=tree["village"])
    submitted(baseline, tree["village"], website="no", connectivity="none", services=())
    services.round_rescore(round_=baseline)
    scored.baseline = baseline
    scored.save()
    before = ResponseScore.objects.get(round=baseline, organisation=tree["village"], pillar=OVERALL)
    after = ResponseScore.objects.get(round=scored, organisation=tree["village"], pillar=OVERALL)
    assert after.stage > before.stage
    signed_in(client, Role.ANALYST, tree["nation"])
    html = page(client, "reports:progress", scored, tree["nation"].code)
    assert "1 ຂັ້ນ" in html or ">1<" in html
    listing = client.get(
        reverse("reports:transition_organisations", args=[scored.code, tree["nation"].code]),
        {"before": before.stage, "after": after.stage},
    ).content.decode()
    assert tree["village"].name["lo"] in listing
    assert tree["health_lpb"].name["lo"] not in listing


def _national_queries(client, round_, nation) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:area", args=[round_.code, nation.code]))
    assert response.status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_the_organisations(client, scored, tree, settings):
    signed_in(client, Role.ANALYST, tree["nation"])
    # The session's idle expiry moves on the first request (IdleSessionMiddleware), then not
    # again within the test.
    settings.SESSION_TOUCH_SECONDS = 3600
    client.get(reverse("home"))
    urls = [
        reverse(name, args=[scored.code, tree["nation"].code])
        for name in ("reports:area", "reports:gender")
    ] + [reverse("reports:scorecard", args=[scored.code, tree["village"].code])]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    small = counts()
    for number in range(2, 12):
        village = make_organisation(
            code=f"LA01010{number:02d}", kind=OrganisationKind.VILLAGE, parent=tree["chanthabuly"]
        )
        scored.targets.add(village)
        Response.objects.create(round=scored, organisation=village)
        submitted(scored, village)
    services.round_rescore(round_=scored)
    assert counts() == small
    assert max(small) <= 30


def test_the_gender_view_sums_counts_and_says_how_many_were_left_out(client, scored, tree):
    from reports.models import GenderIndicator

    signed_in(client, Role.ANALYST, tree["nation"])
    html = page(client, "reports:gender", scored, tree["nation"].code)
    nation = GenderIndicator.objects.get(
        round=scored,
        organisation=tree["nation"],
        axis=Axis.TREE,
        gender_role="staff_digital_skills",
    )
    assert nation.women == 6 and nation.men == 4  # 3 + 3 women, 2 + 2 men, summed
    assert 'id="gender"' in html and 'id="parity"' in html
    assert format_value(nation.female_share, SHARE) in html
    assert "0.97" in html  # the parity band is stated


def test_scores_of_small_groups_of_respondents_are_not_shown(settings):
    import pandas as pd

    from reports.dashboards.selectors import suppress_small_groups

    frame = pd.DataFrame(
        {
            "women_n": [4, 5],
            "men_n": [9, 5],
            "women_mean": [3.0, 2.0],
            "men_mean": [2.5, 3.0],
            "gap": [0.5, -1.0],
        }
    )
    shown = suppress_small_groups(frame, 5)
    assert shown["women_mean"].isna().tolist() == [True, False]
    assert shown["gap"].isna().tolist() == [True, False]
    # The men's mean of the first group goes too: with the overall mean it gives the women's.
    assert shown["men_mean"].isna().tolist() == [True, False]
    assert shown["men_mean"].tolist()[1] == 3.0


def test_exporters_get_export_buttons_and_reviewers_do_not(client, scored, tree):
    signed_in(client, Role.ANALYST, tree["vte"])
    html = page(client, "reports:area", scored, tree["vte"].code)
    assert reverse("reports:exports:request") in html
    assert 'value="masterplan"' in html and 'value="docx"' in html
    client.logout()
    signed_in(client, Role.REVIEWER, tree["vte"], username="reviewer")
    html = page(client, "reports:area", scored, tree["vte"].code)
    assert reverse("reports:exports:request") not in html


def test_the_overview_says_what_each_stage_means_per_pillar(client, scored, tree):
    from surveys.models import Pillar, Recommendation

    tech = Pillar.objects.get(version=scored.version, code="tech")
    Recommendation.objects.create(
        version=scored.version, pillar=tech, stage=2, text={"lo": "ເຊື່ອມຕໍ່ເນັດ", "en": "Connect"}
    )
    signed_in(client, Role.ANALYST, tree["nation"])
    html = page(client, "reports:area", scored, tree["nation"].code)
    assert 'id="stages-meaning"' in html and "ເຊື່ອມຕໍ່ເນັດ" in html


def test_a_large_results_write_refreshes_the_planner_statistics(scored_round, tree, monkeypatch):
    """Dashboards read aggregates by (round, organisations, axis); with stale statistics the
    planner scanned the whole round. A large write runs ANALYZE on what it rewrote."""
    from reports.scoring import writes

    def tuples() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'reports_areaaggregate'")
            return cursor.fetchone()[0]

    submitted(scored_round, tree["village"])
    monkeypatch.setattr(writes, "ANALYZE_AFTER_ROWS", 10**9)
    services.round_rescore(round_=scored_round)
    before = tuples()
    submitted(scored_round, tree["health_lpb"])
    monkeypatch.setattr(writes, "ANALYZE_AFTER_ROWS", 1)
    services.round_rescore(round_=scored_round)
    assert tuples() == AreaAggregate.objects.count() != before
