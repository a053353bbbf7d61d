"""Issue 12, point 3: switching language never loses what the user typed, in real Chromium: the
filling page (its answers are saved before the page reloads), the anonymous form (no draft: the
values are carried through the switch) and another form (a reviewer's comment, the sign-in)."""

import pytest
from django.urls import reverse

from organisations.models import OrganisationKind, Role
from surveys.models import Response, ResponseStatus, ShareLink
from surveys.selectors.answers import answers_load
from tests.e2e.test_filling_browser import sign_in
from tests.factories import (
    UserFactory,
    grant,
    make_filling_round,
    make_open_round,
    make_organisation,
    make_version_of_every_kind,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def to_english(page):
    page.get_by_role("button", name="English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=15000)
    page.wait_for_load_state()


def test_the_filling_page_saves_what_was_typed_before_switching_language(live_server, phone):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    district = make_organisation(code="LA0101", kind=OrganisationKind.DISTRICT, parent=nation)
    round_ = make_filling_round(organisations=[district])
    response = Response.objects.get(round=round_, organisation=district)
    grant(UserFactory(username="noy", first_name="Noy"), Role.FOCAL_POINT, district)
    sign_in(phone, live_server, "noy")
    phone.goto(live_server.url + reverse("surveys:response_page", args=[response.pk, "tech"]))

    # Typed and switched at once, long before the autosave's delay.
    phone.get_by_label("ສາຍສະເພາະ").check()
    phone.fill("#id-q-systems", "7")
    to_english(phone)
    phone.get_by_text("How many information systems do you run?").wait_for()
    assert phone.input_value("#id-q-systems") == "7"
    assert phone.is_checked("input[name=q-connectivity][value=dedicated]")
    # Saved on the server, not only shown: nothing was left to restore from this device.
    assert phone.locator("#restore-notice").is_hidden()
    values = answers_load(response)
    assert values["systems"] == 7 and values["connectivity"] == "dedicated"


def test_the_anonymous_form_keeps_its_answers_through_the_switch(live_server, phone, tree):
    version = make_version_of_every_kind(code="staff-skills", respondent_type="individual")
    round_ = make_open_round(version=version, code="staff-2026", targets=[tree["chanthabuly"]])
    link = ShareLink.objects.create(round=round_, organisation=tree["chanthabuly"])
    phone.goto(live_server.url + reverse("surveys:individual_form", args=[link.token]))

    phone.check("input[name=sex][value=F]")
    phone.check("input[name=age_band][value='25_34']")
    phone.check("input[name=q-has_website][value=yes]")
    phone.locator("#q-website_url").wait_for(state="visible")
    phone.fill("#id-q-website_url", "https://moh.gov.la")
    phone.check("input[name=q-services][value=sms]")
    phone.fill("#id-q-staff-F", "3")
    to_english(phone)
    phone.get_by_text("Has a website?").wait_for()
    phone.wait_for_function(
        "() => document.querySelector('#id-q-website_url').value === 'https://moh.gov.la'",
        timeout=5000,
    )
    assert phone.is_checked("input[name=sex][value=F]")
    assert phone.is_checked("input[name=age_band][value='25_34']")
    assert phone.is_checked("input[name=q-has_website][value=yes]")
    assert phone.locator("#q-website_url").is_visible()  # skip logic followed the values
    assert phone.is_checked("input[name=q-services][value=sms]")
    assert phone.input_value("#id-q-staff-F") == "3"
    assert phone.locator("#q-staff .count-total").count() == 1
    # Switching back keeps them too.
    phone.get_by_role("button", name="ລາວ").click()
    phone.wait_for_function("() => document.documentElement.lang === 'lo'", timeout=15000)
    phone.wait_for_function(
        "() => document.querySelector('#id-q-staff-F').value === '3'", timeout=5000
    )
    assert phone.is_checked("input[name=q-services][value=sms]")


def test_a_reviewers_comment_and_the_sign_in_name_survive_the_switch(live_server, phone, tree):
    round_ = make_filling_round(organisations=[tree["chanthabuly"]])
    response = Response.objects.get(round=round_)
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.SUBMITTED)
    grant(UserFactory(username="vanh", first_name="Vanh"), Role.REVIEWER, tree["vte"])

    phone.goto(f"{live_server.url}/login/")
    phone.fill("input[name=username]", "vanh")
    to_english(phone)
    phone.wait_for_function(
        "() => document.querySelector('input[name=username]').value === 'vanh'", timeout=5000
    )
    phone.fill("input[name=password]", "a-Strong-pass-1")
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(f"{live_server.url}/")

    phone.goto(live_server.url + reverse("surveys:review_detail", args=[response.pk]))
    phone.fill("textarea[name=comment]", "Please give the number of staff again.")
    phone.get_by_role("button", name="ລາວ").click()
    phone.wait_for_function("() => document.documentElement.lang === 'lo'", timeout=15000)
    phone.wait_for_function(
        "() => document.querySelector('textarea[name=comment]').value"
        " === 'Please give the number of staff again.'",
        timeout=5000,
    )
