"""Personal API tokens: made on the page (the secret shown once, only its hash kept), used,
noted when last used, revoked; a token carries its user's roles and nothing more."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisations.models import ApiToken, Role
from tests.api.conftest import reader, token_client

pytestmark = pytest.mark.django_db


def test_a_token_made_on_the_page_is_shown_once_and_stored_hashed(client, tree):
    user = reader(Role.ANALYST, tree["vte"], "maker")
    client.force_login(user)
    answer = client.post(reverse("api_tokens:list"), {"name": "Power BI", "days": "90"})
    assert answer.status_code == 201
    secret = re.search(r"rdy_[A-Za-z0-9_-]{43}", answer.content.decode()).group(0)
    token = ApiToken.objects.get(user=user)
    assert token.name == "Power BI"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values()))
    assert 89 <= (token.expires_at - timezone.now()).days <= 90
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert secret not in page and token.prefix in page and "Power BI" in page
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get(reverse("api:organisation-list")).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_page_speaks_lao_by_default_and_english_when_chosen(client, tree):
    client.force_login(reader(Role.ANALYST, tree["vte"], "reader"))
    assert "ໂທເຄັນ API" in client.get(reverse("api_tokens:list")).content.decode()
    client.cookies["django_language"] = "en"
    assert "Make a token" in client.get(reverse("api_tokens:list")).content.decode()


def test_a_token_without_a_name_or_with_a_made_up_validity_is_refused(client, tree):
    client.force_login(reader(Role.ANALYST, tree["vte"], "reader"))
    for body in ({"name": " ", "days": "90"}, {"name": "x", "days": "100000"}):
        assert client.post(reverse("api_tokens:list"), body).status_code == 400
    assert not ApiToken.objects.exists()


def test_a_token_carries_its_users_roles_and_nothing_more(tree):
    client, _token, _secret = token_client(reader(Role.FOCAL_POINT, tree["village"], "fp"))
    codes = {r["code"] for r in client.get(reverse("api:organisation-list")).json()["results"]}
    assert codes == {"LA0101001"}


def test_a_revoked_or_expired_token_stops_at_once(tree):
    user = reader(Role.ANALYST, tree["vte"], "reader")
    client, token, _secret = token_client(user)
    url = reverse("api:round-list")
    assert client.get(url).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 401
    client, token, _secret = token_client(user)
    web = Client()
    web.force_login(user)
    assert web.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 302
    answer = client.get(url, {"lang": "en"})
    assert answer.status_code == 401
    assert "revoked" in answer.json()["detail"]
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_a_token_of_a_deactivated_user_is_refused(tree):
    user = reader(Role.ANALYST, tree["vte"], "leaver")
    client, _token, _secret = token_client(user)
    user.is_active = False
    user.save()
    assert client.get(reverse("api:round-list")).status_code == 401
