"""`or_other` on the filling page in Chromium (issue 15, point 3): "Specify other" appears as soon
as "Other" is chosen and goes when another answer is, and the autosave stores the text."""

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.models import OrganisationKind, Role
from surveys.models import Answer
from surveys.services.questionnaires import version_publish
from surveys.xlsform import xlsform_import
from tests.e2e.test_filling_browser import sign_in, wait_until_saved
from tests.factories import UserFactory, grant, make_filling_round, make_organisation, make_xlsform
from tests.surveys.test_xlsform_or_other import or_other_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_specify_other_shows_live_and_is_saved(live_server, phone, screens):
    with translation.override("en"):
        version = xlsform_import(file=make_xlsform(or_other_form()), filename="o.xlsx").version
    version_publish(version=version, user=None)
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    response = make_filling_round(version=version, organisations=[nation]).responses.get()
    grant(UserFactory(username="noy", first_name="Noy"), Role.FOCAL_POINT, nation)

    sign_in(phone, live_server, "noy")
    phone.goto(live_server.url + reverse("surveys:response_page", args=[response.pk, "tech"]))
    specify = phone.locator("#q-hosting_other")
    assert specify.is_hidden()
    phone.locator("input[name=q-hosting][value=other]").check()
    specify.wait_for(state="visible")
    phone.fill("#id-q-hosting_other", "ສູນຂໍ້ມູນ MTC")
    wait_until_saved(phone)
    assert Answer.objects.get(response=response, question__code="hosting_other").text == (
        "ສູນຂໍ້ມູນ MTC"
    )
    phone.screenshot(path=str(screens / "or_other_lo.png"), full_page=True)
    phone.locator("input[name=q-hosting][value=cloud]").check()
    specify.wait_for(state="hidden")
    wait_until_saved(phone)
    assert not Answer.objects.filter(response=response, question__code="hosting_other").exists()
