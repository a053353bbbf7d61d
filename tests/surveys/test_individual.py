"""Individual questionnaires through the views: the share link on the focal point's home page,
the public form without an account, double POST, rate limit, and the 404 cases."""

import re

import pytest
from django.urls import reverse

from organisations.models import Role
from surveys.models import Answer, Response, ResponseStatus, RoundStatus, ShareLink
from tests.factories import (
    UserFactory,
    grant,
    make_filling_round,
    make_open_round,
    make_version_of_every_kind,
)

GOOD_ANSWERS = {
    "sex": "F",
    "age_band": "25_34",
    "q-has_website": "yes",
    "q-website_url": "https://moh.gov.la",
    "q-connectivity": "fast",
    "q-services": ["web", "sms"],
    "q-staff-F": "3",
    "q-staff-M": "2",
}


@pytest.fixture
def link(tree):
    version = make_version_of_every_kind(code="staff-skills", respondent_type="individual")
    round_ = make_open_round(version=version, code="staff-2026", targets=[tree["chanthabuly"]])
    return ShareLink.objects.create(round=round_, organisation=tree["chanthabuly"])


def form_nonce(client, link) -> str:
    page = client.get(reverse("surveys:individual_form", args=[link.token]))
    assert page.status_code == 200
    return re.search(r'name="nonce" value="([^"]+)"', page.content.decode()).group(1)


def test_the_focal_point_sees_a_link_to_share_on_the_home_page(client, tree):
    version = make_version_of_every_kind(code="staff-skills", respondent_type="individual")
    # Opening the round makes the link; the home page only shows it.
    make_filling_round(version=version, code="staff-2026", organisations=[tree["chanthabuly"]])
    focal = UserFactory(username="focal")
    grant(focal, Role.FOCAL_POINT, tree["chanthabuly"])
    client.force_login(focal)
    page = client.get(reverse("home"))
    link = ShareLink.objects.get(organisation=tree["chanthabuly"])
    assert reverse("surveys:individual_form", args=[link.token]) in page.content.decode()
    # A focal point of another organisation gets no link to it.
    other = UserFactory(username="other")
    grant(other, Role.FOCAL_POINT, tree["luang"])
    client.force_login(other)
    assert link.token not in client.get(reverse("home")).content.decode()


def test_an_anonymous_respondent_answers_once_and_the_response_is_submitted(client, link):
    nonce = form_nonce(client, link)
    page = client.post(
        reverse("surveys:individual_form", args=[link.token]), {**GOOD_ANSWERS, "nonce": nonce}
    )
    assert page.status_code == 302
    response = Response.objects.get(is_individual=True)
    assert (response.organisation, response.round) == (link.organisation, link.round)
    assert (response.respondent_sex, response.respondent_age_band) == ("F", "25_34")
    assert response.status == ResponseStatus.SUBMITTED
    stored = {(a.question.code, a.sex): a for a in Answer.objects.filter(response=response)}
    assert stored[("services", "")].choices == ["web", "sms"]
    assert stored[("staff", "F")].number == 3 and stored[("staff", "M")].number == 2


def test_posting_the_same_form_twice_creates_one_response(client, link):
    nonce = form_nonce(client, link)
    url = reverse("surveys:individual_form", args=[link.token])
    first = client.post(url, {**GOOD_ANSWERS, "nonce": nonce})
    second = client.post(url, {**GOOD_ANSWERS, "nonce": nonce, "sex": "M"})
    assert first.status_code == second.status_code == 302
    assert Response.objects.filter(is_individual=True).count() == 1
    # A new visit (a new form) is a new respondent.
    client.post(url, {**GOOD_ANSWERS, "nonce": form_nonce(client, link)})
    assert Response.objects.filter(is_individual=True).count() == 2


def test_invalid_answers_are_shown_and_nothing_is_stored(client, link):
    nonce = form_nonce(client, link)
    url = reverse("surveys:individual_form", args=[link.token])
    bad = {
        **GOOD_ANSWERS,
        "nonce": nonce,
        "q-connectivity": "<script>x</script>",
        "q-staff-F": "-4",
    }
    page = client.post(url, bad)
    assert page.status_code == 400
    assert "<script>x" not in page.content.decode()
    rows = {field["code"]: field["errors"] for field in page.context["fields"]}
    assert rows["connectivity"] and rows["staff"]
    no_sex = {key: value for key, value in GOOD_ANSWERS.items() if key != "sex"}
    assert client.post(url, {**no_sex, "nonce": nonce}).status_code == 400
    assert not Response.objects.filter(is_individual=True).exists()
    # The same nonce still works once the answers are fixed.
    assert client.post(url, {**GOOD_ANSWERS, "nonce": nonce}).status_code == 302


def test_a_forged_nonce_is_refused(client, link):
    url = reverse("surveys:individual_form", args=[link.token])
    page = client.post(url, {**GOOD_ANSWERS, "nonce": "made-up"})
    assert page.status_code == 400
    assert not Response.objects.filter(is_individual=True).exists()


def test_too_many_submissions_from_one_address_get_a_429(client, link, settings):
    settings.INDIVIDUAL_SUBMISSIONS_PER_HOUR = 2
    url = reverse("surveys:individual_form", args=[link.token])
    for _ in range(2):
        assert (
            client.post(url, {**GOOD_ANSWERS, "nonce": form_nonce(client, link)}).status_code == 302
        )
    page = client.post(url, {**GOOD_ANSWERS, "nonce": form_nonce(client, link)})
    assert page.status_code == 429
    assert Response.objects.filter(is_individual=True).count() == 2
    # Another address is not blocked.
    other = client.post(
        url, {**GOOD_ANSWERS, "nonce": form_nonce(client, link)}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


def test_unknown_inactive_or_closed_links_are_404(client, link):
    assert client.get(reverse("surveys:individual_form", args=["nope"])).status_code == 404
    url = reverse("surveys:individual_form", args=[link.token])
    link.active = False
    link.save()
    assert client.get(url).status_code == 404
    link.active = True
    link.save()
    link.round.status = RoundStatus.CLOSED
    link.round.save()
    assert client.get(url).status_code == 404
    assert client.post(url, GOOD_ANSWERS).status_code == 404
    assert not Response.objects.filter(is_individual=True).exists()


def test_a_link_to_an_organisation_questionnaire_is_404(client, tree):
    version = make_version_of_every_kind(code="org")
    round_ = make_open_round(version=version, targets=[tree["chanthabuly"]])
    link = ShareLink.objects.create(round=round_, organisation=tree["chanthabuly"])
    assert client.get(reverse("surveys:individual_form", args=[link.token])).status_code == 404
