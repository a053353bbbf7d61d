import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_method_page_shows_the_worked_example_in_lao_by_default(client):
    client.force_login(UserFactory())
    page = client.get("/reports/method/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'lang="lo"' in text
    # computed by the engine: 1 + 4 * 2.5 / 3 = 4.33, 1 + 4 * 0.75 / 2 = 2.50, mean 3.42
    assert "4.33" in text and "2.50" in text and "3.42" in text


def test_the_method_page_speaks_english_when_asked(client):
    client.force_login(UserFactory())
    client.cookies["django_language"] = "en"
    text = client.get("/reports/method/").content.decode()
    assert "Scoring method" in text and "Quick win" in text


def test_the_method_page_needs_a_login(client):
    assert client.get("/reports/method/").status_code == 302
