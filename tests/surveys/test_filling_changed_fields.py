"""Two focal points with the same page open: only what each one changed is saved or can
conflict, so nobody's work is put back (issue 9, point 8).

Each session loads the page through the view and posts the form as a browser would (every
field of the page, with the values it shows, and the hidden fields the page carries)."""

from decimal import Decimal

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from organisations.models import OrganisationKind, Role
from surveys.models import Response
from surveys.selectors.answers import answers_load
from tests.factories import UserFactory, grant, make_filling_round, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sessions(db):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    district = make_organisation(code="LA0101", kind=OrganisationKind.DISTRICT, parent=nation)
    round_ = make_filling_round(organisations=[district])
    response = Response.objects.get(round=round_, organisation=district)
    clients = []
    for username, name in (("noy", "Noy"), ("bounmy", "Bounmy")):
        user = UserFactory(username=username, first_name=name)
        grant(user, Role.FOCAL_POINT, district)
        client = Client()
        client.force_login(user)
        clients.append(client)
    first = clients[0]
    url = reverse("surveys:response_page", args=[response.pk, "tech"])
    form = load_form(first, url)
    form.update({"q-connectivity": ["shared"], "q-has_website": ["no"], "q-systems": ["3"]})
    assert first.post(url, form).status_code == 302
    return {"response": response, "noy": clients[0], "bounmy": clients[1], "url": url}


def load_form(client: Client, url: str) -> dict[str, list[str]]:
    """The filling form's fields as a browser would post them, as the page shows them."""
    page = client.get(url)
    assert page.status_code == 200
    form = lxml.html.fromstring(page.content.decode()).get_element_by_id("filling-form")
    data: dict[str, list[str]] = {}
    for element in form.iter("input", "textarea", "select"):
        name = element.get("name")
        if not name or element.get("type") == "submit":
            continue
        if element.get("type") in ("radio", "checkbox"):
            if element.get("checked") is None:
                data.setdefault(name, [])
                continue
            data.setdefault(name, []).append(element.get("value", "on"))
        elif element.tag == "textarea":
            data.setdefault(name, []).append(element.text or "")
        else:
            data.setdefault(name, []).append(element.get("value", ""))
    return {name: values for name, values in data.items() if values}


def test_two_people_changing_different_questions_of_one_page_both_keep_their_work(
    two_sessions,
):
    url, response = two_sessions["url"], two_sessions["response"]
    noy_form = load_form(two_sessions["noy"], url)
    bounmy_form = load_form(two_sessions["bounmy"], url)

    noy_form["q-systems"] = ["5"]
    assert two_sessions["noy"].post(url, noy_form).status_code == 302
    # Bounmy loaded the page before Noy saved; he changes only the connection.
    bounmy_form["q-connectivity"] = ["dedicated"]
    saved = two_sessions["bounmy"].post(url, bounmy_form)

    assert saved.status_code == 302  # no conflict: he never touched the number of systems
    values = answers_load(response)
    assert values["systems"] == 5  # Noy's change is not put back
    assert values["connectivity"] == "dedicated"
    assert values["has_website"] == "no"


def test_autosave_of_a_different_question_is_not_a_conflict_either(two_sessions):
    url, response = two_sessions["url"], two_sessions["response"]
    autosave = reverse("surveys:response_autosave", args=[response.pk, "tech"])
    noy_form = load_form(two_sessions["noy"], url)
    bounmy_form = load_form(two_sessions["bounmy"], url)
    noy_form["q-systems"] = ["5"]
    assert two_sessions["noy"].post(autosave, noy_form).status_code == 200
    bounmy_form["q-has_website"] = ["yes"]
    bounmy_form["q-website_url"] = ["https://district.gov.la"]
    result = two_sessions["bounmy"].post(autosave, bounmy_form)
    assert result.status_code == 200, result.content
    values = answers_load(response)
    assert values["systems"] == 5
    assert values["website_url"] == "https://district.gov.la"


def test_the_same_question_changed_by_both_is_a_conflict_and_mine_keeps_the_rest(
    two_sessions,
):
    url, response = two_sessions["url"], two_sessions["response"]
    noy_form = load_form(two_sessions["noy"], url)
    bounmy_form = load_form(two_sessions["bounmy"], url)
    noy_form["q-systems"] = ["5"]
    noy_form["q-connectivity"] = ["none"]
    assert two_sessions["noy"].post(url, noy_form).status_code == 302

    bounmy_form["q-systems"] = ["7"]
    conflict = two_sessions["bounmy"].post(url, bounmy_form)
    assert conflict.status_code == 409
    page = lxml.html.fromstring(conflict.content.decode())
    resolve_names = {e.get("name") for e in page.iter("input") if e.get("type") == "radio"}
    assert resolve_names == {"resolve-systems"}  # only the question both changed
    assert answers_load(response)["systems"] == 5  # nothing written yet

    # He keeps his value, posting the conflict form as the page renders it.
    resolution = {}
    for element in page.get_element_by_id("conflict").iter("input"):
        if element.get("type") == "radio":
            continue
        resolution.setdefault(element.get("name"), []).append(element.get("value"))
    resolution["resolve-systems"] = ["mine"]
    resolution["action"] = ["save"]
    assert two_sessions["bounmy"].post(url, resolution).status_code == 302
    values = answers_load(response)
    assert values["systems"] == 7
    assert values["connectivity"] == "none"  # Noy's other change is not reverted by "mine"


def test_the_same_value_typed_by_both_is_not_a_conflict(two_sessions):
    url, response = two_sessions["url"], two_sessions["response"]
    noy_form = load_form(two_sessions["noy"], url)
    bounmy_form = load_form(two_sessions["bounmy"], url)
    noy_form["q-systems"] = ["6"]
    assert two_sessions["noy"].post(url, noy_form).status_code == 302
    bounmy_form["q-systems"] = ["6"]
    assert two_sessions["bounmy"].post(url, bounmy_form).status_code == 302
    assert answers_load(response)["systems"] == 6


def test_an_unchanged_field_spelt_differently_is_not_a_change(two_sessions):
    """The loaded value and the posted one are compared as answers, not as text."""
    url, response = two_sessions["url"], two_sessions["response"]
    noy_form = load_form(two_sessions["noy"], url)
    bounmy_form = load_form(two_sessions["bounmy"], url)
    noy_form["q-systems"] = ["5"]
    assert two_sessions["noy"].post(url, noy_form).status_code == 302
    bounmy_form["q-systems"] = [" 3 "]  # the same 3 he loaded
    bounmy_form["q-connectivity"] = ["dedicated"]
    assert two_sessions["bounmy"].post(url, bounmy_form).status_code == 302
    assert answers_load(response)["systems"] == 5


def test_skills_page_counts_by_sex_merge_per_question(two_sessions):
    response = two_sessions["response"]
    url = reverse("surveys:response_page", args=[response.pk, "skills"])
    first = load_form(two_sessions["noy"], url)
    first.update({"q-staff-F": ["10"], "q-staff-M": ["12"], "q-budget_share": ["2.5"]})
    assert two_sessions["noy"].post(url, first).status_code in (200, 302)
    noy_form = load_form(two_sessions["noy"], url)
    bounmy_form = load_form(two_sessions["bounmy"], url)
    noy_form["q-staff-M"] = ["13"]
    two_sessions["noy"].post(url, noy_form)
    bounmy_form["q-budget_share"] = ["2.75"]
    two_sessions["bounmy"].post(url, bounmy_form)
    values = answers_load(response)
    assert values["staff"] == {"F": 10, "M": 13}
    assert values["budget_share"] == Decimal("2.75")
