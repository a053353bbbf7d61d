"""What an administrator reads on the round, progress and questionnaire pages (Lao by default):
confirmations before what cannot be undone, names instead of codes, a way back, paged lists."""

import re

from django.urls import reverse

from surveys.views import review as review_views
from surveys.xlsform import xlsform_import
from tests.factories import full_xlsform_sheets, make_xlsform
from tests.surveys.test_questionnaire_views import admin_client  # noqa: F401 (fixture)
from tests.surveys.test_rounds import create, setup  # noqa: F401 (fixture)


def confirm_of(html: str, action: str) -> str:
    """The question a form posting to `action` asks before it is sent ('' when none)."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>', html)
    assert form, action
    question = re.search(r'data-confirm="([^"]*)"', form.group(0))
    return question.group(1) if question else ""


def test_opening_and_closing_a_round_ask_first_and_say_what_happens(client, setup):  # noqa: F811
    round_ = create(client, setup)
    detail = reverse("surveys:round_detail", args=[round_.pk])
    page = client.get(detail).content.decode()
    question = confirm_of(page, reverse("surveys:round_open", args=[round_.pk]))
    assert "2" in question and "ຜູ້ປະສານງານ" in question
    client.post(reverse("surveys:round_open", args=[round_.pk]))
    page = client.get(detail).content.decode()
    assert "ປິດຮອບການປະເມີນດຽວນີ້" in confirm_of(page, reverse("surveys:round_close", args=[round_.pk]))
    assert reverse("surveys:progress", args=[round_.code]) in page


def test_the_round_page_names_the_pillar_targets_in_the_reader_language(client, setup):  # noqa: F811
    round_ = create(client, setup)
    page = client.get(reverse("surveys:round_detail", args=[round_.pk])).content.decode()
    assert "ທັກສະ ແລະ ການສ້າງຄວາມອາດສາມາດ: <strong>3.5</strong>" in page
    assert "skills: 3.5" not in page


def test_unknown_target_codes_say_that_nothing_was_added(client, setup):  # noqa: F811
    round_ = create(client, setup)
    client.cookies["django_language"] = "en"
    page = client.post(
        reverse("surveys:round_targets", args=[round_.pk]), {"codes": "LA0601 NOPE"}, follow=True
    ).content.decode()
    assert "No organisation was added: Unknown organisation codes: NOPE. Correct the codes" in page
    assert round_.targets.count() == 2


def test_the_organisations_behind_a_progress_number_are_counted_and_paged(
    client,
    setup,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(review_views, "PROGRESS_PAGE_SIZE", 1)
    round_ = create(client, setup)
    client.post(reverse("surveys:round_open", args=[round_.pk]))
    url = reverse("surveys:progress_organisations", args=[round_.code])
    first = client.get(url, {"axis": "province", "column": "expected"})
    html = first.content.decode()
    assert [o.code for o in first.context["organisations"]] == ["LA0101"]
    assert "2 ອົງການຈັດຕັ້ງ" in html
    assert "?axis=province&amp;column=expected&amp;page=2" in html
    second = client.get(url, {"axis": "province", "column": "expected", "page": 2})
    assert [o.code for o in second.context["organisations"]] == ["LA0102"]
    progress = client.get(reverse("surveys:progress", args=[round_.code])).content.decode()
    assert reverse("surveys:round_detail", args=[round_.pk]) in progress


def test_a_version_names_its_languages_and_what_a_missing_text_lacks(admin_client):  # noqa: F811
    sheets = full_xlsform_sheets()
    sheets["survey"].append(["text", "lao_only", "ພາສາລາວເທົ່ານັ້ນ", ""])
    version = xlsform_import(file=make_xlsform(sheets), filename="f.xlsx").version
    detail = admin_client.get(reverse("surveys:version_detail", args=[version.pk]))
    assert "ພາສາລາວ, ພາສາອັງກິດ" in detail.content.decode()
    publish = admin_client.get(reverse("surveys:version_publish", args=[version.pk]))
    html = publish.content.decode()
    assert "ພາສາອັງກິດ (en)" in html
    assert reverse("surveys:questionnaire_upload") in html
