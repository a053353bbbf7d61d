"""A focal point fills a page with real Chromium at phone width: autosave, reload, live skip
logic and the live total of a count by sex."""

import pytest
from django.urls import reverse

from organisations.models import OrganisationKind, Role
from surveys.models import Response
from surveys.selectors.answers import answers_load
from tests.factories import UserFactory, grant, make_filling_round, make_organisation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVED = "ບັນທຶກການປ່ຽນແປງທັງໝົດແລ້ວ"  # "All changes saved" in Lao
NOT_SAVED = "ຍັງບໍ່ໄດ້ບັນທຶກ"  # "Not saved" in Lao


def wait_until_saved(page):
    """The status line says saved and no unsaved copy is left in localStorage."""
    page.wait_for_selector(f"#save-status:has-text('{SAVED}')", timeout=15000)
    page.wait_for_function(
        "() => !Object.keys(localStorage).some(k => k.startsWith('readiness:response:'))",
        timeout=15000,
    )


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "a-Strong-pass-1")
    page.get_by_role("button", name="ເຂົ້າສູ່ລະບົບ").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_focal_point_fills_a_page_that_autosaves_and_skips_live(live_server, phone, screens):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    district = make_organisation(code="LA0101", kind=OrganisationKind.DISTRICT, parent=nation)
    round_ = make_filling_round(organisations=[district])
    response = Response.objects.get(round=round_, organisation=district)
    user = UserFactory(username="noy", first_name="Noy")
    grant(user, Role.FOCAL_POINT, district)

    sign_in(phone, live_server, "noy")
    url = live_server.url + reverse("surveys:response_page", args=[response.pk, "tech"])
    phone.goto(url)
    website = phone.locator("#q-website_url")
    assert website.is_hidden()  # skip logic: no website yet

    phone.get_by_label("ສາຍສະເພາະ").check()  # connectivity: dedicated line
    phone.get_by_label("ມີ", exact=True).check()  # has a website: yes
    website.wait_for(state="visible")  # shown live, without a reload
    phone.fill("#id-q-website_url", "https://noy.gov.la")
    phone.fill("#id-q-systems", "4")
    wait_until_saved(phone)
    assert answers_load(response)["website_url"] == "https://noy.gov.la"

    phone.reload()
    assert phone.locator("#restore-notice").is_hidden()  # everything was saved: nothing to restore
    assert phone.input_value("#id-q-website_url") == "https://noy.gov.la"
    assert phone.input_value("#id-q-systems") == "4"
    assert phone.is_checked("input[name=q-connectivity][value=dedicated]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(screens / "filling_lo.png"), full_page=True)

    phone.get_by_label("ບໍ່ມີ", exact=True).check()  # no website: the question hides live
    website.wait_for(state="hidden")
    wait_until_saved(phone)
    assert "website_url" not in answers_load(response)

    # Count by sex: the total is derived live from women and men.
    phone.goto(live_server.url + reverse("surveys:response_page", args=[response.pk, "skills"]))
    phone.fill("#id-q-staff-F", "7")
    phone.fill("#id-q-staff-M", "5")
    assert phone.locator("#q-staff .count-total").text_content() == "12"
    wait_until_saved(phone)
    assert answers_load(response)["staff"] == {"F": 7, "M": 5}
    phone.screenshot(path=str(screens / "filling_skills_lo.png"), full_page=True)


def test_a_dropped_connection_is_retried_and_a_closed_tab_is_restored(live_server, phone):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    district = make_organisation(code="LA0101", kind=OrganisationKind.DISTRICT, parent=nation)
    round_ = make_filling_round(organisations=[district])
    response = Response.objects.get(round=round_, organisation=district)
    user = UserFactory(username="noy", first_name="Noy")
    grant(user, Role.FOCAL_POINT, district)

    sign_in(phone, live_server, "noy")
    url = live_server.url + reverse("surveys:response_page", args=[response.pk, "tech"])
    phone.goto(url)
    # The connection drops: the page says the change is not saved, and retries.
    phone.route("**/autosave/", lambda route: route.abort("internetdisconnected"))
    phone.fill("#id-q-systems", "9")
    phone.wait_for_selector(f"#save-status:has-text('{NOT_SAVED}')", timeout=15000)
    assert "systems" not in answers_load(response)
    phone.unroute("**/autosave/")
    wait_until_saved(phone)
    assert answers_load(response)["systems"] == 9

    # A tab closed before its last save left its copy on this device: the next visit
    # restores it, says so, and saves it.
    key = f"readiness:response:{response.pk}:tech"
    phone.evaluate(
        """key => localStorage.setItem(key, JSON.stringify({
            entries: [["q-systems", "12"]], lock: document.querySelector(
                "input[name=lock_version]").value, at: Date.now()}))""",
        key,
    )
    phone.goto(url)
    assert phone.input_value("#id-q-systems") == "12"
    assert phone.locator("#restore-notice").is_visible()
    wait_until_saved(phone)
    assert answers_load(response)["systems"] == 12


def test_two_focal_points_on_one_page_never_revert_each_other(live_server, browser):
    """Two real browser sessions with the same page open: a different question each merges
    (nothing put back), the same value is no conflict, a different value is a conflict."""
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    district = make_organisation(code="LA0101", kind=OrganisationKind.DISTRICT, parent=nation)
    round_ = make_filling_round(organisations=[district])
    response = Response.objects.get(round=round_, organisation=district)
    pages = {}
    for username in ("noy", "bounmy"):
        grant(
            UserFactory(username=username, first_name=username.title()), Role.FOCAL_POINT, district
        )
        context = browser.new_context(viewport={"width": 800, "height": 900})
        pages[username] = context.new_page()
        sign_in(pages[username], live_server, username)
    noy, bounmy = pages["noy"], pages["bounmy"]
    url = live_server.url + reverse("surveys:response_page", args=[response.pk, "tech"])
    noy.goto(url)
    bounmy.goto(url)

    noy.fill("#id-q-systems", "5")
    wait_until_saved(noy)
    bounmy.get_by_label("ສາຍສະເພາະ").check()  # connectivity: dedicated line, another question
    wait_until_saved(bounmy)
    assert bounmy.locator("#conflict-panel").is_hidden()
    values = answers_load(response)
    assert values["systems"] == 5  # Noy's answer is not put back by Bounmy's page
    assert values["connectivity"] == "dedicated"

    noy.fill("#id-q-systems", "8")
    wait_until_saved(noy)
    bounmy.fill("#id-q-systems", "8")  # the same value: nothing to choose
    wait_until_saved(bounmy)
    assert bounmy.locator("#conflict-panel").is_hidden()

    noy.fill("#id-q-systems", "10")
    wait_until_saved(noy)
    bounmy.fill("#id-q-systems", "11")  # a different value of the same question
    bounmy.wait_for_selector("#conflict-panel input[name=resolve-systems]", timeout=15000)
    assert bounmy.locator("#conflict-panel input[name=resolve-connectivity]").count() == 0
    assert answers_load(response)["systems"] == 10
    bounmy.check("#resolve-systems-mine")
    bounmy.click("#conflict-panel button[type=submit]")
    bounmy.wait_for_load_state()
    bounmy.wait_for_function(
        "() => document.querySelector('#id-q-systems') &&"
        " document.querySelector('#id-q-systems').value === '11'",
        timeout=15000,
    )
    values = answers_load(response)
    assert values["systems"] == 11
    assert values["connectivity"] == "dedicated"
    for page in pages.values():
        page.context.close()
