"""The client address behind a reverse proxy (issue 13, point 2): forwarded headers count only
from TRUSTED_PROXIES, and the anonymous rate limit and the sign-in lock-out use that address."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from readiness.proxies import TrustedProxyMiddleware, forwarded_client, trusted_networks
from surveys.models import Response
from tests.factories import UserFactory
from tests.surveys.test_individual import GOOD_ANSWERS, form_nonce, link  # noqa: F401

PROXY = "172.31.250.10"


def _seen(settings, trusted, **meta):
    """What REMOTE_ADDR and the forwarded headers look like after the middleware."""
    settings.TRUSTED_PROXIES = trusted
    seen = {}

    def view(request):
        seen.update(request.META)
        return HttpResponse()

    TrustedProxyMiddleware(view)(RequestFactory().get("/", **meta))
    return seen


def test_without_a_proxy_forwarded_headers_are_ignored_and_removed(settings):
    seen = _seen(
        settings,
        [],
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
        HTTP_X_REAL_IP="1.2.3.4",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert seen["REMOTE_ADDR"] == "203.0.113.5"
    assert "HTTP_X_FORWARDED_FOR" not in seen
    assert "HTTP_X_REAL_IP" not in seen
    assert "HTTP_X_FORWARDED_PROTO" not in seen


def test_a_client_that_is_not_a_trusted_proxy_cannot_forge_its_address(settings):
    seen = _seen(
        settings,
        ["172.31.250.0/24"],
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert seen["REMOTE_ADDR"] == "203.0.113.5"
    assert "HTTP_X_FORWARDED_PROTO" not in seen


def test_the_trusted_proxy_gives_the_client_address_and_scheme(settings):
    seen = _seen(
        settings,
        ["172.31.250.0/24"],
        REMOTE_ADDR=PROXY,
        HTTP_X_REAL_IP="198.51.100.7",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert seen["REMOTE_ADDR"] == "198.51.100.7"
    assert seen["HTTP_X_FORWARDED_PROTO"] == "https"


def test_forwarded_for_counts_from_the_right_past_trusted_hops():
    networks = trusted_networks(["10.0.0.0/8", "::1"])
    # The client wrote "1.2.3.4" itself; the first proxy appended the address it saw.
    meta = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7, 10.0.0.2"}
    assert forwarded_client(meta, networks) == "198.51.100.7"
    assert forwarded_client({"HTTP_X_FORWARDED_FOR": "garbage"}, networks) is None
    assert forwarded_client({"HTTP_X_REAL_IP": "2001:db8::1"}, networks) == "2001:db8::1"
    assert forwarded_client({}, networks) is None


def test_a_bad_trusted_proxies_entry_is_refused_with_its_name():
    with pytest.raises(ImproperlyConfigured, match="not-an-address"):
        trusted_networks(["127.0.0.1", "not-an-address"])


def test_the_rate_limit_counts_each_client_behind_the_proxy(client, link, settings):  # noqa: F811
    settings.TRUSTED_PROXIES = [PROXY]
    settings.INDIVIDUAL_SUBMISSIONS_PER_HOUR = 1
    url = reverse("surveys:individual_form", args=[link.token])

    def post(real_ip):
        nonce = form_nonce(client, link)
        return client.post(
            url, {**GOOD_ANSWERS, "nonce": nonce}, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=real_ip
        )

    assert post("198.51.100.1").status_code == 302
    # Same proxy, another client: not one bucket for everyone.
    assert post("198.51.100.2").status_code == 302
    assert post("198.51.100.1").status_code == 429
    assert Response.objects.filter(is_individual=True).count() == 2


def test_the_rate_limit_ignores_a_forged_address_without_a_proxy(client, link, settings):  # noqa: F811
    settings.TRUSTED_PROXIES = []
    settings.INDIVIDUAL_SUBMISSIONS_PER_HOUR = 1
    url = reverse("surveys:individual_form", args=[link.token])
    first = client.post(url, {**GOOD_ANSWERS, "nonce": form_nonce(client, link)})
    assert first.status_code == 302
    forged = client.post(
        url,
        {**GOOD_ANSWERS, "nonce": form_nonce(client, link)},
        HTTP_X_FORWARDED_FOR="198.51.100.99",
        HTTP_X_REAL_IP="198.51.100.99",
    )
    assert forged.status_code == 429


@pytest.mark.django_db
def test_the_sign_in_lock_out_records_the_client_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXIES = ["172.31.250.0/24"]
    UserFactory(username="officer")
    client.post(
        reverse("login"),
        {"username": "officer", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_REAL_IP="198.51.100.7",
    )
    client.post(
        reverse("login"),
        {"username": "officer", "password": "wrong"},
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == {"198.51.100.7", "203.0.113.5"}
