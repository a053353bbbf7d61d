"""Questionnaire pages through the test client: upload, list, detail, preview in Lao and
English, publish with its checks, new draft, download; only platform administrators."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from organisations.models import Role
from surveys.models import QuestionnaireVersion, VersionStatus
from surveys.xlsform import xlsform_import
from tests.factories import UserFactory, full_xlsform_sheets, grant, make_xlsform


@pytest.fixture
def admin_client(client, tree):
    user = UserFactory()
    grant(user, Role.ADMINISTRATOR, tree["nation"])
    client.force_login(user)
    return client


@pytest.fixture
def draft(db):
    return xlsform_import(file=make_xlsform(full_xlsform_sheets()), filename="f.xlsx").version


def upload(client, content, name="form.xlsx", publish=False):
    data = {"file": SimpleUploadedFile(name, content)}
    if publish:
        data["publish"] = "on"
    return client.post(reverse("surveys:questionnaire_upload"), data, HTTP_ACCEPT_LANGUAGE="en")


def test_an_administrator_uploads_a_form_and_lands_on_the_draft(admin_client):
    response = upload(admin_client, make_xlsform(full_xlsform_sheets()))
    version = QuestionnaireVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:version_detail", args=[version.pk])
    assert version.status == VersionStatus.DRAFT
    page = admin_client.get(reverse("surveys:questionnaire_list"))
    assert "dra_test" in page.content.decode()


def test_a_refused_upload_lists_every_problem_and_imports_nothing(admin_client):
    sheets = full_xlsform_sheets()
    sheets["survey"].append(["geopoint", "where", "ທີ່ຕັ້ງ", "Where"])
    sheets["choices"].append(["yes_no", "maybe", "ບາງທີ", "Maybe", "7"])
    response = upload(admin_client, make_xlsform(sheets))
    assert response.status_code == 400
    html = response.content.decode()
    assert "geopoint" in html and "choices" in html and "score" in html
    assert QuestionnaireVersion.objects.count() == 0


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(admin_client):
    response = upload(admin_client, b"hello", name="notes.txt")
    assert response.status_code == 200  # the form itself says why
    # The refusal itself (in Lao, the page's language), not the field label that every
    # render of the page shows.
    with translation.override("lo"):
        refusal = translation.gettext("Only Excel workbooks (.xlsx or .xls) can be imported.")
    assert refusal != "Only Excel workbooks (.xlsx or .xls) can be imported."
    assert refusal in response.content.decode()
    assert response.context["form"].errors["file"] == [refusal]
    assert QuestionnaireVersion.objects.count() == 0


def test_only_platform_administrators_see_the_pages(client, tree, draft):
    provincial_admin = UserFactory()
    grant(provincial_admin, Role.ADMINISTRATOR, tree["vte"])
    analyst = UserFactory()
    grant(analyst, Role.ANALYST, tree["nation"])
    urls = [
        reverse("surveys:questionnaire_list"),
        reverse("surveys:questionnaire_upload"),
        reverse("surveys:version_detail", args=[draft.pk]),
        reverse("surveys:version_preview", args=[draft.pk]),
        reverse("surveys:version_publish", args=[draft.pk]),
        reverse("surveys:version_download", args=[draft.pk]),
    ]
    for user in (provincial_admin, analyst):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("surveys:version_publish", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_the_nav_shows_questionnaires_to_platform_administrators_only(admin_client, tree):
    assert reverse("surveys:questionnaire_list") in admin_client.get("/").content.decode()
    analyst = UserFactory()
    grant(analyst, Role.ANALYST, tree["nation"])
    other = Client()
    other.force_login(analyst)
    assert reverse("surveys:questionnaire_list") not in other.get("/").content.decode()


@pytest.mark.parametrize(
    ("language", "label", "choice"),
    [("lo", "ການເຊື່ອມຕໍ່", "ຊ້າ"), ("en", "Internet connection", "Slow")],
)
def test_the_preview_shows_pillar_pages_in_lao_and_in_english(
    admin_client, draft, language, label, choice
):
    url = reverse("surveys:version_preview", args=[draft.pk])
    html = admin_client.get(url, {"lang": language, "pillar": "tech"}).content.decode()
    assert label in html and choice in html
    assert 'name="q-connectivity"' in html
    assert "filling-rules" in html  # live skip logic as on the filling screen
    skills = admin_client.get(url, {"lang": language, "pillar": "skills"}).content.decode()
    assert 'name="q-staff-F"' in skills and 'name="q-staff-M"' in skills


def test_publishing_shows_problems_and_changes_nothing_until_they_are_fixed(admin_client, db):
    sheets = full_xlsform_sheets()
    sheets["survey"].append(["text", "lao_only", "ພາສາລາວເທົ່ານັ້ນ", ""])
    version = xlsform_import(file=make_xlsform(sheets), filename="f.xlsx").version
    url = reverse("surveys:version_publish", args=[version.pk])
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "lao_only" in page
    response = admin_client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_publishing_freezes_the_version_and_a_new_draft_keeps_the_codes(admin_client, draft):
    response = admin_client.post(reverse("surveys:version_publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.published_at
    # Publishing again is refused: a published version never changes.
    assert admin_client.post(reverse("surveys:version_publish", args=[draft.pk])).status_code == 400
    response = admin_client.post(reverse("surveys:version_new_draft", args=[draft.pk]))
    new = QuestionnaireVersion.objects.exclude(pk=draft.pk).get()
    assert response["Location"] == reverse("surveys:version_detail", args=[new.pk])
    assert (new.number, new.status) == (2, VersionStatus.DRAFT)
    assert list(new.questions.values_list("code", flat=True)) == list(
        draft.questions.values_list("code", flat=True)
    )
    assert new.recommendations.count() == draft.recommendations.count() == 2
    assert new.questions.get(code="connectivity").choices.count() == 4


def test_any_version_downloads_as_an_xlsform(admin_client, draft):
    response = admin_client.get(reverse("surveys:version_download", args=[draft.pk]))
    assert response.status_code == 200
    assert 'filename="dra_test-v1.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["survey", "choices", "settings"]


def test_the_detail_page_offers_preview_publish_and_download(admin_client, draft):
    html = admin_client.get(reverse("surveys:version_detail", args=[draft.pk])).content.decode()
    for name in ("version_preview", "version_publish", "version_download"):
        assert reverse(f"surveys:{name}", args=[draft.pk]) in html
