"""Content-Security-Policy without 'unsafe-inline' for scripts (issue 13, point 5): no template
has an inline script or an on*= handler, and pages carry the header."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
# json_script renders <script id=… type="application/json">: data, never run.
DATA_SCRIPT = re.compile(r"""type=["']application/(ld\+)?json["']""", re.IGNORECASE)
HANDLER = re.compile(r"""<[a-zA-Z][^>]*\son[a-z]+\s*=""", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def _inline_scripts(text: str) -> list[str]:
    found = []
    for match in SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        if "src=" in attributes or DATA_SCRIPT.search(attributes):
            continue
        found.append(match.group(0))
    return found


def _template_problems(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    problems = [f"inline script {tag}" for tag in _inline_scripts(text)]
    problems += [f"handler {m.group(0)[:60]}" for m in HANDLER.finditer(text)]
    problems += [f"javascript: URL {m.group(0)}" for m in JAVASCRIPT_URL.finditer(text)]
    return problems


def test_the_scanner_finds_what_it_looks_for():
    assert _inline_scripts('<script>alert(1)</script><script src="/a.js"></script>') == ["<script>"]
    assert not _inline_scripts('<script id="x" type="application/json">{}</script>')
    assert HANDLER.search('<input value="x"\n  onclick="this.select()">')
    assert not HANDLER.search('<input data-online="1" aria-controls="nav">')
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')


def test_no_template_has_an_inline_script_or_handler():
    problems = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        found = _template_problems(path)
        if found:
            problems[str(path.relative_to(TEMPLATES))] = found
    assert problems == {}


def test_the_policy_allows_scripts_from_our_own_files_only():
    policy = dict(
        part.strip().split(" ", 1) for part in settings.CONTENT_SECURITY_POLICY.split(";")
    )
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy["script-src"]
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_pages_carry_the_policy(client):
    for response in (
        client.get(reverse("login")),
        client.get("/no-such-page/"),
        client.get(reverse("health")),
    ):
        assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    user = UserFactory(username="csp-user")
    client.force_login(user)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert home["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    body = home.content.decode()
    assert not _inline_scripts(body)
    # htmx requests get their CSRF token from the page, read by static/js/base.js.
    assert '<meta name="csrf-token" content="' in body
    assert "js/base.js" in body
