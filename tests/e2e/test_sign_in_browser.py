"""Sign in with real Chromium at phone width, in Lao then English."""

import pytest

from organisations.models import Role
from tests.factories import UserFactory, grant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_focal_point_signs_in_on_a_phone_in_lao_and_switches_to_english(
    live_server, phone, screens, tree
):
    user = UserFactory(username="bounmy", first_name="Bounmy")
    grant(user, Role.FOCAL_POINT, tree["chanthabuly"])

    phone.goto(f"{live_server.url}/")
    assert phone.locator("html").get_attribute("lang") == "lo"
    phone.screenshot(path=str(screens / "login_lo_360.png"), full_page=True)
    phone.fill("input[name=username]", "bounmy")
    phone.fill("input[name=password]", "a-Strong-pass-1")
    phone.get_by_role("button", name="ເຂົ້າສູ່ລະບົບ").click()
    phone.wait_for_selector("text=ຍິນດີຕ້ອນຮັບ, Bounmy")
    # Nothing wider than the screen: no horizontal scrolling on a 360 px phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(screens / "home_lo_360.png"), full_page=True)

    phone.get_by_role("button", name="English").click()
    phone.wait_for_selector("text=Welcome, Bounmy")
    phone.reload()
    assert phone.locator("html").get_attribute("lang") == "en"
    phone.screenshot(path=str(screens / "home_en_360.png"), full_page=True)
