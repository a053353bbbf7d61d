"""An individual round's administrator sees the share link of every target organisation, with
or without a focal point, with a copy button and a QR code made on the server (issue 12,
point 4); nobody else reaches the page (404), and an organisation questionnaire's round has
none. The round's confirmation texts speak of respondents."""

import datetime

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Role
from surveys.models import Round, RoundStatus, ShareLink
from surveys.services.rounds import round_open
from tests.factories import UserFactory, grant, make_open_round, make_published_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_round(tree):
    """An individual round opened by the service (which makes the links) for three targets;
    only Chanthabuly has a focal point."""
    version = make_published_version(code="staff", respondent_type="individual")
    today = timezone.localdate()
    round_ = Round.objects.create(
        code="staff2026", version=version, name={"lo": "ຮອບພະນັກງານ", "en": "Staff round"},
        opens_on=today, closes_on=today + datetime.timedelta(days=30),
    )  # fmt: skip
    round_.targets.set([tree["chanthabuly"], tree["luang"], tree["village"]])
    round_open(round_=round_)
    focal = UserFactory(username="focal_chanthabuly")
    grant(focal, Role.FOCAL_POINT, tree["chanthabuly"])
    return round_


def _user(role, organisation, name):
    user = UserFactory(username=name)
    grant(user, role, organisation)
    return user


def test_the_administrator_sees_every_targets_link_with_a_copy_button_and_a_qr_code(
    client, staff_round, tree
):
    client.force_login(_user(Role.ADMINISTRATOR, tree["nation"], "national_admin"))
    answer = client.get(reverse("surveys:round_share_links", args=[staff_round.pk]))
    assert answer.status_code == 200
    page = lxml.html.fromstring(answer.content)
    links = {link.organisation.code: link.token for link in ShareLink.objects.all()}
    assert set(links) == {"LA0101", "LA0601", "LA0101001"}  # with or without a focal point
    fields = page.xpath("//input[@data-select-on-click]")
    assert sorted(f.get("value") for f in fields) == sorted(
        "http://testserver" + reverse("surveys:individual_form", args=[token])
        for token in links.values()
    )
    for field in fields:
        button = page.xpath(f'//button[@data-copy-target="{field.get("id")}"]')
        assert button and button[0].text_content().strip()
    qr_codes = page.xpath('//svg[contains(@class, "share-qr")]')
    assert len(qr_codes) == 3 and all(svg.xpath(".//path") for svg in qr_codes)
    assert "1–3" in answer.content.decode()  # the list says where it is
    scripts = [s.get("src") for s in page.xpath("//script")]
    assert any(src.endswith("js/share_links.js") for src in scripts if src)


def test_the_search_finds_one_organisation(client, staff_round, tree):
    client.force_login(_user(Role.ADMINISTRATOR, tree["nation"], "national_admin"))
    answer = client.get(reverse("surveys:round_share_links", args=[staff_round.pk]), {"q": "0601"})
    page = lxml.html.fromstring(answer.content)
    assert [f.get("id") for f in page.xpath("//input[@data-select-on-click]")] == [
        f"link-{tree['luang'].pk}"
    ]


@pytest.mark.parametrize(
    "role,where",
    [
        (Role.ANALYST, "nation"),
        (Role.REVIEWER, "nation"),
        (Role.FOCAL_POINT, "chanthabuly"),
        (Role.ADMINISTRATOR, "vte"),  # a province's administrator does not run rounds
    ],
)
def test_no_one_else_reaches_the_page(client, staff_round, tree, role, where):
    client.force_login(_user(role, tree[where], f"user_{role}_{where}"))
    url = reverse("surveys:round_share_links", args=[staff_round.pk])
    assert client.get(url).status_code == 404


def test_a_round_without_share_links_is_a_404(client, tree):
    client.force_login(_user(Role.ADMINISTRATOR, tree["nation"], "national_admin"))
    organisations = make_open_round(version=make_published_version(), targets=[tree["vte"]])
    assert (
        client.get(reverse("surveys:round_share_links", args=[organisations.pk])).status_code == 404
    )
    draft = make_open_round(
        version=make_published_version(code="staff-draft", respondent_type="individual"),
        code="draft2026",
        targets=[tree["vte"]],
    )
    Round.objects.filter(pk=draft.pk).update(status=RoundStatus.DRAFT)
    assert client.get(reverse("surveys:round_share_links", args=[draft.pk])).status_code == 404
    assert client.get(reverse("surveys:round_share_links", args=[10**9])).status_code == 404


def test_an_individual_rounds_texts_speak_of_respondents(client, tree):
    client.force_login(_user(Role.ADMINISTRATOR, tree["nation"], "national_admin"))
    client.cookies["django_language"] = "en"
    version = make_published_version(code="staff", respondent_type="individual")
    round_ = make_open_round(version=version, code="staff2026", targets=[tree["vte"]])
    page = client.get(reverse("surveys:round_detail", args=[round_.pk])).content.decode()
    assert reverse("surveys:round_share_links", args=[round_.pk]) in page
    assert "Respondents can no longer answer through the share links" in page
    assert "Focal points can no longer" not in page
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.DRAFT)
    page = client.get(reverse("surveys:round_detail", args=[round_.pk])).content.decode()
    assert "each as an anonymous respondent" in page and "focal points can start" not in page
