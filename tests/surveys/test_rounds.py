"""Rounds: creation, validation, target list, opening (idempotent) and closing, through views."""

import pytest
from django.urls import reverse

from organisations.models import OrganisationKind, Role
from surveys.models import Response, Round, RoundStatus, VersionStatus
from tests.factories import UserFactory, grant, make_organisation, make_published_version


@pytest.fixture
def setup(db):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    vte = make_organisation(code="LA01", kind=OrganisationKind.PROVINCE, parent=nation)
    lpb = make_organisation(code="LA06", kind=OrganisationKind.PROVINCE, parent=nation)
    districts = [
        make_organisation(code="LA0101", kind=OrganisationKind.DISTRICT, parent=vte),
        make_organisation(code="LA0102", kind=OrganisationKind.DISTRICT, parent=vte),
        make_organisation(code="LA0601", kind=OrganisationKind.DISTRICT, parent=lpb),
    ]
    make_organisation(code="LA0103", kind=OrganisationKind.DISTRICT, parent=vte, active=False)
    admin = UserFactory(username="admin")
    grant(admin, Role.ADMINISTRATOR, nation)
    version = make_published_version()
    return {
        "nation": nation,
        "vte": vte,
        "lpb": lpb,
        "districts": districts,
        "admin": admin,
        "version": version,
    }


def round_data(**overrides):
    data = {
        "code": "dra-2026",
        "name_lo": "ຮອບປີ 2026",
        "name_en": "Round 2026",
        "opens_on": "2026-02-01",
        "closes_on": "2026-04-30",
        "kinds": ["district"],
        "subtrees": "LA01",
        "target_tech": "3",
        "target_skills": "3.5",
        "baseline": "",
    }
    data.update(overrides)
    return data


def new_url(version):
    return reverse("surveys:round_new") + f"?version={version.pk}"


def create(client, setup, **overrides) -> Round:
    client.force_login(setup["admin"])
    result = client.post(new_url(setup["version"]), round_data(**overrides))
    assert result.status_code == 302, result.content.decode()[:2000]
    return Round.objects.get(code=overrides.get("code", "dra-2026"))


def test_an_administrator_creates_a_draft_round_with_targets_resolved_by_kind_and_subtree(
    client, setup
):
    round_ = create(client, setup)
    assert round_.status == RoundStatus.DRAFT
    assert round_.name == {"lo": "ຮອບປີ 2026", "en": "Round 2026"}
    assert round_.pillar_targets == {"tech": 3.0, "skills": 3.5}
    # Active districts of Vientiane Capital only (the inactive one and Luang Prabang are out).
    assert sorted(round_.targets.values_list("code", flat=True)) == ["LA0101", "LA0102"]
    assert round_.created_by == setup["admin"]
    assert not Response.objects.exists()  # nothing until the round opens


def test_no_subtree_targets_the_whole_country(client, setup):
    round_ = create(client, setup, subtrees="")
    assert round_.targets.count() == 3


def test_the_version_step_comes_first(client, setup):
    client.force_login(setup["admin"])
    page = client.get(reverse("surveys:round_new"))
    assert page.status_code == 200
    assert b'name="version"' in page.content
    form = client.get(new_url(setup["version"]))
    assert b'name="target_tech"' in form.content and b'name="target_skills"' in form.content


def test_a_draft_version_cannot_be_chosen(client, setup):
    setup["version"].status = VersionStatus.DRAFT
    setup["version"].save()
    client.force_login(setup["admin"])
    page = client.get(new_url(setup["version"]))
    assert b'name="target_tech"' not in page.content


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_on": "2026-01-01"}, "closes_on"),
        ({"target_tech": "6"}, "target_tech"),
        ({"target_skills": "0.5"}, "target_skills"),
        ({"subtrees": "LA99 NOPE"}, "subtrees"),
        ({"kinds": []}, "kinds"),
        ({"code": "not a slug!"}, "code"),
        ({"opens_on": "31/02/2026"}, "opens_on"),
    ],
)
def test_bad_round_input_is_refused_with_a_message(client, setup, overrides, field):
    client.force_login(setup["admin"])
    page = client.post(new_url(setup["version"]), round_data(**overrides))
    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert not Round.objects.exists()


def test_a_duplicate_code_is_refused(client, setup):
    create(client, setup)
    page = client.post(new_url(setup["version"]), round_data())
    assert "code" in page.context["form"].errors
    assert Round.objects.count() == 1


def test_the_baseline_must_be_a_round_of_the_same_questionnaire(client, setup):
    first = create(client, setup)
    other_version = make_published_version(code="other")
    from surveys.models import Round as RoundModel

    foreign = RoundModel.objects.create(
        code="foreign",
        version=other_version,
        name={"en": "x"},
        opens_on="2025-01-01",
        closes_on="2025-02-01",
    )
    page = client.post(
        new_url(setup["version"]), round_data(code="dra-2027", baseline=str(foreign.pk))
    )
    assert "baseline" in page.context["form"].errors
    second = create(client, setup, code="dra-2028", baseline=str(first.pk))
    assert second.baseline == first


def test_the_target_list_can_be_adjusted_before_opening(client, setup):
    round_ = create(client, setup)
    detail = client.get(reverse("surveys:round_detail", args=[round_.pk]))
    assert b"LA0101" in detail.content
    targets_url = reverse("surveys:round_targets", args=[round_.pk])
    client.post(targets_url, {"remove": [str(setup["districts"][0].pk)]})
    client.post(targets_url, {"codes": "LA0601, LA06"})
    assert sorted(round_.targets.values_list("code", flat=True)) == ["LA0102", "LA06", "LA0601"]
    client.post(targets_url, {"codes": "LA0601 UNKNOWN"})
    assert round_.targets.count() == 3  # all or nothing


def test_target_changes_are_counted_in_the_readers_language(client, setup):
    round_ = create(client, setup)
    targets_url = reverse("surveys:round_targets", args=[round_.pk])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.post(targets_url, {"codes": "LA06"}, follow=True).content.decode()
    assert "1 organisation added to the targets." in page
    client.post(reverse("set_language"), {"language": "lo", "next": "/"})
    page = client.post(targets_url, {"codes": "LA0601, LA01"}, follow=True).content.decode()
    assert "ເພີ່ມອົງການຈັດຕັ້ງ 2 ແຫ່ງເຂົ້າໃນເປົ້າໝາຍແລ້ວ." in page


def test_opening_creates_one_response_per_target_and_a_second_click_creates_nothing(client, setup):
    round_ = create(client, setup)
    url = reverse("surveys:round_open", args=[round_.pk])
    client.post(url)
    client.post(url)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN and round_.opened_at is not None
    responses = Response.objects.filter(round=round_)
    assert sorted(responses.values_list("organisation__code", flat=True)) == ["LA0101", "LA0102"]
    assert set(responses.values_list("status", flat=True)) == {"draft"}


def test_an_open_round_cannot_be_edited_or_its_targets_changed(client, setup):
    round_ = create(client, setup)
    client.post(reverse("surveys:round_open", args=[round_.pk]))
    client.post(reverse("surveys:round_edit", args=[round_.pk]), round_data(closes_on="2026-12-31"))
    client.post(reverse("surveys:round_targets", args=[round_.pk]), {"codes": "LA0601"})
    round_.refresh_from_db()
    assert str(round_.closes_on) == "2026-04-30"
    assert round_.targets.count() == 2


def test_a_round_without_targets_does_not_open(client, setup):
    round_ = create(client, setup, kinds=["village"])
    result = client.post(reverse("surveys:round_open", args=[round_.pk]), follow=True)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT
    assert result.status_code == 200


def test_closing_a_round_stops_filling(client, setup):
    round_ = create(client, setup)
    client.post(reverse("surveys:round_open", args=[round_.pk]))
    client.post(reverse("surveys:round_close", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    client.post(reverse("surveys:round_open", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED


def test_editing_a_draft_round_changes_its_selection(client, setup):
    round_ = create(client, setup)
    result = client.post(
        reverse("surveys:round_edit", args=[round_.pk]), round_data(subtrees="LA06")
    )
    assert result.status_code == 302
    assert list(round_.targets.values_list("code", flat=True)) == ["LA0601"]


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.REVIEWER, Role.ANALYST])
def test_only_platform_administrators_manage_rounds(client, setup, role):
    round_ = create(client, setup)
    user = UserFactory(username=f"u-{role}")
    grant(user, role, setup["nation"])
    client.force_login(user)
    for url in [
        reverse("surveys:round_list"),
        reverse("surveys:round_new"),
        reverse("surveys:round_detail", args=[round_.pk]),
        reverse("surveys:round_edit", args=[round_.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("surveys:round_open", args=[round_.pk])).status_code == 404
    assert not Response.objects.exists()


def test_a_provincial_administrator_is_not_a_platform_administrator(client, setup):
    user = UserFactory(username="prov-admin")
    grant(user, Role.ADMINISTRATOR, setup["vte"])
    client.force_login(user)
    assert client.get(reverse("surveys:round_list")).status_code == 404


def test_the_home_page_shows_rounds_to_the_administrator(client, setup):
    round_ = create(client, setup)
    page = client.get(reverse("home"))
    assert reverse("surveys:round_detail", args=[round_.pk]).encode() in page.content


def test_round_counts_are_right_and_never_multiply_targets_by_responses(client, setup):
    """A national round has ~10,000 targets and responses: counting both through joins of one
    query would build 100 million rows (it filled the disk on the benchmark round)."""
    from surveys.selectors.rounds import rounds_for_admin

    round_ = create(client, setup)
    client.post(reverse("surveys:round_open", args=[round_.pk]))
    row = rounds_for_admin().get(pk=round_.pk)
    assert (row.target_count, row.response_count, row.submitted_count) == (2, 2, 0)
    sql = str(rounds_for_admin().query)
    assert 'JOIN "surveys_response"' not in sql and 'JOIN "surveys_round_targets"' not in sql
