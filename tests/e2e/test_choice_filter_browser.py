"""Cascading lists on the filling page in Chromium (issue 15, point 3): the districts offered
follow the province chosen, live, and a district of the other province is unchecked."""

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.models import OrganisationKind, Role
from surveys.models import Answer
from surveys.services.questionnaires import version_publish
from surveys.xlsform import xlsform_import
from tests.e2e.test_filling_browser import sign_in, wait_until_saved
from tests.factories import UserFactory, grant, make_filling_round, make_organisation, make_xlsform
from tests.surveys.test_xlsform_choice_filter import cascade_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def district(page, value):
    return page.locator(f"input[name=q-district][value={value}]")


def test_districts_follow_the_province_live(live_server, phone, screens):
    with translation.override("en"):
        version = xlsform_import(file=make_xlsform(cascade_form()), filename="c.xlsx").version
    version_publish(version=version, user=None)
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    response = make_filling_round(version=version, organisations=[nation]).responses.get()
    grant(UserFactory(username="noy", first_name="Noy"), Role.FOCAL_POINT, nation)

    sign_in(phone, live_server, "noy")
    phone.goto(live_server.url + reverse("surveys:response_page", args=[response.pk, "area"]))
    phone.locator("input[name=q-province][value=VTE]").check()
    district(phone, "LPD").wait_for(state="hidden")
    assert district(phone, "CTB").is_visible() and district(phone, "SST").is_visible()
    district(phone, "SST").check()
    wait_until_saved(phone)
    assert Answer.objects.get(response=response, question__code="district").choices == ["SST"]
    phone.screenshot(path=str(screens / "choice_filter_lo.png"), full_page=True)

    phone.locator("input[name=q-province][value=LPB]").check()
    district(phone, "SST").wait_for(state="hidden")
    assert district(phone, "LPD").is_visible()
    assert not district(phone, "SST").is_checked()  # the other province's district is unchecked
    district(phone, "LPD").check()
    wait_until_saved(phone)
    assert Answer.objects.get(response=response, question__code="district").choices == ["LPD"]
