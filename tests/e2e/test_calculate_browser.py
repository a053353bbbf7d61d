"""A calculate is live in the browser (issue 15, point 1): with real Chromium, a question whose
`relevant` reads a calculate shows and hides as the answers it computes from change, the
server stores the calculate with the autosave, and on another page `${calc}` (computed from
the first page's answers) decides what is asked."""

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.models import OrganisationKind, Role
from surveys.models import Answer
from surveys.services.questionnaires import version_publish
from surveys.xlsform import xlsform_import
from tests.e2e.test_filling_browser import sign_in, wait_until_saved
from tests.factories import UserFactory, grant, make_filling_round, make_organisation, make_xlsform
from tests.surveys.test_xlsform_calculate import calculate_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_calculate_drives_skip_logic_live_and_across_pages(live_server, phone, browser, screens):
    with translation.override("en"):
        version = xlsform_import(file=make_xlsform(calculate_form()), filename="c.xlsx").version
    version_publish(version=version, user=None)
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    response = make_filling_round(version=version, organisations=[nation]).responses.get()
    grant(UserFactory(username="noy", first_name="Noy"), Role.FOCAL_POINT, nation)

    sign_in(phone, live_server, "noy")
    tech = live_server.url + reverse("surveys:response_page", args=[response.pk, "tech"])
    phone.goto(tech)
    why = phone.locator("#q-why_few")
    assert phone.locator("#q-per_staff").count() == 0  # a calculate is never shown
    phone.fill("#id-q-computers", "1")
    phone.fill("#id-q-staff", "4")
    why.wait_for(state="visible")  # 1 div 4 < 0.5, computed in the page
    phone.fill("#id-q-computers", "8")
    why.wait_for(state="hidden")  # 8 div 4 = 2: hidden without a reload
    wait_until_saved(phone)
    assert Answer.objects.get(response=response, question__code="per_staff").text == "2"
    phone.screenshot(path=str(screens / "calculate_tech_lo.png"), full_page=True)

    # The people page: its plan is asked when per_staff (of the tech page) is at least 1.
    people = live_server.url + reverse("surveys:response_page", args=[response.pk, "people"])
    phone.goto(people)
    phone.locator("#q-plan").wait_for(state="visible")
    phone.get_by_label("ແມ່ນ", exact=True).check()
    wait_until_saved(phone)
    assert Answer.objects.get(response=response, question__code="label_of").text == "planned"

    # Back on tech, fewer computers: the plan's page no longer asks for it.
    phone.goto(tech)
    phone.fill("#id-q-computers", "2")
    wait_until_saved(phone)
    assert not Answer.objects.filter(response=response, question__code="plan").exists()
    wide = browser.new_page(viewport={"width": 1280, "height": 800})
    sign_in(wide, live_server, "noy")
    wide.goto(people)
    assert wide.locator("#q-plan").is_hidden()
    wide.screenshot(path=str(screens / "calculate_people_1280_lo.png"), full_page=True)
    wide.close()
