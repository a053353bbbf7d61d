"""The foundation as a user meets it: sign in, language, home per role, throttling, settings."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from organisations.models import OrganisationKind, Role
from tests.factories import UserFactory, grant, make_organisation

PASSWORD = "a-Strong-pass-1"


# Pages that exist for a signed-in user (each is checked to answer 200 to an administrator):
# a URL that is a 404 for everyone would prove nothing about sign-in.
SIGNED_IN_PAGES = [
    "/",
    "/organisations/",
    "/surveys/questionnaires/",
    "/surveys/my/",
    "/surveys/rounds/",
    "/reports/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*SIGNED_IN_PAGES, "/admin/"])
def test_every_page_but_login_requires_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/?next=" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_the_pages_checked_for_sign_in_exist(client, url):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    admin = UserFactory(username="admin")
    grant(admin, Role.ADMINISTRATOR, nation)
    client.force_login(admin)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_login_page_is_in_lao_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="lo"' in response.content.decode()
    assert "ເຂົ້າສູ່ລະບົບ" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_is_explained_in_lao(client):
    UserFactory(username="somchai")
    response = client.post(reverse("login"), {"username": "somchai", "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "ລະຫັດຜ່ານໃຫ້ຖືກຕ້ອງ" in body
    assert "Please enter a correct" not in body


@pytest.mark.django_db
def test_an_empty_field_is_explained_in_lao(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert "ກະລຸນາປ້ອນຂໍ້ມູນໃສ່ຊ່ອງນີ້" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_is_remembered(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page


@pytest.mark.django_db
def test_sign_in_shows_the_roles_and_sign_out_ends_the_session(client, tree):
    user = UserFactory(username="noy", first_name="Noy")
    grant(user, Role.REVIEWER, tree["vte"])
    response = client.post(reverse("login"), {"username": "noy", "password": PASSWORD}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "ຍິນດີຕ້ອນຮັບ, Noy" in body
    assert "ຜູ້ກວດກາ" in body  # Reviewer
    assert tree["vte"].name["lo"] in body
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_user_without_role_is_told_to_ask_for_one(client):
    client.force_login(UserFactory())
    assert "ທ່ານຍັງບໍ່ມີບົດບາດ" in client.get("/").content.decode()


@pytest.mark.django_db
def test_repeated_failed_logins_are_throttled(client, settings):
    UserFactory(username="kham")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "kham", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "kham", "password": PASSWORD})
    assert response.status_code == 429
    assert "ເຂົ້າລະບົບບໍ່ສຳເລັດຫຼາຍຄັ້ງເກີນໄປ" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_home_page_fits_a_phone(client):
    client.force_login(UserFactory())
    body = client.get("/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in body
    assert "navbar-toggler" in body


@pytest.mark.django_db
def test_health_answers_without_sign_in(client):
    assert client.get("/health/").json() == {"status": "ok"}


def test_static_assets_are_served_locally():
    """No CDN: every script and stylesheet of the layout comes from our static files."""
    layout = (settings.BASE_DIR / "templates" / "base.html").read_text()
    assert "http://" not in layout and "https://" not in layout
    for folder in ["bootstrap", "htmx", "plotly", "noto-sans-lao"]:
        assert any(
            prefix == f"vendor/{folder}" and path.exists()
            for prefix, path in [d for d in settings.STATICFILES_DIRS if isinstance(d, tuple)]
        )


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    import os

    # The test settings module sets development-only variables in this process; a server has none.
    test_only = {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT", "SECRET_KEY", "DEBUG", "DEMO"}
    inherited = {key: value for key, value in os.environ.items() if key not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "readiness.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "false",
            "SECRET_KEY": "x" * 20 + "-production-secret-with-enough-entropy-0123456789",
            "ALLOWED_HOSTS": "readiness.example.la",
            "SITE_URL": "https://readiness.example.la",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "z" * 60, "ALLOWED_HOSTS": "readiness.example.la"}


@pytest.mark.parametrize("site_url", ["", "http://readiness.example.la", "readiness.example.la"])
def test_production_refuses_to_start_without_an_https_site_url(site_url):
    result = _manage("check", env={**PRODUCTION, "SITE_URL": site_url})
    assert result.returncode != 0
    assert "readiness.E001" in result.stderr and "SITE_URL" in result.stderr


def test_the_web_process_checks_site_url_when_it_starts():
    """gunicorn runs no system checks: loading readiness.wsgi does them."""
    code = "import readiness.wsgi"
    env = {key: value for key, value in __import__("os").environ.items() if key != "SITE_URL"}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="readiness.settings", SITE_URL="http://x.la")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "readiness.E001" in result.stderr


def test_site_url_follows_the_port_the_product_runs_on_in_development():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        env={"DEBUG": "true", "PORT": "8031", "SITE_URL": ""},
    )
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8031", result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env={"DEBUG": "false", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_an_unreachable_database_is_explained_with_what_to_run():
    result = _manage(
        "preflight",
        env={"DEBUG": "true", "DATABASE_URL": "postgres://127.0.0.1:1/readiness"},
    )
    assert result.returncode != 0
    assert "pg_ctlcluster" in result.stderr


def test_an_unreachable_redis_is_explained_with_what_to_run():
    result = _manage("preflight", env={"DEBUG": "true", "REDIS_URL": "redis://127.0.0.1:1/0"})
    assert result.returncode != 0
    assert "redis-server" in result.stderr


def test_demo_accounts_are_never_created_with_production_settings():
    result = _manage(
        "load_demo_data",
        env={
            "DEBUG": "false",
            "DEMO": "true",
            "SECRET_KEY": "y" * 60,
            "SITE_URL": "https://readiness.example.la",
        },
    )
    assert result.returncode != 0
    assert "demo configuration" in result.stderr


@pytest.mark.django_db
def test_lao_stays_the_default_when_the_browser_prefers_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="lo"' in response.content.decode()


@pytest.mark.django_db
def test_the_login_form_labels_are_in_lao(client):
    body = client.get(reverse("login")).content.decode()
    assert "ຊື່ຜູ້ໃຊ້" in body
    assert "Username" not in body


@pytest.mark.django_db
def test_dates_are_written_in_lao():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("lo"):
        text = Template('{{ day|date:"j M Y" }} · {{ day|date:"j F Y" }}').render(
            Context({"day": datetime.date(2026, 12, 26)})
        )
    assert text == "26 ທ.ວ. 2026 · 26 ທັນວາ 2026"


@pytest.mark.django_db
def test_a_runaway_query_is_stopped_by_the_database():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "2min"


def test_preflight_says_all_is_well_in_lao_and_in_english():
    result = _manage(
        "preflight",
        env={"DEBUG": "true", "DATABASE_URL": "postgres://127.0.0.1:5432/postgres"},
    )
    assert result.returncode == 0, result.stderr
    assert "PostgreSQL and Redis answer." in result.stdout
    assert "ຕອບສະໜອງ" in result.stdout
