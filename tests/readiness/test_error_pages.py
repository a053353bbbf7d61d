"""The product's own error pages (400, 403, 404, 500, a refused form) with DEBUG off, in Lao
(the default) and English, with the navigation; the 500 page without the database."""

import pytest
from django.test import Client

from organisations.models import Role
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.urls("tests.readiness.error_urls")

TITLES = {
    400: ("ບໍ່ສາມາດເຂົ້າໃຈຄຳຮ້ອງຂໍໄດ້", "The request could not be understood"),
    403: ("ບໍ່ອະນຸຍາດໃຫ້ເຂົ້າເຖິງ", "Access refused"),
    404: ("ບໍ່ພົບໜ້ານີ້", "Page not found"),
    500: ("ລະບົບເກີດຂໍ້ຜິດພາດ", "Something went wrong on the platform"),
}
CSRF_TITLES = ("ບໍ່ສາມາດສົ່ງແບບຟອມໄດ້", "The form could not be sent")


def _client(language: str, *, user=None, enforce_csrf_checks: bool = False) -> Client:
    client = Client(raise_request_exception=False, enforce_csrf_checks=enforce_csrf_checks)
    if language == "en":
        client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _assert_page(page, status: int, title: str, language: str) -> str:
    body = page.content.decode()
    assert page.status_code == status
    assert f'<html lang="{language}">' in body
    assert f'<h1 class="h3">{title}</h1>' in body
    # Django's own English pages are not what the user sees.
    assert "<h1>Not Found</h1>" not in body and "Server Error (500)" not in body
    assert "Forbidden <span>(403)" not in body and "Bad Request (400)" not in body
    # The language switch and a way home are on every error page.
    assert 'name="language" value="en"' in body and 'href="/"' in body
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lo", "en"])
@pytest.mark.parametrize(
    ("status", "url"),
    [(404, "/no-such-page/"), (403, "/test-errors/403/"), (400, "/test-errors/400/")],
)
def test_an_error_page_of_a_signed_in_user_has_the_navigation(
    settings, tree, language, status, url
):
    assert settings.DEBUG is False
    user = UserFactory(username="focal", first_name="Bounmy")
    grant(user, Role.FOCAL_POINT, tree["chanthabuly"])
    title = TITLES[status][language == "en"]
    body = _assert_page(_client(language, user=user).get(url), status, title, language)
    assert 'class="navbar-nav me-auto"' in body and "Bounmy" in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lo", "en"])
def test_a_page_that_does_not_exist_offers_sign_in_to_a_visitor(language):
    page = _client(language).get("/no-such-page/")
    body = _assert_page(page, 404, TITLES[404][language == "en"], language)
    assert 'href="/login/"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lo", "en"])
def test_a_form_refused_for_its_security_token_explains_itself(tree, language):
    user = UserFactory(username="focal")
    grant(user, Role.FOCAL_POINT, tree["chanthabuly"])
    client = _client(language, user=user, enforce_csrf_checks=True)
    page = client.post("/logout/")
    body = _assert_page(page, 403, CSRF_TITLES[language == "en"], language)
    assert 'class="navbar-nav me-auto"' in body


@pytest.mark.parametrize("language", ["lo", "en"])
def test_the_server_error_page_renders_without_the_database(language):
    """No django_db mark: any query on the way would fail the test. The view itself fails as it
    would with PostgreSQL down."""
    page = _client(language).get("/test-errors/500/")
    body = _assert_page(page, 500, TITLES[500][language == "en"], language)
    assert "could not connect" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lo", "en"])
def test_an_unknown_host_gets_the_400_page(language):
    """Refused before the session and the user are read (Django's host check)."""
    page = _client(language).get("/", HTTP_HOST="intruder.example")
    _assert_page(page, 400, TITLES[400][language == "en"], language)
