"""The proxy configuration of docker-compose.yml (deploy/nginx/readiness.conf.template), run by
Debian's nginx in front of gunicorn with production settings, over TLS with a self-signed
certificate made for 127.0.0.1 (issue 13, points 1 and 2)."""

import json
import re
import socket
import ssl
import threading
import time

import psycopg2
import requests

from tests.deploy.servers import ROOT

LOGIN_PATH = "/login/"


def _session(certificate) -> requests.Session:
    session = requests.Session()
    session.verify = str(certificate / "fullchain.pem")
    session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace verify
    return session


def _csrf(session, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_a_user_signs_in_over_https(nginx, certificate, world):
    session = _session(certificate)
    url = nginx.url + LOGIN_PATH
    token = _csrf(session, url)
    assert all(cookie.secure for cookie in session.cookies)
    signed_in = session.post(
        url,
        {"username": "focal", "password": world["ids"]["password"], "csrfmiddlewaretoken": token},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    home = session.get(nginx.url + "/", timeout=10)
    assert home.status_code == 200
    assert 'action="/logout/"' in home.text
    assert home.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "script-src 'self'" in home.headers["Content-Security-Policy"]


def test_http_is_redirected_to_https(nginx):
    plain = requests.get(
        f"http://127.0.0.1:{nginx.http_port}/login/?next=/", allow_redirects=False, timeout=10
    )
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://127.0.0.1:{nginx.https_port}/login/?next=/"


def _tls_socket(nginx, certificate) -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=str(certificate / "fullchain.pem"))
    raw = socket.create_connection(("127.0.0.1", nginx.https_port), timeout=30)
    return context.wrap_socket(raw, server_hostname="127.0.0.1")


def _status_of(connection: ssl.SSLSocket, head: bytes = b"") -> int:
    while b"\r\n" not in head:
        chunk = connection.recv(4096)
        if not chunk:
            break
        head += chunk
    return int(head.split(b" ", 2)[1])


def _post_streamed(nginx, certificate, path: str, size: int) -> tuple[int, int]:
    """POSTs a body of `size` bytes, streamed in 64 KB chunks (never held in memory), until the
    proxy answers or the body is sent. Returns (status, bytes sent)."""
    connection = _tls_socket(nginx, certificate)
    connection.sendall(
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/octet-stream\r\n"
            f"Content-Length: {size}\r\nConnection: close\r\n\r\n"
        ).encode()
    )
    chunk = b"x" * 65536
    sent, head = 0, b""
    connection.setblocking(False)
    try:
        while sent < size:
            try:
                head = connection.recv(4096)
                if head:
                    break  # the proxy has answered
            except (ssl.SSLWantReadError, BlockingIOError):
                pass
            try:
                sent += connection.send(chunk[: size - sent])
            except (ssl.SSLWantWriteError, BlockingIOError):
                time.sleep(0.01)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                break
        connection.setblocking(True)
        return _status_of(connection, head), sent
    finally:
        connection.close()


def test_a_200_mb_body_is_refused_by_the_proxy(nginx, certificate):
    size = 200 * 1024 * 1024
    status, sent = _post_streamed(nginx, certificate, LOGIN_PATH, size)
    assert status == 413
    assert sent < size // 10, f"{sent:,} bytes went out before the refusal"
    # The import pages take spreadsheets of up to 10 MB, but not 200 MB either.
    status, sent = _post_streamed(nginx, certificate, "/organisations/import/", size)
    assert status == 413


def test_the_import_pages_take_more_than_other_pages(nginx, certificate):
    five_mb = 5 * 1024 * 1024
    assert _post_streamed(nginx, certificate, LOGIN_PATH, five_mb)[0] == 413
    # Past the proxy: Django answers (403: no CSRF token), not nginx's 413.
    assert _post_streamed(nginx, certificate, "/organisations/import/", five_mb)[0] == 403


def _slow_request(host: str) -> bytes:
    """The head and 10 bytes of a 100 KB POST that Django must read to answer: a CSRF cookie
    and a same-origin Referer, so the CSRF check reads the body for the token."""
    return (
        f"POST /health/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: 100000\r\n"
        f"Referer: https://{host}/\r\nCookie: csrftoken={'a' * 32}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n\r\nusername=a"
    ).encode()


def _slow_client(nginx, certificate, opened: list, stop: threading.Event) -> None:
    """Sends the head and 10 bytes of a 100 KB body, then nothing, until stopped."""
    connection = _tls_socket(nginx, certificate)
    connection.sendall(_slow_request(f"127.0.0.1:{nginx.https_port}"))
    opened.append(connection)
    stop.wait(60)
    connection.close()


def test_three_slow_clients_do_not_block_a_fourth_request(nginx, certificate, gunicorn):
    """gunicorn runs 3 sync workers: without the proxy's buffering, three clients that never
    finish their body would hold all three, and the fourth request would wait."""
    opened, stop = [], threading.Event()
    threads = [
        threading.Thread(target=_slow_client, args=(nginx, certificate, opened, stop))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 10
        while len(opened) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(opened) == 3
        time.sleep(1)  # let nginx pass on anything it would pass on
        started = time.monotonic()
        # The client's own timeout: a blocked site would not answer within it.
        answer = _session(certificate).get(nginx.url + LOGIN_PATH, timeout=10)
        took = time.monotonic() - started
        assert answer.status_code == 200
        print(f"fourth request with three slow clients open: {took:.3f} s")
        # Straight to gunicorn, the same three clients do block it (the test can tell).
        blocked = _blocks_gunicorn_directly(gunicorn)
        assert blocked, "three slow clients did not block gunicorn directly"
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)


def _blocks_gunicorn_directly(gunicorn) -> bool:
    held = []
    try:
        for _ in range(3):
            connection = socket.create_connection(("127.0.0.1", gunicorn.port), timeout=10)
            # Plain HTTP: health/ is the one path gunicorn serves without the HTTPS redirect.
            connection.sendall(_slow_request("localhost"))
            held.append(connection)
        time.sleep(1)
        try:
            requests.get(f"{gunicorn.url}/health/", headers={"Host": "localhost"}, timeout=3)
        except requests.Timeout:
            return True
        return False
    finally:
        for connection in held:
            connection.close()


def test_a_forwarded_for_written_by_the_client_is_not_trusted(nginx, certificate, world):
    session = _session(certificate)
    url = nginx.url + LOGIN_PATH
    token = _csrf(session, url)
    forged = {"X-Forwarded-For": "198.51.100.66", "X-Real-IP": "198.51.100.66"}
    refused = session.post(
        url,
        {"username": "reviewer", "password": "wrong", "csrfmiddlewaretoken": token},
        headers={"Referer": url, **forged},
        timeout=10,
    )
    assert refused.status_code == 200  # the form again, with its error
    with (
        psycopg2.connect(world["env"]["DATABASE_URL"]) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT ip_address FROM axes_accessattempt WHERE username = 'reviewer'")
        addresses = {row[0] for row in cursor.fetchall()}
    assert addresses == {"127.0.0.1"}


def test_static_files_are_cached_and_compressed(nginx, certificate, world):
    manifest = json.loads((ROOT / world["env"]["STATIC_ROOT"] / "staticfiles.json").read_text())[
        "paths"
    ]
    session = _session(certificate)
    hashed = session.get(f"{nginx.url}/static/{manifest['css/app.css']}", timeout=10)
    assert hashed.status_code == 200
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert hashed.headers["Content-Encoding"] == "gzip"
    plain = session.get(f"{nginx.url}/static/css/app.css", timeout=10)
    assert plain.headers["Cache-Control"] == "public, max-age=3600"
    # The page links the hashed name, so browsers use the long-cached file.
    page = session.get(nginx.url + LOGIN_PATH, timeout=10)
    assert f"/static/{manifest['css/app.css']}" in page.text
    assert page.headers["Content-Encoding"] == "gzip"
    assert page.headers["Content-Type"].startswith("text/html")


def test_error_pages_behind_the_proxy_are_bilingual_and_carry_the_policy(nginx, certificate):
    """The production 404 and CSRF pages (readiness/errors.py) with DEBUG=false, through nginx."""
    session = _session(certificate)
    missing = session.get(nginx.url + "/no-such-page/", timeout=10)
    assert missing.status_code == 404
    assert "ບໍ່ພົບໜ້ານີ້" in missing.text
    assert "script-src 'self'" in missing.headers["Content-Security-Policy"]
    english = session.get(
        nginx.url + "/no-such-page/", headers={"Cookie": "django_language=en"}, timeout=10
    )
    assert "Page not found" in english.text
    url = nginx.url + LOGIN_PATH
    refused = session.post(url, {"username": "x"}, headers={"Referer": url}, timeout=10)
    assert refused.status_code == 403
    assert "ບໍ່ສາມາດສົ່ງແບບຟອມໄດ້" in refused.text
