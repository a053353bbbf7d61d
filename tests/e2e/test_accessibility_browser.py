"""Every page passes axe-core (injected from node_modules, no CDN) with no serious or critical
violation, in Lao and in English, in real Chromium; and no page has a date or file input the
browser draws in its own language, or an empty choice that says "---------".

The pages are those of the every-URL access test (tests/test_access_every_url.py: its CASES and
its world), each opened by a role allowed to see it (the most capable one, so the page shows the
most), plus the home page of every role and the 404 page. One browser; one page per role and
language, reused from URL to URL. Every violation of every page is gathered before the test
fails, so one run lists everything to fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from reports.scoring import services
from surveys.models import Answer, Question
from tests.test_access_every_url import (  # noqa: F401  (world is a fixture)
    ADMIN,
    ANALYST,
    ANON,
    CASES,
    FP,
    NOBODY,
    PLATFORM,
    REVIEWER,
    STAFF,
    url_for,
    world,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
# The role that opens a URL: the first of these its case allows.
PREFERRED_ROLES = (PLATFORM, ADMIN, REVIEWER, ANALYST, FP, NOBODY, STAFF, ANON)
# Not pages: files, redirects that only act, machine answers.
NOT_PAGES = {
    "javascript-catalog",
    "health",
    "set_language",
    "logout",
    "surveys:version_download",
    "reports:area_table",
    "reports:scorecard_table",
    "reports:exports:download",
}
HOMES = (FP, REVIEWER, ANALYST, PLATFORM, NOBODY)


def _answer(response, code: str, *, choices=(), number=None, sex: str = "") -> None:
    question = Question.objects.get(version=response.round.version, code=code)
    Answer.objects.create(
        response=response, question=question, sex=sex, choices=list(choices), number=number
    )


def _with_scores(objects) -> None:
    """Answers for the submitted and the approved response, scored: the dashboards then draw
    their charts and tables instead of their empty states."""
    for response, connectivity in (
        (objects.review_response, "shared"),
        (objects.approved_response, "dedicated"),
    ):
        _answer(response, "connectivity", choices=[connectivity])
        _answer(response, "has_website", choices=["no"])
        _answer(response, "channels", choices=["email"])
        _answer(response, "systems", number=3)
        for sex, staff, digital in (("F", 6, 3), ("M", 4, 2)):
            _answer(response, "staff", number=staff, sex=sex)
            _answer(response, "staff_digital", number=digital, sex=sex)
    services.round_rescore(round_=objects.round)


def _visits(objects) -> list[tuple[str, str]]:
    """(role, path) of every page."""
    visits = []
    for name, case in sorted(CASES.items()):
        if name in NOT_PAGES or not case.get or getattr(case, "api", False):
            continue
        role = next(role for role in PREFERRED_ROLES if role in case.get)
        visits.append((role, url_for(name, objects)))
    visits += [(role, "/") for role in HOMES if role != PLATFORM]
    visits += [(ANON, "/login/"), (FP, "/no-such-page/")]
    return visits


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _violations(page) -> list[dict]:
    """axe-core was injected by the context (add_init_script) from node_modules."""
    results = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: '"
        " + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))})))"
    )
    return [violation for violation in results if violation["impact"] in SERIOUS]


def _not_in_language(page) -> list[str]:
    """What a browser would draw in its own language, or a select's unexplained empty choice."""
    found = []
    if page.locator("input[type=date], input[type=datetime-local]").count():
        found.append('a browser date input ("mm/dd/yyyy" in the browser\'s language)')
    if page.locator("input[type=file]:not(.file-picker-input)").count():
        found.append('a browser file input ("Choose File" in the browser\'s language)')
    if page.locator("option", has_text="---------").count():
        found.append('an empty choice that says "---------"')
    return found


def test_every_page_passes_axe_in_lao_and_english(live_server, browser, world):  # noqa: F811
    assert AXE.exists(), "npm ci installs axe-core (package.json devDependencies)"
    _with_scores(world)
    visits = _visits(world)
    problems = []
    for language in ("lo", "en"):
        pages = {}
        for role, path in visits:
            if role not in pages:
                context = browser.new_context(
                    viewport={"width": 1280, "height": 900}, bypass_csp=True
                )
                cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
                if role != ANON:
                    cookies.append(
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": _session_cookie(world.users[role]),
                            "url": live_server.url,
                        }
                    )
                context.add_cookies(cookies)
                context.add_init_script(path=str(AXE))
                pages[role] = context.new_page()
            page = pages[role]
            answer = page.goto(live_server.url + path)
            if answer is None or answer.status >= 500:
                problems.append(f"{path} ({role}, {language}): the page failed")
                continue
            if "text/html" not in answer.headers.get("content-type", ""):
                continue  # an API answer or a file, not a page
            assert page.locator("html").get_attribute("lang") == language, (path, role)
            if page.locator(".chart").count():
                page.wait_for_selector(".chart .main-svg")
            problems += [f"{path} ({role}, {language}): {text}" for text in _not_in_language(page)]
            for violation in _violations(page):
                problems.append(
                    f"{path} ({role}, {language}): {violation['impact']} {violation['id']}: "
                    f"{violation['help']}\n      " + "\n      ".join(violation["nodes"])
                )
        for page in pages.values():
            page.context.close()
    assert len(visits) > 30
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)
