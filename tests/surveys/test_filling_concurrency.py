"""Races with real transactions: two submits at once, two saves at once, two opens at once."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from organisations.models import OrganisationKind, Role
from surveys.models import Response, ResponseStatus, Round, RoundStatus
from surveys.selectors.answers import answers_load
from surveys.services.rounds import round_open
from tests.factories import (
    UserFactory,
    grant,
    make_filling_round,
    make_organisation,
    make_published_version,
)

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*actions):
    """Runs the actions in threads released at the same moment; returns their results."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def worker(index, action):
        try:
            barrier.wait()
            results[index] = action()
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def complete_response():
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    district = make_organisation(code="LA0101", kind=OrganisationKind.DISTRICT, parent=nation)
    round_ = make_filling_round(organisations=[district])
    response = Response.objects.get(round=round_, organisation=district)
    focal = UserFactory(username="focal")
    grant(focal, Role.FOCAL_POINT, district)
    colleague = UserFactory(username="colleague")
    grant(colleague, Role.FOCAL_POINT, district)
    client = Client()
    client.force_login(focal)
    tech = {"q-connectivity": "shared", "q-has_website": "no", "q-systems": "3"}
    client.post(
        reverse("surveys:response_page", args=[response.pk, "tech"]), {"lock_version": "0", **tech}
    )
    skills = {
        "q-staff-F": "3",
        "q-staff-M": "4",
        "q-staff_digital-F": "1",
        "q-staff_digital-M": "2",
    }
    client.post(
        reverse("surveys:response_page", args=[response.pk, "skills"]),
        {"lock_version": "1", **skills},
    )
    response.refresh_from_db()
    return {"response": response, "focal": focal, "colleague": colleague}


def test_two_submits_at_the_same_moment_submit_once(complete_response):
    response = complete_response["response"]
    url = reverse("surveys:response_submit", args=[response.pk])
    data = {"lock_version": str(response.lock_version)}

    def submit(user):
        def action():
            client = Client()
            client.force_login(user)
            return client.post(url, data).status_code

        return action

    codes = run_together(submit(complete_response["focal"]), submit(complete_response["colleague"]))
    assert codes == [302, 302]
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    transitions = response.history.filter(status=ResponseStatus.SUBMITTED)
    assert len({record.lock_version for record in transitions}) == 1


def test_two_saves_of_the_same_field_at_once_never_lose_one_silently(complete_response):
    response = complete_response["response"]
    url = reverse("surveys:response_autosave", args=[response.pk, "tech"])
    base = {
        "lock_version": str(response.lock_version),
        "q-connectivity": "shared",
        "q-has_website": "no",
    }

    def save(user, systems):
        def action():
            client = Client()
            client.force_login(user)
            return client.post(url, {**base, "q-systems": systems}).status_code

        return action

    codes = run_together(
        save(complete_response["focal"], "5"), save(complete_response["colleague"], "6")
    )
    # One is saved, the other is told about the conflict; the stored value is the saved one.
    assert sorted(codes) == [200, 409]
    winner = "5" if codes[0] == 200 else "6"
    assert answers_load(response)["systems"] == int(winner)


def test_two_clicks_on_open_create_each_response_once():
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    districts = [
        make_organisation(code=f"LA01{i:02d}", kind=OrganisationKind.DISTRICT, parent=nation)
        for i in range(1, 6)
    ]
    round_ = Round.objects.create(
        code="race",
        version=make_published_version(),
        name={"lo": "ຮອບ", "en": "Round"},
        opens_on="2026-01-01",
        closes_on="2026-12-31",
    )
    round_.targets.set(districts)
    created = run_together(
        lambda: round_open(round_=Round.objects.get(pk=round_.pk)),
        lambda: round_open(round_=Round.objects.get(pk=round_.pk)),
    )
    assert sorted(created) == [0, 5]
    assert Response.objects.filter(round=round_).count() == 5
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.OPEN
