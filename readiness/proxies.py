"""The client's address behind a reverse proxy, and only from a proxy we trust.

A client can write any X-Forwarded-For, X-Real-IP or X-Forwarded-Proto header it likes. The
headers count only when the direct peer (REMOTE_ADDR, the TCP connection) is one of
TRUSTED_PROXIES (addresses or networks, e.g. ``127.0.0.1`` or ``172.31.250.0/24``): then the
proxy's X-Real-IP (or, failing it, the right-most X-Forwarded-For entry that is not itself a
trusted proxy) becomes REMOTE_ADDR, so everything downstream — the anonymous rate limit, the
sign-in lock-out (django-axes, through ``client_ip``), the logs — sees the real client. From any
other peer the three headers are removed, so they cannot be forged; with no TRUSTED_PROXIES (no
proxy in front) they are always removed."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_X_FORWARDED_PROTO")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """The TRUSTED_PROXIES setting as networks (a bare address is a /32 or /128).

    Raises ImproperlyConfigured naming the entry that is neither an address nor a network."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network "
                "(e.g. 127.0.0.1 or 172.31.250.0/24)."
            ) from error
    return tuple(networks)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def _is_trusted(value: str, networks: tuple[Network, ...]) -> bool:
    address = _address(value)
    return address is not None and any(address in network for network in networks)


def forwarded_client(meta: dict, networks: tuple[Network, ...]) -> str | None:
    """The client address a trusted proxy reported in ``meta`` (a request's META), or None when
    it reported none that is a valid address. X-Real-IP first (our nginx sets it to the peer
    it saw), else the right-most X-Forwarded-For entry that is not a trusted proxy."""
    real_ip = meta.get("HTTP_X_REAL_IP", "")
    if _address(real_ip) is not None:
        return str(_address(real_ip))
    hops = [hop for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return None
        if not any(address in network for network in networks):
            return str(address)
    return None


class TrustedProxyMiddleware:
    """First in MIDDLEWARE: sets REMOTE_ADDR from a trusted proxy's headers, and removes the
    forwarded headers of any other peer (so SECURE_PROXY_SSL_HEADER cannot be forged either)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks = trusted_networks(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        if self.networks and _is_trusted(peer, self.networks):
            client = forwarded_client(meta, self.networks)
            if client is not None:
                meta["REMOTE_ADDR"] = client
            meta["readiness.proxy_peer"] = peer
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str:
    """The client's address as TrustedProxyMiddleware left it (AXES_CLIENT_IP_CALLABLE)."""
    return request.META.get("REMOTE_ADDR", "")
