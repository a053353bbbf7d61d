"""Issue 12, point 4 in real Chromium: an individual round's administrator sees every target's
share link with a QR code and a Copy button that copies it, in Lao and English, at 360 and
1280 px, without sideways scrolling and without a serious accessibility violation
(screenshots in var/screens: share_links_<language>_<width>.png)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from organisations.models import Role
from surveys.models import Round, ShareLink
from surveys.services.rounds import round_open
from tests.e2e.test_accessibility_browser import AXE, _violations
from tests.e2e.test_phone_layout_browser import SIZES, browse, no_sideways_scroll
from tests.factories import UserFactory, grant, make_version_of_every_kind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_round(tree):
    version = make_version_of_every_kind(code="staff-skills", respondent_type="individual")
    today = timezone.localdate()
    round_ = Round.objects.create(
        code="staff-2026", version=version, name={"lo": "ສຳຫຼວດພະນັກງານ", "en": "Staff survey"},
        opens_on=today, closes_on=today + datetime.timedelta(days=30),
    )  # fmt: skip
    round_.targets.set([tree["chanthabuly"], tree["luang"], tree["village"]])
    round_open(round_=round_)
    admin = UserFactory(username="admin", first_name="Admin")
    grant(admin, Role.ADMINISTRATOR, tree["nation"])
    return round_


def test_the_share_links_page_in_each_language_and_width(
    live_server, browser, staff_round, screens
):
    url = live_server.url + reverse("surveys:round_share_links", args=[staff_round.pk])
    tokens = list(ShareLink.objects.filter(round=staff_round).values_list("token", flat=True))
    assert len(tokens) == 3
    for width in SIZES:
        for language in ("lo", "en"):
            page = browse(browser, live_server, "admin", width, language)
            page.context.add_init_script(path=str(AXE))
            page.goto(url)
            assert page.locator("svg.share-qr").count() == 3
            assert page.locator("html").get_attribute("lang") == language
            no_sideways_scroll(page, width)
            assert _violations(page) == []
            page.screenshot(
                path=str(screens / f"share_links_{language}_{width}.png"), full_page=True
            )
            if width == 1280 and language == "en":
                page.context.grant_permissions(["clipboard-read", "clipboard-write"])
                button = page.locator("button[data-copy-target]").first
                button.click()
                # The clipboard answers asynchronously: wait for the label to change.
                expect(button).to_have_text("Copied", timeout=5000)
                copied = page.evaluate("navigator.clipboard.readText()")
                assert any(copied.endswith(f"/s/{token}/") for token in tokens)
            page.context.close()
