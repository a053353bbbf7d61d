"""Issue 12, points 2 and 6 in real Chromium: at 360 px the filling page's rail folds into a menu
so the first question is in the first screen; the review page, its approval step, the progress
tables, the home page, the check page and the anonymous form read without sideways scrolling;
table rows become cards with every column named, links at least 44 px tall. Each page is
looked at in Lao and English at 360 and 1280 px (screenshots in var/screens)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Role
from surveys.models import Answer, Question, Response, ResponseStatus, ReviewComment, ShareLink
from tests.e2e.test_accessibility_browser import AXE, _violations
from tests.e2e.test_filling_browser import sign_in
from tests.factories import (
    UserFactory,
    grant,
    make_filling_round,
    make_open_round,
    make_version_of_every_kind,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {360: 740, 1280: 900}


@pytest.fixture
def world(tree):
    """A round for Chanthabuly (returned with the reviewer's comments, a stored answer that
    breaks a rule) and its village (submitted, waiting for review); an individual round."""
    round_ = make_filling_round(organisations=[tree["chanthabuly"], tree["village"]])
    version = round_.version
    questions = {q.code: q for q in Question.objects.filter(version=version)}
    returned = Response.objects.get(round=round_, organisation=tree["chanthabuly"])
    waiting = Response.objects.get(round=round_, organisation=tree["village"])
    for response in (returned, waiting):
        Answer.objects.create(
            response=response, question=questions["connectivity"], choices=["shared"]
        )
        Answer.objects.create(response=response, question=questions["has_website"], choices=["no"])
        for sex, number in (("F", 4), ("M", 6)):
            Answer.objects.create(
                response=response, question=questions["staff"], sex=sex, number=Decimal(number)
            )
    # Skilled women above all women: an imported value that a rule refuses.
    Answer.objects.create(
        response=returned, question=questions["staff_digital"], sex="F", number=Decimal(9)
    )
    Answer.objects.create(
        response=returned, question=questions["staff_digital"], sex="M", number=Decimal(2)
    )
    Response.objects.filter(pk=returned.pk).update(status=ResponseStatus.RETURNED)
    Response.objects.filter(pk=waiting.pk).update(
        status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
    )
    ReviewComment.objects.create(response=returned, text="Please check the staff numbers.")
    ReviewComment.objects.create(response=returned, question=questions["systems"], text="How many?")
    ReviewComment.objects.create(
        response=waiting, question=questions["staff"], text="Interns counted?"
    )
    focal = UserFactory(username="noy", first_name="Noy")
    grant(focal, Role.FOCAL_POINT, tree["chanthabuly"])
    reviewer = UserFactory(username="vanh", first_name="Vanh")
    grant(reviewer, Role.REVIEWER, tree["vte"])
    admin = UserFactory(username="admin", first_name="Admin")
    grant(admin, Role.ADMINISTRATOR, tree["nation"])
    individual = make_open_round(
        version=make_version_of_every_kind(code="staff-skills", respondent_type="individual"),
        code="staff-2026",
        targets=[tree["chanthabuly"]],
    )
    link = ShareLink.objects.create(round=individual, organisation=tree["chanthabuly"])
    return {"round": round_, "returned": returned, "waiting": waiting, "link": link}


def browse(browser, live_server, username, width, language):
    context = browser.new_context(
        viewport={"width": width, "height": SIZES[width]}, device_scale_factor=1
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    if username:
        sign_in_any(page, live_server, username)
    return page


def sign_in_any(page, live_server, username):
    if page.context.cookies()[0]["value"] == "lo":
        sign_in(page, live_server, username)
        return
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "a-Strong-pass-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def small_targets(page, selector):
    """Links or buttons under `selector` shorter than 44 px (visible ones)."""
    return page.evaluate(
        """selector => Array.from(document.querySelectorAll(selector))
            .filter(e => e.offsetParent !== null)
            .map(e => e.getBoundingClientRect())
            .filter(r => r.height < 44).length""",
        selector,
    )


def test_the_filling_rail_folds_into_a_menu_on_a_phone(live_server, browser, world, screens):
    returned = world["returned"]
    for width in SIZES:
        for language in ("lo", "en"):
            page = browse(browser, live_server, "noy", width, language)
            # The home card of the returned response counts the reviewer's comments.
            card = page.locator(".home-comments")
            assert card.is_visible() and "2" in card.inner_text()
            no_sideways_scroll(page, width)
            page.screenshot(path=str(screens / f"home_noy_{language}_{width}.png"), full_page=True)
            url = reverse("surveys:response_page", args=[returned.pk, "tech"])
            page.goto(live_server.url + url)
            no_sideways_scroll(page, width)
            first = page.locator(".question").first.bounding_box()
            if width == 360:
                # The rail is a closed menu; the first question starts in the first screen.
                assert page.locator("details.rail-menu").is_visible()
                assert page.locator("details.rail-menu").get_attribute("open") is None
                assert page.locator(".progress-rail").is_hidden()
                assert first["y"] < SIZES[width] * 0.8, first
                page.screenshot(path=str(screens / f"filling_{language}_{width}.png"))
                page.locator("details.rail-menu summary").click()
                menu = page.locator("details.rail-menu .rail-item")
                assert menu.count() == 2
                # The skills pillar holds a refused count: red, never green; the reviewer's
                # comment on a tech question is counted on tech.
                skills = page.locator("details.rail-menu .rail-item").nth(1)
                assert skills.get_attribute("data-state") == "invalid"
                assert skills.locator(".rail-invalid").is_visible()
                assert page.locator("details.rail-menu .rail-comments").count() == 1
                assert small_targets(page, "details.rail-menu .rail-link") == 0
                no_sideways_scroll(page, width)
            else:
                assert page.locator(".progress-rail").is_visible()
                assert page.locator("details.rail-menu").is_hidden()
            # The reviewer's comment is on its question.
            assert page.locator("#q-systems .review-comment").is_visible()
            page.screenshot(
                path=str(screens / f"filling_{language}_{width}_full.png"), full_page=True
            )
            # The check page's link lands on the question with its error, focused.
            page.goto(live_server.url + reverse("surveys:response_check", args=[returned.pk]))
            no_sideways_scroll(page, width)
            page.screenshot(path=str(screens / f"check_{language}_{width}.png"), full_page=True)
            page.locator("#issues a[href*='#q-staff_digital']").click()
            page.wait_for_url("**?check=1#q-staff_digital")
            assert page.locator("#q-staff_digital.has-error .field-errors").inner_text().strip()
            focused = page.evaluate("document.activeElement.id")
            assert focused == "id-q-staff_digital-F", focused
            page.screenshot(path=str(screens / f"filling_linked_{language}_{width}.png"))
            page.context.close()


def test_review_progress_and_home_read_on_a_phone(live_server, browser, world, screens):
    waiting = world["waiting"]
    pages = {
        "home": reverse("home"),
        "review_list": reverse("surveys:review_list"),
        "review": reverse("surveys:review_detail", args=[waiting.pk]),
        "approve": reverse("surveys:review_approve", args=[waiting.pk]),
        "progress": reverse("surveys:progress", args=[world["round"].code]),
        "progress_organisations": reverse(
            "surveys:progress_organisations", args=[world["round"].code]
        ),
    }
    for username in ("vanh", "admin"):
        for width in SIZES:
            for language in ("lo", "en"):
                page = browse(browser, live_server, username, width, language)
                for name, path in pages.items():
                    page.goto(live_server.url + path)
                    no_sideways_scroll(page, width)
                    page.screenshot(
                        path=str(screens / f"{name}_{username}_{language}_{width}.png"),
                        full_page=True,
                    )
                    if width == 360:
                        assert small_targets(page, ".table-stack a") == 0, name
                if width == 360:
                    # A progress row is a card: the header row is hidden, each count names
                    # its column.
                    page.goto(live_server.url + pages["progress"])
                    assert page.locator(".table-stack thead").first.is_hidden()
                    label = page.evaluate(
                        """() => getComputedStyle(document.querySelector(
                            '.table-stack tbody td[data-label]'), '::before').content"""
                    )
                    assert label.strip('"') and label != "none"
                page.context.close()


def test_the_review_summary_jumps_and_approving_asks_first(live_server, browser, world):
    waiting = world["waiting"]
    page = browse(browser, live_server, "vanh", 360, "en")
    page.goto(live_server.url + reverse("surveys:review_detail", args=[waiting.pk]))
    summary = page.locator(".review-summary")
    assert "1 skipped (did not apply)" in summary.inner_text()
    summary.locator("a[href='#rq-staff']").click()
    page.wait_for_url("**#rq-staff")
    assert page.locator("#rq-staff").is_visible()
    assert page.locator("#rq-website_url").get_attribute("data-state") == "skipped"
    assert page.locator("#rq-systems").get_attribute("data-state") == "unanswered"
    page.get_by_role("link", name="Approve…").click()
    page.get_by_role("heading", name="Approve this response?").wait_for()
    waiting.refresh_from_db()
    assert waiting.status == ResponseStatus.SUBMITTED  # nothing happens before the confirmation
    page.get_by_role("button", name="Yes, approve").click()
    page.wait_for_url("**/review/*/")
    waiting.refresh_from_db()
    assert waiting.status == ResponseStatus.APPROVED
    page.context.close()


def test_the_anonymous_form_lists_every_problem_on_a_phone(live_server, browser, world, screens):
    for width in SIZES:
        for language in ("lo", "en"):
            page = browse(browser, live_server, None, width, language)
            page.context.add_init_script(path=str(AXE))
            page.goto(
                live_server.url + reverse("surveys:individual_form", args=[world["link"].token])
            )
            page.locator("#individual-form button[type=submit]").click()
            page.locator("#form-problems").wait_for()
            assert not _violations(page), (width, language)
            links = page.locator("#form-problems a")
            assert links.count() == 5  # sex, age, has a website, connection, staff
            no_sideways_scroll(page, width)
            page.screenshot(path=str(screens / f"individual_{language}_{width}.png"))
            links.nth(3).click()
            page.wait_for_url("**#q-connectivity")
            assert page.locator("#q-connectivity").is_visible()
            page.context.close()


def test_a_refused_value_turns_its_pillar_red_live_and_never_says_saved(
    live_server, browser, world
):
    returned = world["returned"]
    page = browse(browser, live_server, "noy", 1280, "en")
    page.goto(live_server.url + reverse("surveys:response_page", args=[returned.pk, "tech"]))
    tech = page.locator(".progress-rail .rail-item").first
    assert tech.get_attribute("data-state") == "partial"
    page.fill("#id-q-systems", "500")
    page.wait_for_selector("#save-status:has-text('Some answers were not saved')", timeout=15000)
    assert tech.get_attribute("data-state") == "invalid"
    assert tech.locator(".rail-invalid").is_visible()
    assert "text-bg-success" not in tech.locator(".rail-count").get_attribute("class")
    assert page.locator("#q-systems .field-errors").inner_text().strip()
    page.fill("#id-q-systems", "5")
    page.wait_for_selector("#save-status:has-text('All changes saved')", timeout=15000)
    assert tech.get_attribute("data-state") == "partial"
    assert tech.locator(".rail-invalid").is_hidden()
    page.context.close()


def test_every_choice_is_a_44_px_row_on_a_phone(live_server, browser, world, screens):
    page = browse(browser, live_server, None, 360, "lo")
    page.goto(live_server.url + reverse("surveys:individual_form", args=[world["link"].token]))
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll('#individual-form .form-check'))
            .filter(e => e.offsetParent !== null)
            .map(e => e.getBoundingClientRect().height)"""
    )
    assert rows and min(rows) >= 44, rows
    no_sideways_scroll(page, 360)
    page.screenshot(path=str(screens / "individual_choices_lo_360.png"), full_page=True)
    page.context.close()


def test_the_signposts_pass_axe_at_360_and_1280_in_both_languages(live_server, browser, world):
    """The pages with every signpost shown (a red pillar, comments on the rail, the question and
    the check page, the folded rail, the review summary and the approval step): no serious or
    critical axe-core violation."""
    returned, waiting = world["returned"], world["waiting"]
    pages = {
        "noy": [
            reverse("surveys:response_page", args=[returned.pk, "tech"]),
            reverse("surveys:response_page", args=[returned.pk, "skills"]) + "?check=1",
            reverse("surveys:response_check", args=[returned.pk]),
            reverse("home"),
        ],
        "vanh": [
            reverse("surveys:review_detail", args=[waiting.pk]),
            reverse("surveys:review_approve", args=[waiting.pk]),
            reverse("surveys:progress", args=[world["round"].code]),
        ],
    }
    found = []
    for username, paths in pages.items():
        for width in SIZES:
            for language in ("lo", "en"):
                page = browse(browser, live_server, username, width, language)
                page.context.add_init_script(path=str(AXE))
                for path in paths:
                    page.goto(live_server.url + path)
                    if width == 360 and page.locator("details.rail-menu").count():
                        page.locator("details.rail-menu summary").click()  # the open menu too
                    found += [(path, width, language, v) for v in _violations(page)]
                page.context.close()
    assert not found, "\n".join(f"{p} {w} {lang} {v['id']} {v['nodes']}" for p, w, lang, v in found)
