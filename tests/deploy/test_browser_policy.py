"""The Content-Security-Policy in a real browser (issue 13, point 5): Debian's Chromium through
the nginx proxy, production settings (DEBUG=false, hashed static files): the dashboard's Plotly
charts and the filling page's scripts run, and Chromium reports no blocked script or style.
Screenshots (var/screens/deploy_*) show the pages as served."""

import pytest

from tests.e2e.conftest import SCREENS, browser_type_launch_args  # noqa: F401 (Debian's Chromium)

pytestmark = pytest.mark.e2e


@pytest.fixture
def https_page(browser):
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page, blocked
    context.close()


def _sign_in(page, nginx, username, password):
    page.goto(f"{nginx.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("button.w-100[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_dashboards_and_filling_run_under_the_policy(https_page, nginx, world):
    page, blocked = https_page
    SCREENS.mkdir(parents=True, exist_ok=True)
    _sign_in(page, nginx, "analyst", world["ids"]["password"])
    page.goto(f"{nginx.url}/reports/")
    page.wait_for_selector(".chart .main-svg")
    page.screenshot(path=str(SCREENS / "deploy_dashboard_lo_1280.png"), full_page=True)
    page.context.clear_cookies()
    _sign_in(page, nginx, "focal", world["ids"]["password"])
    untouched = world["ids"]["untouched"]
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{nginx.url}/surveys/responses/{untouched}/p/tech/")
    page.wait_for_selector("#filling-form")
    page.screenshot(path=str(SCREENS / "deploy_filling_lo_360.png"), full_page=True)
    assert blocked == []
