"""Refusals of the upload pages in the user's language (issue 9, points 6 and 9): a refused
choice is quoted with the allowed values, a file in a legacy encoding says how to save it as
"CSV UTF-8", and a zip bomb is refused through the real XLSForm and responses upload pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisations.models import Role
from surveys.models import Answer, QuestionnaireVersion, Response, ResponseStatus
from tests.factories import UserFactory, grant
from tests.readiness.test_zip_bombs import declared_bomb, undeclared_bomb
from tests.surveys.test_import_responses import csv_bytes, kobo_row, setup  # noqa: F401

pytestmark = pytest.mark.django_db


def post_responses(client, setup, name: str, content: bytes):  # noqa: F811
    client.force_login(setup["admin"])
    return client.post(
        reverse("surveys:responses_import"),
        {"round": setup["round"].pk, "file": SimpleUploadedFile(name, content)},
    )


def messages(page) -> list[str]:
    return [str(problem.message) for problem in page.context["problems"]]


def test_a_refused_choice_is_quoted_with_the_allowed_values_in_lao(setup, client):  # noqa: F811
    rows = [kobo_row("LA0601", "d", **{"tech/connectivity": "satellite"})]
    page = post_responses(client, setup, "export.csv", csv_bytes(rows))
    assert page.status_code == 400
    [message] = [m for m in messages(page) if "satellite" in m]
    assert "“satellite”" in message
    allowed = [
        c.value for c in setup["round"].version.questions.get(code="connectivity").choices.all()
    ]
    assert all(value in message for value in allowed)
    assert "ບໍ່ແມ່ນຄຳຕອບ" in message  # "is not one of the answers", in Lao
    assert not Answer.objects.exists()


def test_a_legacy_encoding_says_how_to_save_as_csv_utf8_in_lao(setup, client):  # noqa: F811
    content = csv_bytes([kobo_row("LA0101", "a", **{"tech/website_url": "café"})])
    page = post_responses(client, setup, "export.csv", content.decode().encode("latin-1"))
    assert page.status_code == 400
    body = page.content.decode()
    assert "CSV UTF-8" in body
    assert "not UTF-8" not in body  # the Lao sentence, not the English one
    assert not Response.objects.exclude(status=ResponseStatus.DRAFT).exists()


@pytest.mark.parametrize("bomb", [declared_bomb, undeclared_bomb], ids=["declared", "undeclared"])
def test_the_responses_upload_page_refuses_a_zip_bomb(setup, client, bomb):  # noqa: F811
    page = post_responses(client, setup, "export.xlsx", bomb())
    assert page.status_code == 400
    assert len(messages(page)) == 1
    assert not Answer.objects.exists()


@pytest.mark.parametrize("bomb", [declared_bomb, undeclared_bomb], ids=["declared", "undeclared"])
def test_the_xlsform_upload_page_refuses_a_zip_bomb(tree, client, bomb):
    admin = UserFactory(username="admin")
    grant(admin, Role.ADMINISTRATOR, tree["nation"])
    client.force_login(admin)
    page = client.post(
        reverse("surveys:questionnaire_upload"),
        {"file": SimpleUploadedFile("form.xlsx", bomb())},
    )
    assert page.status_code in (200, 400)
    body = page.content.decode()
    assert "MB" in body or "1,000,000" in body
    assert QuestionnaireVersion.objects.count() == 0
