"""The pages that list organisations or responses run the same number of SQL queries whatever
the number of organisations: each is measured on a world, then again after ten more
organisations (with their responses in every status) join it. A count that grows is an N+1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.models import OrganisationKind, Role
from surveys.models import Response, ResponseStatus, ReviewComment
from tests.factories import (
    UserFactory,
    grant,
    make_open_round,
    make_organisation,
    make_version_of_every_kind,
)

# Small absolute bounds: sessions, the user, roles, the page's own reads and the home sections.
MAX_QUERIES = 30

STATUSES = [
    ResponseStatus.DRAFT,
    ResponseStatus.SUBMITTED,
    ResponseStatus.RETURNED,
    ResponseStatus.APPROVED,
]


@pytest.fixture
def world(tree):
    version = make_version_of_every_kind()
    round_ = make_open_round(
        version=version, targets=[tree["chanthabuly"], tree["luang"], tree["health_lpb"]]
    )
    users = {}
    for role, node in (
        (Role.FOCAL_POINT, tree["vte"]),
        (Role.REVIEWER, tree["vte"]),
        (Role.ANALYST, tree["nation"]),
        (Role.ADMINISTRATOR, tree["nation"]),
    ):
        users[role] = UserFactory(username=f"bounds_{role}")
        grant(users[role], role, node)
    world = {"round": round_, "users": users, "tree": tree, "added": 0}
    add_organisations(world, 3)
    return world


def add_organisations(world: dict, count: int) -> None:
    """`count` more districts of Vientiane and departments of the ministry in the round, each
    with a response in a different status (and a review comment on the returned ones), each
    held by the focal point."""
    tree, round_ = world["tree"], world["round"]
    reviewer = world["users"][Role.REVIEWER]
    for _ in range(count):
        world["added"] += 1
        number = world["added"]
        if number % 2:
            parent, kind = tree["vte"], OrganisationKind.DISTRICT
            code = f"LA01{50 + number:02d}"
        else:
            parent, kind = tree["moh"], OrganisationKind.DEPARTMENT
            code = f"MOH-D{number:02d}"
        organisation = make_organisation(code=code, kind=kind, parent=parent)
        round_.targets.add(organisation)
        # A focal point may hold many organisations: their home lists a response for each.
        grant(world["users"][Role.FOCAL_POINT], Role.FOCAL_POINT, organisation)
        status = STATUSES[number % len(STATUSES)]
        response = Response.objects.create(
            round=round_,
            organisation=organisation,
            status=status,
            submitted_at=None if status == ResponseStatus.DRAFT else timezone.now(),
            submitted_by=None if status == ResponseStatus.DRAFT else reviewer,
        )
        if status == ResponseStatus.RETURNED:
            ReviewComment.objects.create(response=response, author=reviewer, text="Check")


def query_count(client, user, url: str, params: dict | None = None) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, params or {})
    assert page.status_code == 200
    return len(queries)


def pages(world: dict) -> list[tuple[str, object, str, dict]]:
    users, code = world["users"], world["round"].code
    progress_list = reverse("surveys:progress_organisations", args=[code])
    return [
        ("home as focal point", users[Role.FOCAL_POINT], reverse("home"), {}),
        ("home as reviewer", users[Role.REVIEWER], reverse("home"), {}),
        ("home as analyst", users[Role.ANALYST], reverse("home"), {}),
        ("home as administrator", users[Role.ADMINISTRATOR], reverse("home"), {}),
        ("review list", users[Role.REVIEWER], reverse("surveys:review_list"), {}),
        (
            "review list, every status",
            users[Role.ADMINISTRATOR],
            reverse("surveys:review_list"),
            {"status": ResponseStatus.RETURNED},
        ),
        ("progress", users[Role.ADMINISTRATOR], reverse("surveys:progress", args=[code]), {}),
        (
            "progress as reviewer",
            users[Role.REVIEWER],
            reverse("surveys:progress", args=[code]),
            {},
        ),
        ("progress list", users[Role.ADMINISTRATOR], progress_list, {}),
        (
            "progress list of a group",
            users[Role.ADMINISTRATOR],
            progress_list,
            {"axis": "ministry", "group": "MOH", "column": "expected"},
        ),
        ("rounds list", users[Role.ADMINISTRATOR], reverse("surveys:round_list"), {}),
        # Issue 12, point 1: every list page, searched, filtered and on its last page.
        (
            "review list, searched and sorted",
            users[Role.ADMINISTRATOR],
            reverse("surveys:review_list"),
            {"status": "all", "q": "LA01", "kind": "district", "sort": "code", "page": "9"},
        ),
        (
            "progress list, searched",
            users[Role.REVIEWER],
            progress_list,
            {"q": "ອົງການ", "kind": "district", "sort": "recent"},
        ),
        (
            "round targets, searched",
            users[Role.ADMINISTRATOR],
            reverse("surveys:round_detail", args=[world["round"].pk]),
            {"q": "la01", "page": "2"},
        ),
        (
            "questionnaires",
            users[Role.ADMINISTRATOR],
            reverse("surveys:questionnaire_list"),
            {"status": "published"},
        ),
        (
            "organisations, searched",
            users[Role.ADMINISTRATOR],
            reverse("organisations:list"),
            {"q": "Organisation", "page": "2"},
        ),
        ("roles", users[Role.ADMINISTRATOR], reverse("organisations:roles"), {"q": "LA01"}),
        (
            "organisation and its units",
            users[Role.ADMINISTRATOR],
            reverse("organisations:detail", args=[world["tree"]["vte"].pk]),
            {"find": "bounds"},
        ),
    ]


def test_the_listing_pages_run_as_many_queries_with_ten_more_organisations(
    client, world, django_assert_max_num_queries
):
    # Warm once: the first request of a test fills per-process caches (content types, sites).
    for _, user, url, params in pages(world):
        query_count(client, user, url, params)
    before = {
        name: query_count(client, user, url, params) for name, user, url, params in pages(world)
    }
    add_organisations(world, 10)
    after = {
        name: query_count(client, user, url, params) for name, user, url, params in pages(world)
    }
    print("\nSQL queries per page (pytest -s):", *(f"{k}: {v}" for k, v in after.items()), sep="\n")
    assert after == before
    # The pages did list the new organisations (the measure would prove nothing otherwise).
    client.force_login(world["users"][Role.FOCAL_POINT])
    assert len(client.get(reverse("home")).context["sections"][0]["context"]["rows"]) == 3 + 10
    for _, user, url, params in pages(world):
        client.force_login(user)
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(url, params)
