"""The audit history of a response, written by the real answer service and shown to reviewers
and administrators only."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from organisations.models import Role
from surveys.models import Response, ResponseStatus
from surveys.services.answers import answers_write
from surveys.services.responses import response_approve
from tests.factories import UserFactory, grant, make_open_round, make_version_of_every_kind

# Approving is confirmed on a page of its own; its form sends this.
CONFIRMED = {"confirmed": "yes"}


@pytest.fixture
def setup(tree):
    version = make_version_of_every_kind()
    round_ = make_open_round(version=version, targets=[tree["chanthabuly"], tree["health_lpb"]])
    focal = UserFactory(username="somsak", first_name="Somsak", last_name="Phommachanh")
    grant(focal, Role.FOCAL_POINT, tree["chanthabuly"])
    response = Response.objects.get(round=round_, organisation=tree["chanthabuly"])
    return {"round": round_, "response": response, "focal": focal, **tree}


def history_rows(client, response) -> list[tuple[str, str, str, str]]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("surveys:review_detail", args=[response.pk]))
    assert page.status_code == 200
    return [(e.who, e.what, e.old, e.new) for e in page.context["history"]]


def test_answer_changes_and_skip_logic_deletions_are_shown_with_who_and_old_and_new(client, setup):
    response, focal = setup["response"], setup["focal"]
    answers_write(
        response=response,
        values={"has_website": "yes", "website_url": "https://a.gov.la", "staff": {"F": 3, "M": 4}},
        user=focal,
    )
    answers_write(response=response, values={"staff": {"F": 5, "M": 4}}, user=focal)
    # Saying "no" hides the website question: its answer is deleted, and that shows.
    answers_write(response=response, values={"has_website": "no"}, user=focal)
    reviewer = UserFactory(username="reviewer")
    grant(reviewer, Role.REVIEWER, setup["vte"])
    client.force_login(reviewer)
    rows = history_rows(client, response)
    assert ("Somsak Phommachanh", "Staff (Women)", "3", "5") in rows
    assert ("Somsak Phommachanh", "Staff (Women)", "", "3") in rows
    removed = "(removed: no longer asked, by the skip logic of another answer)"
    assert ("Somsak Phommachanh", "Website", "https://a.gov.la", removed) in rows
    assert ("Somsak Phommachanh", "Has a website?", "Yes", "No") in rows
    # Men did not change in the second save: no row for it.
    assert [r for r in rows if r[1] == "Staff (Men)"] == [
        ("Somsak Phommachanh", "Staff (Men)", "", "4")
    ]


@pytest.mark.parametrize(
    ("role", "node", "allowed"),
    [
        (Role.REVIEWER, "vte", True),
        (Role.ADMINISTRATOR, "nation", True),
        (Role.REVIEWER, "lpb", False),
        (Role.ANALYST, "nation", False),
        (Role.FOCAL_POINT, "chanthabuly", False),
    ],
)
def test_the_history_is_shown_to_reviewers_and_administrators_in_scope_only(
    client, setup, role, node, allowed
):
    user = UserFactory(username=f"{role}-{node}")
    grant(user, role, setup[node])
    client.force_login(user)
    page = client.get(reverse("surveys:review_detail", args=[setup["response"].pk]))
    assert page.status_code == (200 if allowed else 404)


def test_a_ministry_reviewer_reviews_its_sector_offices_in_the_provinces(client, setup):
    health = Response.objects.get(round=setup["round"], organisation=setup["health_lpb"])
    Response.objects.filter(pk=health.pk).update(status=ResponseStatus.SUBMITTED)
    reviewer = UserFactory(username="moh")
    grant(reviewer, Role.REVIEWER, setup["moh"])
    client.force_login(reviewer)
    client.post(reverse("surveys:review_approve", args=[health.pk]), CONFIRMED)
    health.refresh_from_db()
    assert health.status == ResponseStatus.APPROVED
    assert (
        client.get(reverse("surveys:review_detail", args=[setup["response"].pk])).status_code == 404
    )


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_approve_once(tree):
    version = make_version_of_every_kind()
    round_ = make_open_round(version=version, targets=[tree["chanthabuly"]])
    response = Response.objects.get(round=round_)
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.SUBMITTED)
    reviewers = [UserFactory(username=f"r{i}") for i in range(2)]
    outcomes: list[bool] = []
    barrier = threading.Barrier(2)

    def approve(user) -> None:
        try:
            barrier.wait()
            outcomes.append(response_approve(response_id=response.pk, user=user)[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, True]
    statuses = list(response.history.values_list("status", flat=True))
    assert statuses.count(ResponseStatus.APPROVED) == 1
