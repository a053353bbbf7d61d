"""A date question in real Chromium: typed day/month/year in a text field with a Lao hint (not
the browser's mm/dd/yyyy), read by live skip logic as the server reads it, and saved."""

import datetime

import pytest
from django.urls import reverse

from organisations.models import OrganisationKind, Role
from surveys.models import Answer, Question, QuestionKind, Response
from tests.e2e.test_filling_browser import sign_in, wait_until_saved
from tests.factories import UserFactory, grant, make_filling_round, make_organisation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_date_typed_day_month_year_drives_skip_logic_and_is_saved(live_server, phone, screens):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    district = make_organisation(code="LA0101", kind=OrganisationKind.DISTRICT, parent=nation)
    round_ = make_filling_round(organisations=[district])
    training = Question.objects.get(version=round_.version, code="last_training")
    Question.objects.create(
        version=round_.version,
        pillar=training.pillar,
        order=training.order + 1,
        code="training_topic",
        kind=QuestionKind.TEXT,
        label={"lo": "ຫົວຂໍ້ຂອງການຝຶກອົບຮົມ", "en": "Topic of the training"},
        relevant="${last_training} >= '2025-01-01'",
    )
    response = Response.objects.get(round=round_, organisation=district)
    grant(UserFactory(username="noy"), Role.FOCAL_POINT, district)

    sign_in(phone, live_server, "noy")
    phone.goto(live_server.url + reverse("surveys:response_page", args=[response.pk, "skills"]))
    date = phone.locator("#id-q-last_training")
    assert date.get_attribute("type") == "text"
    assert date.get_attribute("placeholder") == "ວວ/ດດ/ປປປປ"
    topic = phone.locator("#q-training_topic")
    assert topic.is_hidden()

    date.fill("7/7/2024")  # before 2025: the topic stays hidden
    phone.locator("#id-q-budget_share").focus()
    assert topic.is_hidden()
    date.fill("07/07/2025")
    topic.wait_for(state="visible")  # the browser read 07/07/2025 as 2025-07-07
    date.scroll_into_view_if_needed()
    phone.screenshot(path=str(screens / "date_field_lo_360.png"))
    phone.fill("#id-q-staff-F", "3")
    phone.fill("#id-q-staff-M", "4")
    phone.fill("#id-q-staff_digital-F", "1")
    phone.fill("#id-q-staff_digital-M", "2")
    wait_until_saved(phone)
    assert Answer.objects.get(response=response, question=training).date == datetime.date(
        2025, 7, 7
    )
