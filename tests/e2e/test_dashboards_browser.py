"""Dashboards in real Chromium: the charts draw from our own plotly.js, a click on a heatmap cell
drills down, the data table opens, and a phone shows it all without sideways scrolling."""

import pytest

from organisations.models import Role
from reports.scoring import services
from tests.factories import UserFactory, grant
from tests.reports.conftest import scored_round, submitted  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "a-Strong-pass-1")
    page.locator("button.w-100[type=submit]").click()
    page.wait_for_load_state()


def test_an_analyst_drills_down_from_the_heatmap_to_a_province(
    live_server,
    page,
    screens,
    tree,
    scored_round,  # noqa: F811
):
    submitted(scored_round, tree["village"])
    submitted(scored_round, tree["health_lpb"], website="no", connectivity="dk", services=())
    services.round_rescore(round_=scored_round)
    analyst = UserFactory(username="analyst")
    grant(analyst, Role.ANALYST, tree["nation"])
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, live_server, "analyst")
    page.goto(f"{live_server.url}/reports/")  # straight to the national dashboard
    page.wait_for_selector("#heatmap-tree .main-svg")
    assert page.locator(".chart .main-svg").count() >= 4  # every chart drawn, no CDN needed
    assert tree["nation"].name["lo"] in page.locator("h1").inner_text()
    page.screenshot(path=str(screens / "dashboard_national_lo_1280.png"), full_page=True)

    # The heatmap's rows are the provinces in code order: the first is Vientiane Capital.
    cells = page.locator("#heatmap-tree .nsewdrag").first
    cells.scroll_into_view_if_needed()
    box = cells.bounding_box()
    rows = page.evaluate(
        "JSON.parse(document.getElementById('figure-heatmap-tree').textContent).data[0].y.length"
    )
    cells.click(position={"x": box["width"] / 16, "y": box["height"] / (2 * rows)})
    page.wait_for_url(f"**/areas/{tree['vte'].code}/")
    assert tree["vte"].name["lo"] in page.locator("h1").inner_text()

    # The data table behind a chart opens, and a row leads on to the scorecard.
    page.locator("#pillars summary").click()
    assert page.locator("#pillars table").is_visible()
    page.locator("#heatmap-tree summary").click()
    page.locator(f"#heatmap-tree a:has-text('{tree['chanthabuly'].name['lo']}')").click()
    page.wait_for_url(f"**/areas/{tree['chanthabuly'].code}/")
    page.locator("#heatmap-tree summary").click()
    page.locator(f"#heatmap-tree a:has-text('{tree['village'].name['lo']}')").click()
    page.wait_for_url(f"**/organisations/{tree['village'].code}/")
    page.wait_for_selector("#scorecard .main-svg")


def test_a_focal_point_reads_its_scorecard_on_a_phone_in_english(
    live_server,
    phone,
    screens,
    tree,
    scored_round,  # noqa: F811
):
    submitted(scored_round, tree["village"])
    services.round_rescore(round_=scored_round)
    focal = UserFactory(username="focal")
    grant(focal, Role.FOCAL_POINT, tree["village"])

    sign_in(phone, live_server, "focal")
    phone.get_by_role("button", name="English").click()
    phone.wait_for_load_state()
    phone.goto(f"{live_server.url}/reports/")
    phone.wait_for_selector("#scorecard .main-svg")
    assert "Scorecard" in phone.locator("h1").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(screens / "scorecard_en_360.png"), full_page=True)
