"""No list stops silently (issue 12, point 1): every list page is paged with "N–M of T" and
reaches its last row, is searched by organisation code (any case) or Lao or English name,
filtered, sorted by what the user needs first; bad page numbers and garbage parameters never
fail; paging keeps the filters and never a csrf token."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from organisations.models import OrganisationKind, Role, RoleAssignment
from readiness.paging import PAGE_SIZE
from surveys.models import (
    Questionnaire,
    Response,
    ResponseStatus,
    Round,
    RoundStatus,
)
from surveys.services.answers import answers_write
from surveys.views import review as review_views
from surveys.views import rounds as rounds_views
from tests.factories import (
    UserFactory,
    grant,
    make_open_round,
    make_organisation,
    make_version_of_every_kind,
)

COUNT = PAGE_SIZE + 5  # more rows than a page

LAO_NAMES = ["ໄຊເສດຖາ", "ສີໂຄດຕະບອງ", "ນາຊາຍທອງ", "ຫາດຊາຍຟອງ", "ສັງທອງ"]


@pytest.fixture
def country(tree):
    """COUNT districts of Vientiane, each with a Lao and an English name, targets of an open
    round whose responses were submitted one day apart (the first is the oldest)."""
    districts = [
        make_organisation(
            code=f"LA01{10 + n:02d}",
            kind=OrganisationKind.DISTRICT,
            parent=tree["vte"],
            name={"lo": f"{LAO_NAMES[n % 5]} {n}", "en": f"District number {n}"},
        )
        for n in range(COUNT)
    ]
    version = make_version_of_every_kind()
    round_ = make_open_round(version=version, targets=districts)
    start = timezone.now() - datetime.timedelta(days=COUNT + 1)
    for n, district in enumerate(districts):
        Response.objects.filter(round=round_, organisation=district).update(
            status=ResponseStatus.SUBMITTED, submitted_at=start + datetime.timedelta(days=n)
        )
    admin = UserFactory(username="admin")
    grant(admin, Role.ADMINISTRATOR, tree["nation"])
    reviewer = UserFactory(username="reviewer")
    grant(reviewer, Role.REVIEWER, tree["vte"])
    return {"districts": districts, "round": round_, "admin": admin, "reviewer": reviewer, **tree}


def get(client, user, url, params=None, language="en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(url, params or {})
    assert page.status_code == 200, (url, params, page.status_code)
    return page


def last_page(client, user, url, params=None):
    """The first page, then the page its "last" link leads to (the link as the page has it)."""
    first = get(client, user, url, params)
    pager = first.context["pager"]
    html = first.content.decode()
    link = pager.links["last"]
    assert link and link.replace("&", "&amp;") in html
    return first, get(client, user, url + link.split("#")[0])


def shown_range(page) -> str:
    match = re.search(r"data-pager-count>([^<]*)<", page.content.decode())
    assert match, "no 'N–M of T' on the page"
    return match.group(1)


def test_the_review_list_reaches_its_last_response_oldest_waiting_first(client, country):
    url = reverse("surveys:review_list")
    first, last = last_page(client, country["reviewer"], url)
    districts = country["districts"]
    assert shown_range(first) == f"1–{PAGE_SIZE} of {COUNT}"
    assert shown_range(last) == f"{PAGE_SIZE + 1}–{COUNT} of {COUNT}"
    # Oldest waiting first: the first submitted heads the list, the last one ends it.
    assert first.context["pager"].object_list[0].organisation == districts[0]
    assert list(last.context["pager"].object_list)[-1].organisation == districts[-1]
    # The filters travel with the pages.
    _first, last = last_page(client, country["reviewer"], url, {"kind": "district", "sort": ""})
    assert "kind=district" in last.context["pager"].url(1)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ສີໂຄດຕະບອງ", {1, 6, 11}),  # Lao name (the first matches among those numbered < 15)
        ("district number 1", {1, 10, 11, 12, 13, 14}),  # English, any letter case
        ("la0112", {2}),  # code, any letter case
    ],
)
def test_the_review_list_is_searched_by_lao_or_english_name_or_code(
    client, country, search, expected
):
    page = get(client, country["reviewer"], reverse("surveys:review_list"), {"q": search})
    found = {country["districts"].index(r.organisation) for r in page.context["pager"].object_list}
    assert {n for n in found if n < 15} == expected


def test_a_page_past_the_last_shows_the_last_and_says_so(client, country):
    page = get(client, country["reviewer"], reverse("surveys:review_list"), {"page": "999"})
    assert page.context["pager"].number == 2
    assert "There is no page 999" in page.content.decode()
    lao = get(client, country["reviewer"], reverse("surveys:review_list"), {"page": "999"}, "lo")
    assert "There is no page" not in lao.content.decode()  # said in Lao


@pytest.mark.parametrize(
    "garbage",
    [
        {"page": "abc"},
        {"page": "-3"},
        {"status": "evil", "kind": "nope", "sort": "drop table", "round": "x"},
        {"q": "\x00"},
        {"csrfmiddlewaretoken": "secret", "unknown": "1"},
    ],
)
def test_garbage_parameters_change_nothing(client, country, garbage):
    url = reverse("surveys:review_list")
    plain = get(client, country["reviewer"], url)
    spoiled = get(client, country["reviewer"], url, garbage)
    assert list(spoiled.context["pager"].object_list) == list(plain.context["pager"].object_list)
    pager = spoiled.context["pager"]
    assert "secret" not in pager.query and "unknown" not in pager.query


def test_the_progress_drill_down_pages_searches_and_links_each_response(
    client, country, monkeypatch
):
    monkeypatch.setattr(review_views, "PROGRESS_PAGE_SIZE", 20)
    round_, districts = country["round"], country["districts"]
    url = reverse("surveys:progress_organisations", args=[round_.code])
    params = {"axis": "province", "group": "LA01", "column": "submitted"}
    first, last = last_page(client, country["admin"], url, params)
    assert shown_range(last) == f"41–{COUNT} of {COUNT}"
    assert "group=LA01" in last.context["pager"].url(1)
    # Quietest first: the response changed longest ago comes first.
    Response.objects.filter(organisation=districts[7]).update(
        updated_at=timezone.now() - datetime.timedelta(days=400)
    )
    first = get(client, country["admin"], url, params)
    head = first.context["pager"].object_list[0]
    assert head == districts[7]
    html = first.content.decode()
    response = Response.objects.get(organisation=districts[7])
    assert reverse("surveys:review_detail", args=[response.pk]) in html
    assert "Last change" in html
    found = get(client, country["admin"], url, {**params, "q": "ຫາດຊາຍຟອງ 43"})
    assert [o.code for o in found.context["pager"].object_list] == [districts[43].code]


def test_the_rounds_list_pages_open_rounds_first_and_searches(client, country):
    version = country["round"].version
    today = timezone.localdate()
    Round.objects.bulk_create(
        Round(
            code=f"old-{n}",
            version=version,
            name={"lo": f"ຮອບເກົ່າ {n}", "en": f"Old round {n}"},
            opens_on=today - datetime.timedelta(days=400 - n),
            closes_on=today - datetime.timedelta(days=300 - n),
            status=RoundStatus.CLOSED,
        )
        for n in range(COUNT)
    )
    first, last = last_page(client, country["admin"], reverse("surveys:round_list"))
    assert first.context["pager"].object_list[0] == country["round"]  # the open one first
    assert shown_range(last) == f"{PAGE_SIZE + 1}–{COUNT + 1} of {COUNT + 1}"
    found = get(client, country["admin"], reverse("surveys:round_list"), {"q": "ຮອບເກົ່າ 12"})
    assert [r.code for r in found.context["pager"].object_list] == ["old-12"]
    closed = get(client, country["admin"], reverse("surveys:round_list"), {"status": "open"})
    assert list(closed.context["pager"].object_list) == [country["round"]]


def test_a_rounds_targets_are_paged_and_searched(client, country, monkeypatch):
    monkeypatch.setattr(rounds_views, "TARGETS_PAGE_SIZE", 20)
    url = reverse("surveys:round_detail", args=[country["round"].pk])
    _first, last = last_page(client, country["admin"], url)
    assert shown_range(last) == f"41–{COUNT} of {COUNT}"
    found = get(client, country["admin"], url, {"q": "District Number 42"})
    assert [o.code for o in found.context["pager"].object_list] == ["LA0152"]


def test_the_questionnaires_list_is_paged_and_searched(client, country):
    Questionnaire.objects.bulk_create(
        Questionnaire(code=f"q{n:02d}", title={"lo": f"ແບບສອບຖາມ {n}", "en": f"Survey {n}"})
        for n in range(25)
    )
    url = reverse("surveys:questionnaire_list")
    _first, last = last_page(client, country["admin"], url)
    assert last.context["pager"].number == 2
    found = get(client, country["admin"], url, {"q": "ແບບສອບຖາມ 17"})
    assert [q.code for q in found.context["pager"].object_list] == ["q17"]


def test_organisations_are_searched_by_name_or_code_and_paged(client, country):
    url = reverse("organisations:list")
    _first, last = last_page(client, country["admin"], url, {"q": "la01"})
    # LA01 itself, Chanthabuly, its village and the COUNT districts.
    assert last.context["pager"].total == COUNT + 3
    found = get(client, country["admin"], url, {"q": "ນາຊາຍທອງ 2", "kind": "district"})
    assert {o.code for o in found.context["pager"].object_list} >= {"LA0112"}
    children = reverse("organisations:detail", args=[country["vte"].pk])
    _first, last = last_page(client, country["admin"], children)
    assert shown_range(last) == f"{PAGE_SIZE + 1}–{COUNT + 1} of {COUNT + 1}"


def test_roles_are_searched_by_organisation_name_and_filtered_by_role(client, country):
    focal = UserFactory(username="somchai", first_name="Somchai")
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=focal, role=Role.FOCAL_POINT, organisation=district)
        for district in country["districts"]
    )
    url = reverse("organisations:roles")
    _first, last = last_page(client, country["admin"], url, {"role": Role.FOCAL_POINT})
    assert shown_range(last) == f"{PAGE_SIZE + 1}–{COUNT} of {COUNT}"
    found = get(client, country["admin"], url, {"q": "ສັງທອງ 44"})
    assert [a.organisation.code for a in found.context["pager"].object_list] == ["LA0154"]


def test_role_assignment_finds_a_user_by_name(client, country):
    UserFactory(username="kp1", first_name="Khamphone", last_name="Sisavath")
    UserFactory(username="kp2", first_name="Khamphone", last_name="Vongsa")
    url = reverse("organisations:detail", args=[country["districts"][0].pk])
    found = get(client, country["admin"], url, {"find": "khamphone"})
    assert [u.username for u in found.context["found"].object_list] == ["kp1", "kp2"]
    assert "?user=kp2#give-role" in found.content.decode()
    assign = reverse("organisations:role_assign", args=[country["districts"][0].pk])
    several = client.post(assign, {"username": "Khamphone", "role": Role.FOCAL_POINT})
    assert several.status_code == 400 and "kp1" in several.content.decode()
    one = client.post(assign, {"username": "vongsa", "role": Role.FOCAL_POINT})
    assert one.status_code == 302
    assert RoleAssignment.objects.filter(
        user__username="kp2", organisation=country["districts"][0]
    ).exists()


def test_the_history_of_a_response_is_paged_to_its_first_change(client, country):
    response = Response.objects.get(organisation=country["districts"][0])
    for n in range(COUNT):
        answers_write(response=response, values={"computers": n}, user=country["admin"])
    url = reverse("surveys:review_detail", args=[response.pk])
    first = get(client, country["reviewer"], url)
    pager = first.context["history_pager"]
    assert pager.total > PAGE_SIZE and pager.links["last"].endswith("#history")
    last = get(client, country["reviewer"], url + pager.links["last"].split("#")[0])
    assert last.context["history"][-1].what == "Response created"


def test_an_import_with_more_problems_than_listed_says_how_many_are_shown(client, country):
    import pandas as pd
    from django.core.files.uploadedfile import SimpleUploadedFile

    from surveys.views.imports import PROBLEMS_LISTED

    rows = [{"organisation": f"NOWHERE-{n}", "computers": "1"} for n in range(PROBLEMS_LISTED + 5)]
    upload = SimpleUploadedFile("kobo.csv", pd.DataFrame(rows).to_csv(index=False).encode())
    client.force_login(country["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(
        reverse("surveys:responses_import"), {"round": country["round"].pk, "file": upload}
    )
    assert page.status_code == 400
    total = page.context["problem_count"]
    assert total > PROBLEMS_LISTED and len(page.context["problems"]) == PROBLEMS_LISTED
    assert f"The first {PROBLEMS_LISTED} of {total} problems are listed" in page.content.decode()
