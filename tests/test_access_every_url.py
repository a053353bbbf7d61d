"""Every URL of the project against every role, inside and outside its scope.

The access policy (organisations/access.py) is the one place that decides who may see and do
what; this file checks, URL by URL, that each view asks it. The patterns are enumerated from
the resolver, so a new URL without a row in CASES (or, under /admin/, without a way to build
it) fails `test_every_url_pattern_has_a_case`.

For each URL:
- anonymous: a redirect to the login page (but for the few public pages);
- every signed-in role the row does not allow, including the same role in *another*
  organisation or province: 404, the same page as for an object that does not exist;
- the roles the row allows: 200/302 on GET; on POST anything but 404/405/500;
- POST, empty or with a tampered body (what an attacker would send to act), never changes data
  for a role that is not allowed; an empty POST from an allowed role changes data only for the
  actions that need no input (approve, close a round, remove a role...);
- no GET ever changes data;
- an id that does not exist, or does not fit in a bigint (2**63): 404, never 500.

The world (see `world`): the province of Vientiane Capital (vte) is "inside", the province of
Luang Prabang (lpb) is "another province". Inside vte: the district Chanthabuly (its focal point
fills a draft response), a village (a submitted response to review) and vte itself (an
approved response, to reopen).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape

from organisations.models import Role, RoleAssignment
from organisations.services.tokens import api_token_create
from reports.models import ReportJob
from surveys.models import Response, ResponseStatus, ShareLink
from tests.factories import (
    UserFactory,
    full_xlsform_sheets,
    grant,
    make_filling_round,
    make_open_round,
    make_published_version,
    make_xlsform,
)

HUGE = 2**63  # one past the largest bigint: must be a 404, not a database error

# Roles ------------------------------------------------------------------------------------

ANON = "anonymous"
NOBODY = "signed in, no role"
STAFF = "Django superuser, no role"
FP = "focal point"
FP_OTHER = "focal point of another organisation"
REVIEWER = "reviewer"
REVIEWER_OTHER = "reviewer of another province"
ANALYST = "analyst"
ANALYST_OTHER = "analyst of another province"
ADMIN = "administrator of the province"
ADMIN_OTHER = "administrator of another province"
PLATFORM = "administrator of the nation"

USERS = (
    NOBODY,
    STAFF,
    FP,
    FP_OTHER,
    REVIEWER,
    REVIEWER_OTHER,
    ANALYST,
    ANALYST_OTHER,
    ADMIN,
    ADMIN_OTHER,
    PLATFORM,
)
ROLES = (ANON, *USERS)

EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset(USERS)
ADMINS = frozenset({ADMIN, ADMIN_OTHER, PLATFORM})
ADMINS_IN = frozenset({ADMIN, PLATFORM})
REVIEWERS = frozenset({REVIEWER, REVIEWER_OTHER}) | ADMINS
REVIEWERS_IN = frozenset({REVIEWER}) | ADMINS_IN
READERS_IN = frozenset({FP, REVIEWER, ANALYST}) | ADMINS_IN
ONLY_PLATFORM = frozenset({PLATFORM})
ONLY_FP = frozenset({FP})
NOT_ALLOWED = None  # the method is not allowed: 405 for every signed-in user


# The world --------------------------------------------------------------------------------


@pytest.fixture
def world(tree, settings, tmp_path):
    nation, vte, lpb = tree["nation"], tree["vte"], tree["lpb"]
    chanthabuly, village, luang = tree["chanthabuly"], tree["village"], tree["luang"]
    users = {
        NOBODY: UserFactory(username="nobody"),
        STAFF: UserFactory(username="staff", is_staff=True, is_superuser=True),
    }
    for role_name, role, organisation in (
        (FP, Role.FOCAL_POINT, chanthabuly),
        (FP_OTHER, Role.FOCAL_POINT, luang),
        (REVIEWER, Role.REVIEWER, vte),
        (REVIEWER_OTHER, Role.REVIEWER, lpb),
        (ANALYST, Role.ANALYST, vte),
        (ANALYST_OTHER, Role.ANALYST, lpb),
        (ADMIN, Role.ADMINISTRATOR, vte),
        (ADMIN_OTHER, Role.ADMINISTRATOR, lpb),
        (PLATFORM, Role.ADMINISTRATOR, nation),
    ):
        user = UserFactory(username=re.sub(r"\W+", "_", role_name))
        grant(user, role, organisation)
        users[role_name] = user

    version = make_published_version()
    round_ = make_filling_round(
        version=version, organisations=[vte, chanthabuly, village, luang], admin=users[PLATFORM]
    )
    responses = {r.organisation_id: r for r in Response.objects.filter(round=round_)}
    review_response = responses[village.pk]
    review_response.status = ResponseStatus.SUBMITTED
    review_response.submitted_at = timezone.now()
    review_response.save()
    approved_response = responses[vte.pk]
    approved_response.status = ResponseStatus.APPROVED
    approved_response.submitted_at = approved_response.reviewed_at = timezone.now()
    approved_response.save()

    individual = make_published_version(code="staff-survey", respondent_type="individual")
    individual_round = make_open_round(
        version=individual, code="staff2026", targets=[chanthabuly, luang]
    )
    # Opening the round makes one share link per target; here only Chanthabuly's exists, so a
    # GET that made the missing one (the home page of Luang's focal point) changes data.
    link = ShareLink.objects.create(round=individual_round, organisation=chanthabuly)
    # A baseline, so that the progress pages exist (their content is tested elsewhere).
    round_.baseline = individual_round
    round_.save(update_fields=["baseline"])

    # An anonymous staff member's answer to the individual questionnaire: not a response any
    # screen of focal points or reviewers shows (the review list leaves them out).
    individual_response = Response.objects.create(
        round=individual_round,
        organisation=chanthabuly,
        is_individual=True,
        status=ResponseStatus.SUBMITTED,
        respondent_sex="F",
        respondent_age_band="25_34",
    )

    # A finished export of the province's tables, its file private under MEDIA_ROOT.
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "exports").mkdir(parents=True)
    (tmp_path / "media" / "exports" / "1-export.xlsx").write_bytes(b"PK")
    export_job = ReportJob.objects.create(
        key="world",
        round=round_,
        area=vte,
        what="workbook",
        format="xlsx",
        language="lo",
        status="done",
        file="exports/1-export.xlsx",
        file_name="export.xlsx",
        requested_by=users[ANALYST],
    )
    # A personal API token of the focal point, for the revoke URL.
    fp_token, _secret = api_token_create(user=users[FP], name="fp-script", days=30)

    return SimpleNamespace(
        fp_token=fp_token,
        tree=tree,
        export_job=export_job,
        individual_response=individual_response,
        users=users,
        organisation=chanthabuly,
        assignment=RoleAssignment.objects.get(user=users[FP]),
        version=version,
        round=round_,
        fill_response=responses[chanthabuly.pk],
        review_response=review_response,
        approved_response=approved_response,
        link=link,
    )


def clients(world) -> dict[str, Client]:
    """One client per role, signed in before any snapshot (signing in writes last_login)."""
    result = {ANON: Client()}
    for role in USERS:
        client = Client()
        client.force_login(world.users[role])
        result[role] = client
    return result


SNAPSHOT_APPS = ("organisations", "surveys", "reports", "auth")


def snapshot() -> dict[str, list[dict]]:
    """Every row of the project's tables (and their audit history), but last_login."""
    state = {}
    for label in SNAPSHOT_APPS:
        for model in apps.get_app_config(label).get_models():
            rows = list(model.objects.order_by("pk").values())
            for row in rows:
                row.pop("last_login", None)
            state[model._meta.label] = rows
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


# The table --------------------------------------------------------------------------------


def _csv_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "organisations.csv",
        b"code,parent_code,kind,name_lo,name_en\nLA0199,LA01,district,X,Intruder district\n",
        content_type="text/csv",
    )


def _responses_csv(world) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "responses.csv",
        f"_uuid,organisation_code,connectivity\nu1,{world.organisation.code},dedicated\n".encode(),
        content_type="text/csv",
    )


def _round_body(world) -> dict:
    return {
        "code": "intruder",
        "name_lo": "ຮອບ",
        "name_en": "Intruder round",
        "opens_on": "2026-01-01",
        "closes_on": "2026-12-31",
        "kinds": ["district"],
        "subtrees": "",
    }


def _page_body(world) -> dict:
    return {
        "q-connectivity": "dedicated",
        "q-has_website": "no",
        "q-systems": "3",
        "lock_version": str(world.fill_response.lock_version),
        "action": "save",
    }


@dataclass(frozen=True)
class Case:
    """How to reach one URL name and who may.

    get / post: the roles allowed with that method; NOT_ALLOWED: 405 for every signed-in user.
    public: reachable without signing in (the anonymous role is then judged like the others).
    acts: an allowed empty POST performs the action (it needs no input), so it may change data.
    tampered: the body a forbidden user would send to act (files included).
    api: an endpoint of the API, which answers anonymous requests with 401 (no redirect)."""

    kwargs: Callable[[SimpleNamespace], dict] = lambda world: {}
    get: frozenset | None = NOT_ALLOWED
    post: frozenset | None = NOT_ALLOWED
    public: bool = False
    api: bool = False
    acts: bool = False
    tampered: Callable[[SimpleNamespace], dict] = lambda world: {}
    query: Callable[[SimpleNamespace], str] = lambda world: ""
    notes: str = field(default="", compare=False)


def _area(world) -> dict:
    return {"round_code": world.round.code, "code": world.tree["vte"].code}


def _card(world) -> dict:
    return {"round_code": world.round.code, "code": world.organisation.code}


AREA_READERS = frozenset({REVIEWER, ANALYST, ADMIN, PLATFORM})
CARD_READERS = AREA_READERS | {FP}
EXPORTERS = frozenset({FP, FP_OTHER, ANALYST, ANALYST_OTHER}) | ADMINS
EXPORT_READERS_IN = frozenset({ANALYST}) | ADMINS_IN


def _pk(attribute: str) -> Callable[[SimpleNamespace], dict]:
    return lambda world: {"pk": getattr(world, attribute).pk}


def _page(world) -> dict:
    return {"pk": world.fill_response.pk, "pillar_code": "tech"}


def _round_code(world) -> dict:
    return {"code": world.round.code}


def _token(world) -> dict:
    return {"token": world.link.token}


CASES: dict[str, Case] = {
    # readiness/urls.py
    "home": Case(get=SIGNED_IN, post=SIGNED_IN),
    "login": Case(get=EVERYONE, post=EVERYONE, public=True),
    "logout": Case(post=SIGNED_IN),
    "set_language": Case(get=EVERYONE, post=EVERYONE, public=True),
    "javascript-catalog": Case(get=EVERYONE, public=True),
    "health": Case(get=EVERYONE, post=EVERYONE, public=True),
    # organisations/urls.py: administrators, each within its subtree
    "organisations:list": Case(get=ADMINS, post=ADMINS),
    "organisations:detail": Case(kwargs=_pk("organisation"), get=ADMINS_IN, post=ADMINS_IN),
    "organisations:role_assign": Case(
        kwargs=_pk("organisation"),
        post=ADMINS_IN,
        tampered=lambda world: {"username": world.users[NOBODY].username, "role": "administrator"},
    ),
    "organisations:import": Case(
        get=ADMINS, post=ADMINS, tampered=lambda world: {"file": _csv_upload()}
    ),
    "organisations:roles": Case(get=ADMINS, post=ADMINS),
    "organisations:role_remove": Case(kwargs=_pk("assignment"), post=ADMINS_IN, acts=True),
    "organisations:user_create": Case(
        get=ADMINS,
        post=ADMINS,
        tampered=lambda world: {
            "username": "intruder",
            "password1": "a-Strong-pass-1x",
            "password2": "a-Strong-pass-1x",
            "role": "administrator",
            "organisation_code": world.tree["nation"].code,
        },
    ),
    # surveys/urls/questionnaires.py: platform administrators
    "surveys:questionnaire_list": Case(get=ONLY_PLATFORM, post=ONLY_PLATFORM),
    "surveys:questionnaire_upload": Case(
        get=ONLY_PLATFORM,
        post=ONLY_PLATFORM,
        tampered=lambda world: {
            "file": SimpleUploadedFile("form.xlsx", make_xlsform(full_xlsform_sheets())),
            "publish": "on",
        },
    ),
    "surveys:version_detail": Case(kwargs=_pk("version"), get=ONLY_PLATFORM, post=ONLY_PLATFORM),
    "surveys:version_preview": Case(kwargs=_pk("version"), get=ONLY_PLATFORM, post=ONLY_PLATFORM),
    "surveys:version_publish": Case(kwargs=_pk("version"), get=ONLY_PLATFORM, post=ONLY_PLATFORM),
    "surveys:version_new_draft": Case(kwargs=_pk("version"), post=ONLY_PLATFORM, acts=True),
    "surveys:version_download": Case(kwargs=_pk("version"), get=ONLY_PLATFORM, post=ONLY_PLATFORM),
    # surveys/urls/rounds.py: rounds (platform administrators) and filling (focal points)
    "surveys:round_list": Case(get=ONLY_PLATFORM, post=ONLY_PLATFORM),
    "surveys:round_new": Case(
        get=ONLY_PLATFORM,
        post=ONLY_PLATFORM,
        query=lambda world: f"?version={world.version.pk}",
        tampered=_round_body,
    ),
    "surveys:round_detail": Case(kwargs=_pk("round"), get=ONLY_PLATFORM, post=ONLY_PLATFORM),
    "surveys:round_share_links": Case(
        kwargs=lambda world: {"pk": world.link.round_id}, get=ONLY_PLATFORM
    ),
    "surveys:round_edit": Case(
        kwargs=_pk("round"), get=ONLY_PLATFORM, post=ONLY_PLATFORM, tampered=_round_body
    ),
    "surveys:round_targets": Case(
        kwargs=_pk("round"),
        post=ONLY_PLATFORM,
        tampered=lambda world: {"remove": [str(world.organisation.pk)]},
    ),
    "surveys:round_open": Case(kwargs=_pk("round"), post=ONLY_PLATFORM),
    "surveys:round_close": Case(kwargs=_pk("round"), post=ONLY_PLATFORM, acts=True),
    "surveys:my_questionnaires": Case(get=SIGNED_IN, post=SIGNED_IN),
    "surveys:response_start": Case(kwargs=_pk("fill_response"), get=READERS_IN, post=READERS_IN),
    "surveys:response_check": Case(kwargs=_pk("fill_response"), get=ONLY_FP, post=ONLY_FP),
    "surveys:response_submit": Case(
        kwargs=_pk("fill_response"),
        post=ONLY_FP,
        tampered=lambda world: {"lock_version": str(world.fill_response.lock_version)},
    ),
    # Readers in scope see the page read-only; only the focal point saves it.
    "surveys:response_page": Case(kwargs=_page, get=READERS_IN, post=ONLY_FP, tampered=_page_body),
    "surveys:response_autosave": Case(kwargs=_page, post=ONLY_FP, tampered=_page_body),
    # surveys/urls/review.py: reviewers and administrators, each within its subtree
    "surveys:review_list": Case(get=REVIEWERS, post=REVIEWERS),
    "surveys:review_detail": Case(
        kwargs=_pk("review_response"), get=REVIEWERS_IN, post=REVIEWERS_IN
    ),
    # GET (or a POST without "confirmed") asks to confirm; the confirming POST approves.
    "surveys:review_approve": Case(
        kwargs=_pk("review_response"),
        get=REVIEWERS_IN,
        post=REVIEWERS_IN,
        tampered=lambda world: {"confirmed": "yes"},
    ),
    "surveys:review_return": Case(
        kwargs=_pk("review_response"),
        post=REVIEWERS_IN,
        tampered=lambda world: {"comment": "Start again"},
    ),
    # Reopening is an administrator's act: a reviewer of the same subtree gets a 404 too.
    "surveys:review_reopen": Case(
        kwargs=_pk("approved_response"),
        post=ADMINS_IN,
        tampered=lambda world: {"reason": "Reopened by an intruder"},
    ),
    # A round is platform-wide; its progress page counts only the reader's scope.
    "surveys:progress": Case(kwargs=_round_code, get=REVIEWERS, post=REVIEWERS),
    "surveys:progress_organisations": Case(kwargs=_round_code, get=REVIEWERS, post=REVIEWERS),
    "surveys:responses_import": Case(
        get=ONLY_PLATFORM,
        post=ONLY_PLATFORM,
        tampered=lambda world: {"round": str(world.round.pk), "file": _responses_csv(world)},
    ),
    # surveys/urls/individual.py: the public page of an individual questionnaire, by token
    "surveys:individual_form": Case(
        kwargs=_token,
        get=EVERYONE,
        post=EVERYONE,
        public=True,
        tampered=lambda world: {"sex": "F", "age_band": "under_25", "nonce": "forged"},
    ),
    "surveys:individual_thanks": Case(kwargs=_token, get=EVERYONE, post=EVERYONE, public=True),
    # reports/urls.py
    "reports:method": Case(get=SIGNED_IN, post=SIGNED_IN),
    # reports/urls.py: dashboards (GET only). Areas: reviewers, analysts and administrators of
    # the area; a scorecard: the same, and the organisation's own focal point.
    "reports:index": Case(get=SIGNED_IN - {NOBODY, STAFF}),
    "reports:switch": Case(get=SIGNED_IN),
    "reports:area": Case(kwargs=_area, get=AREA_READERS),
    "reports:gender": Case(kwargs=_area, get=AREA_READERS),
    "reports:progress": Case(kwargs=_area, get=AREA_READERS),
    "reports:transition_organisations": Case(
        kwargs=_area, get=AREA_READERS, query=lambda world: "?before=1&after=2"
    ),
    "reports:area_table": Case(
        kwargs=lambda world: {**_area(world), "view": "overview", "panel": "pillars", "fmt": "csv"},
        get=AREA_READERS,
    ),
    "reports:scorecard": Case(kwargs=_card, get=CARD_READERS),
    # reports/exports/urls.py: analysts and administrators export in their scope; a focal point
    # requests its own organisation's scorecard. A job's page and file: who may export its area.
    "reports:exports:list": Case(get=EXPORTERS),
    "reports:exports:request": Case(
        post=EXPORTERS,
        tampered=lambda world: {
            "round": world.round.code,
            "what": "workbook",
            "format": "xlsx",
            "area": world.tree["vte"].code,
            "lang": "lo",
        },
    ),
    "reports:exports:job": Case(kwargs=_pk("export_job"), get=EXPORT_READERS_IN),
    "reports:exports:download": Case(kwargs=_pk("export_job"), get=EXPORT_READERS_IN),
    "reports:scorecard_table": Case(
        kwargs=lambda world: {**_card(world), "panel": "scorecard", "fmt": "xlsx"},
        get=CARD_READERS,
    ),
    # reports/api/urls.py: the read-only API (/api/v1/). It authenticates itself: anonymous is a
    # 401, never the sign-in redirect; it is read-only: POST is a 405 for everyone signed in.
    # Lists answer every signed-in user with the rows of its scope (checked row by row in
    # test_api_lists_show_nothing_outside_the_scope); objects are 404s outside it.
    "api:round-list": Case(get=SIGNED_IN, api=True),
    "api:round-detail": Case(
        kwargs=lambda world: {"code": world.round.code}, get=SIGNED_IN - {NOBODY, STAFF}, api=True
    ),
    "api:organisation-list": Case(get=SIGNED_IN, api=True),
    "api:organisation-detail": Case(
        kwargs=lambda world: {"code": world.organisation.code}, get=READERS_IN, api=True
    ),
    "api:version-list": Case(get=SIGNED_IN, api=True),
    "api:version-detail": Case(kwargs=_pk("version"), get=SIGNED_IN - {NOBODY, STAFF}, api=True),
    "api:version-xlsform": Case(kwargs=_pk("version"), get=SIGNED_IN - {NOBODY, STAFF}, api=True),
    "api:result-list": Case(get=SIGNED_IN, api=True),
    "api:area-result-list": Case(get=SIGNED_IN, api=True),
    "api:coverage-list": Case(get=SIGNED_IN, api=True),
    "api:gender-indicator-list": Case(get=SIGNED_IN, api=True),
    "api:sex-score-list": Case(get=SIGNED_IN, api=True),
    # The raw answers of an area: who may export it (here Vientiane Capital).
    "api:answers": Case(
        kwargs=lambda world: {"round_code": world.round.code},
        query=lambda world: f"?area={world.tree['vte'].code}",
        get=EXPORT_READERS_IN,
        api=True,
    ),
    "api:schema": Case(get=SIGNED_IN, api=True),
    "api:docs": Case(get=SIGNED_IN),
    # organisations/tokens.py: every signed-in user makes and revokes its own tokens; a platform
    # administrator revokes anyone's.
    "api_tokens:list": Case(get=SIGNED_IN, post=SIGNED_IN),
    "api_tokens:revoke": Case(
        kwargs=lambda world: {"pk": world.fp_token.pk}, post=frozenset({FP, PLATFORM}), acts=True
    ),
}


# Enumerating the patterns -----------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str | None  # with its namespace, e.g. "surveys:round_detail"
    route: str  # the full route, e.g. "surveys/rounds/<int:pk>/"
    converters: tuple[tuple[str, str], ...]  # (kwarg, converter class name)


def all_patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(patterns, prefix: str, namespace: str | None, converters: dict) -> None:
        for entry in patterns:
            found_converters = {**converters, **getattr(entry.pattern, "converters", {})}
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner, found_converters)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                found.append(
                    Pattern(
                        name=name,
                        route=prefix + str(entry.pattern),
                        converters=tuple(
                            (kwarg, type(conv).__name__) for kwarg, conv in found_converters.items()
                        ),
                    )
                )

    walk(get_resolver().url_patterns, "/", None, {})
    return found


def project_patterns() -> list[Pattern]:
    return [p for p in all_patterns() if not p.route.startswith("/admin/")]


def admin_patterns() -> list[Pattern]:
    return [p for p in all_patterns() if p.route.startswith("/admin/")]


def test_every_url_pattern_has_a_case():
    patterns = project_patterns()
    unnamed = [p.route for p in patterns if not p.name]
    assert not unnamed, f"Name these URL patterns so they can have a case: {unnamed}"
    names = {p.name for p in patterns}
    missing = sorted(names - set(CASES))
    assert not missing, f"URL patterns without an access case in CASES: {missing}"
    stale = sorted(set(CASES) - names)
    assert not stale, f"Cases for URL names that no longer exist: {stale}"
    # Under /admin/, every pattern must be buildable by admin_url (the rule is generic).
    for pattern in admin_patterns():
        assert admin_url(pattern, object_id="1", content_type_id="1").startswith("/admin/")


# Checking one request ---------------------------------------------------------------------


def url_for(name: str, world, **override) -> str:
    case = CASES[name]
    return reverse(name, kwargs={**case.kwargs(world), **override}) + case.query(world)


def allowed_roles(case: Case, method: str) -> frozenset | None:
    return case.get if method == "get" else case.post


def judge(case: Case, role: str, method: str, response) -> str | None:
    """What is wrong with this answer, or None."""
    status = response.status_code
    if status >= 500:
        return f"{status} (server error)"
    if role == ANON and case.api:
        return None if status == 401 else f"{status}, expected 401 (API, no credentials)"
    if role == ANON and not case.public:
        login = reverse("login")
        if status != 302 or not response["Location"].startswith(login):
            return f"{status}, expected a redirect to {login}"
        return None
    allowed = allowed_roles(case, method)
    if allowed is NOT_ALLOWED:
        return None if status == 405 else f"{status}, expected 405 (method not allowed)"
    if role in allowed:
        if method == "get" and status not in (200, 302):
            return f"{status}, expected 200 or 302"
        if method == "post" and status in (403, 404, 405):
            return f"{status}, expected the allowed role to reach the view"
        return None
    if status != 404:
        return f"{status}, expected 404"
    return None


# A page's CSRF token is masked anew at every render (Django's BREACH defence): random, and so
# left out when two pages are compared.
CSRF_VALUES = re.compile(
    rb'((?:name="csrf-token" content|name="csrfmiddlewaretoken" value)=")[^"]*'
)


def page_text(answer) -> bytes:
    """The body without its CSRF tokens and with its own address (the language switch's
    `next`) as <path>, to compare the pages of two addresses."""
    path = answer.wsgi_request.get_full_path()
    text = CSRF_VALUES.sub(rb"\1", answer.content)
    return text.replace(escape(path).encode(), b"<path>").replace(path.encode(), b"<path>")


def request(client: Client, method: str, url: str, data: dict | None = None):
    if method == "get":
        return client.get(url)
    return client.post(url, data or {})


# GET: every role --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_get_every_role(name, world):
    case = CASES[name]
    signed_in = clients(world)
    url = url_for(name, world)
    before = snapshot()
    problems = []
    for role in ROLES:
        answer = request(signed_in[role], "get", url)
        if (problem := judge(case, role, "get", answer)) is not None:
            problems.append(f"GET {url} as {role}: {problem}")
    if changed := changed_tables(before, snapshot()):
        problems.append(f"GET {url} changed data: {changed}")
    assert not problems, "\n".join(problems)


# POST: forbidden roles, empty and tampered bodies -----------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_post_by_forbidden_roles_changes_nothing(name, world):
    case = CASES[name]
    signed_in = clients(world)
    url = url_for(name, world)
    forbidden = [
        role
        for role in ROLES
        if case.post is NOT_ALLOWED or role not in case.post or (role == ANON and not case.public)
    ]
    before = snapshot()
    problems = []
    for role in forbidden:
        for body_name, body in (("empty", {}), ("tampered", case.tampered(world))):
            answer = request(signed_in[role], "post", url, body)
            if (problem := judge(case, role, "post", answer)) is not None:
                problems.append(f"POST {url} ({body_name}) as {role}: {problem}")
            if changed := changed_tables(before, snapshot()):
                problems.append(f"POST {url} ({body_name}) as {role} changed {changed}")
                before = snapshot()
    assert not problems, "\n".join(problems)


def _allowed_posts() -> list:
    return [
        pytest.param(name, role, id=f"{name}-{role}")
        for name, case in sorted(CASES.items())
        if case.post is not NOT_ALLOWED
        for role in sorted(case.post)
    ]


@pytest.mark.parametrize(("name", "role"), _allowed_posts())
def test_empty_post_by_an_allowed_role(name, role, world):
    """An allowed role reaches the view; an empty body is refused without a change, but for
    the actions that need no input."""
    case = CASES[name]
    client = clients(world)[role]
    url = url_for(name, world)
    before = snapshot()
    answer = request(client, "post", url)
    problem = judge(case, role, "post", answer)
    assert problem is None, f"POST {url} as {role}: {problem}"
    if not case.acts:
        assert not changed_tables(before, snapshot()), f"an empty POST to {url} changed data"


# Garbage ids ------------------------------------------------------------------------------

GARBAGE = {
    "IntConverter": ("999999999", str(HUGE)),
    "SlugConverter": ("no-such-round", str(HUGE)),
    "StringConverter": ("no-such-thing", str(HUGE), "x" * 300, "a\x00b"),
}


def _garbage_cases() -> list:
    params = []
    for pattern in project_patterns():
        for kwarg, converter in pattern.converters:
            for value in GARBAGE[converter]:
                params.append(
                    pytest.param(
                        pattern.name, kwarg, value, id=f"{pattern.name}-{kwarg}-{value[:12]}"
                    )
                )
    return params


@pytest.mark.parametrize(("name", "kwarg", "value"), _garbage_cases())
def test_an_id_that_does_not_exist_is_a_404(name, kwarg, value, world):
    """As an allowed role and as a forbidden one: the same 404 page as for a real object the
    forbidden role may not see, so a 404 says nothing about existence."""
    case = CASES[name]
    method = "get" if case.get is not NOT_ALLOWED else "post"
    allowed = allowed_roles(case, method)
    role = PLATFORM if PLATFORM in allowed else sorted(allowed)[0]
    signed_in = clients(world)
    url = url_for(name, world, **{kwarg: value})
    before = snapshot()
    answer = request(signed_in[role], method, url)
    assert answer.status_code == 404, f"{method.upper()} {url} as {role}: {answer.status_code}"
    forbidden = [r for r in USERS if r not in allowed]
    for other in forbidden:
        missing = request(signed_in[other], method, url)
        existing = request(signed_in[other], method, url_for(name, world))
        assert missing.status_code == existing.status_code == 404, (other, url)
        assert page_text(missing) == page_text(existing), (
            f"{url}: the 404 of {other} tells them apart"
        )
    assert not changed_tables(before, snapshot())


# Objects no role reaches through a URL ---------------------------------------------------

# An individual questionnaire's answers are anonymous staff answers: neither the filling nor the
# review screens open them, whoever asks (the review list leaves them out too).
RESPONSE_URLS = sorted(
    pattern.name
    for pattern in project_patterns()
    if pattern.name.startswith(("surveys:response_", "surveys:review_"))
    and ("pk", "IntConverter") in pattern.converters
)


@pytest.mark.parametrize("name", RESPONSE_URLS)
def test_no_screen_opens_an_individual_response(name, world):
    case = CASES[name]
    kwargs = case.kwargs(world)
    signed_in = clients(world)
    url = reverse(name, kwargs={**kwargs, "pk": world.individual_response.pk})
    missing = reverse(name, kwargs={**kwargs, "pk": 999999999})
    before = snapshot()
    problems = []
    for role in USERS:
        for method in ("get", "post"):
            if allowed_roles(case, method) is NOT_ALLOWED:
                continue
            answer = request(signed_in[role], method, url, case.tampered(world))
            if answer.status_code != 404:
                problems.append(f"{method.upper()} {url} as {role}: {answer.status_code}")
            elif page_text(answer) != page_text(request(signed_in[role], method, missing)):
                problems.append(f"{method.upper()} {url} as {role}: a 404 unlike a missing one")
    if changed := changed_tables(before, snapshot()):
        problems.append(f"{url} changed {changed}")
    assert not problems, "\n".join(problems)


# Objects named in the query string ---------------------------------------------------------


def test_progress_of_a_group_outside_the_scope_is_a_404(world):
    """The organisations behind one number of the progress table: a group (province or
    ministry) the reader's table does not show is a 404, the same as an unknown code; its
    name is never shown."""
    signed_in = clients(world)
    url = reverse("surveys:progress_organisations", kwargs={"code": world.round.code})
    vte, lpb = world.tree["vte"], world.tree["lpb"]

    def get(role, group, axis="province"):
        return signed_in[role].get(url, {"axis": axis, "group": group, "column": "expected"})

    unknown = get(REVIEWER_OTHER, "NO-SUCH-CODE")
    assert unknown.status_code == 404
    for role, group in (
        (REVIEWER_OTHER, vte.code),  # another province
        (REVIEWER_OTHER, world.organisation.code),  # a district of another province
        (ADMIN_OTHER, world.tree["village"].code),  # a village of another province
        (REVIEWER, lpb.code),
        (REVIEWER, world.tree["luang"].code),
    ):
        answer = get(role, group)
        assert answer.status_code == 404, (role, group, answer.status_code)
        # The same role's 404 for an unknown code (the page's menu is the role's own).
        assert page_text(answer) == page_text(get(role, "NO-SUCH-CODE")), (role, group)
    # The groups of one's own table are shown, with their organisations.
    answer = get(REVIEWER, vte.code)
    assert answer.status_code == 200
    assert world.organisation.code in answer.content.decode()
    answer = get(REVIEWER_OTHER, lpb.code)
    assert answer.status_code == 200
    assert world.tree["luang"].code in answer.content.decode()
    # (The search field's fixed example, placeholder="LA0101, ...", names no organisation of
    # the table.)
    shown = re.sub(r'placeholder="[^"]*"', "", answer.content.decode())
    assert world.organisation.code not in shown
    assert get(PLATFORM, vte.code).status_code == 200
    assert get(PLATFORM, "LA", axis="ministry").status_code == 404  # the nation is no group


# Garbage in the query string and tampered bodies from allowed roles ------------------------

GARBAGE_QUERIES = {
    "organisations:list": [{"q": "x" * 500, "page": str(HUGE)}, {"q": "LA", "page": "abc"}],
    "organisations:detail": [{"page": str(HUGE)}, {"page": "-1"}],
    "organisations:roles": [{"q": "\x00" * 3, "page": "abc"}],
    "surveys:version_preview": [{"lang": "xx", "pillar": "x" * 300}],
    "reports:area": [{"kind": "evil", "sector": "x\x00" * 3}, {"p-pillars": str(HUGE)}],
    "reports:area_table": [{"kind": "\x00", "sector": "nope"}],
    "reports:transition_organisations": [{"before": "x", "page": str(HUGE)}],
    "reports:switch": [{"round": "\x00", "area": "x" * 300, "view": "evil"}],
    "surveys:round_new": [{"version": str(HUGE)}, {"version": "abc"}],
    "surveys:round_detail": [{"page": str(HUGE)}],
    "surveys:round_share_links": [{"page": str(HUGE)}, {"kind": "evil", "q": "x\x00"}],
    "surveys:review_list": [{"round": str(HUGE), "status": "evil"}, {"round": "abc"}],
    "surveys:progress_organisations": [
        {"axis": "evil"},
        {"column": "evil"},
        {"group": str(HUGE)},
        {"group": "x" * 300},
        {"group": "LA\x00"},
        {"page": str(HUGE)},
    ],
}


@pytest.mark.parametrize(
    ("name", "query"),
    [(name, query) for name, queries in GARBAGE_QUERIES.items() for query in queries],
)
def test_garbage_in_the_query_string_is_never_a_server_error(name, query, world):
    case = CASES[name]
    role = PLATFORM if PLATFORM in case.get else sorted(case.get)[0]
    before = snapshot()
    answer = clients(world)[role].get(url_for(name, world), query)
    assert answer.status_code in (200, 302, 400, 404), answer.status_code
    assert not changed_tables(before, snapshot())


def _other_version_question(world) -> int:
    from surveys.models import Question

    return Question.objects.exclude(version=world.version).values_list("pk", flat=True)[0]


TAMPERED_BY_ALLOWED = {
    "organisations:role_assign": (
        ADMIN,
        lambda world: {"username": world.users[NOBODY].username, "role": "superuser"},
    ),
    "organisations:user_create": (
        ADMIN,
        lambda world: {
            "username": "outsider",
            "password1": "a-Strong-pass-1x",
            "password2": "a-Strong-pass-1x",
            "role": "administrator",
            "organisation_code": world.tree["lpb"].code,  # another province
        },
    ),
    "surveys:review_return": (
        REVIEWER,
        lambda world: {"comment": "Fix it", f"comment_{_other_version_question(world)}": "x"},
    ),
    "surveys:response_submit": (FP, lambda world: {"lock_version": str(HUGE)}),
    "surveys:response_page": (
        FP,
        lambda world: {
            "q-connectivity": "not-a-choice",
            "q-systems": str(HUGE),
            "lock_version": "abc",
            "resolve-connectivity": "theirs",
        },
    ),
    "surveys:response_autosave": (
        FP,
        lambda world: {"q-systems": "1e400", "q-connectivity": ["x", "y"], "lock_version": "-1"},
    ),
    "surveys:round_targets": (PLATFORM, lambda world: {"remove": ["abc", str(HUGE), "-1"]}),
    "surveys:individual_form": (
        ANON,
        lambda world: {"sex": "X", "age_band": "200", "nonce": "x\x00" * 5000, "q-systems": "abc"},
    ),
    "login": (ANON, lambda world: {"username": "focal\x00", "password": "x\x00"}),
    "organisations:import": (
        ADMIN,
        lambda world: {"file": SimpleUploadedFile("a.csv", b"\x00\xff")},
    ),
}


def test_tampered_target_ids_on_a_round_being_prepared(world):
    """The remove list of a draft round's targets: ids that are not ASCII numbers or do not
    fit a bigint are ignored, never a server error."""
    from surveys.models import Round, RoundStatus

    draft = Round.objects.create(
        code="draft",
        version=world.version,
        name={"lo": "ຮອບ", "en": "Draft round"},
        opens_on=world.round.opens_on,
        closes_on=world.round.closes_on,
        status=RoundStatus.DRAFT,
    )
    draft.targets.set([world.organisation])
    before = snapshot()
    url = reverse("surveys:round_targets", kwargs={"pk": draft.pk})
    for remove in (["²"], ["١٢"], [str(HUGE)], ["-1", "abc", ""]):
        answer = clients(world)[PLATFORM].post(url, {"remove": remove})
        assert answer.status_code == 302, (remove, answer.status_code)
    assert not changed_tables(before, snapshot())


@pytest.mark.parametrize("name", sorted(TAMPERED_BY_ALLOWED))
def test_a_tampered_body_from_an_allowed_role_changes_nothing(name, world):
    role, body = TAMPERED_BY_ALLOWED[name]
    url = url_for(name, world)
    before = snapshot()
    answer = clients(world)[role].post(url, body(world))
    assert answer.status_code < 500
    assert answer.status_code != 404, "the allowed role should reach the view"
    assert not changed_tables(before, snapshot()), f"POST {url} as {role} changed data"


# Django's admin: staff only (the roles grant nothing there) --------------------------------


ADMIN_REGEX_SAMPLES = {
    # simple_history's view of one historical record: object id, history id
    r"^([^/]+)/history/([^/]+)/$": "{object_id}/history/1/",
    # the catch-all: any path
    r"(?P<url>.*)$": "no-such-page/",
}


def admin_url(pattern: Pattern, *, object_id: str, content_type_id: str) -> str:
    route = pattern.route
    for regex, sample in ADMIN_REGEX_SAMPLES.items():
        route = route.replace(regex, sample)
    app_list = re.search(r"\^\(\?P<app_label>([\w|]+)\)/\$", route)
    if app_list:
        route = route.replace(app_list.group(0), app_list.group(1).split("|")[0] + "/")
    values = {
        "object_id": object_id,
        "id": object_id,
        "parent_id": object_id,
        "content_type_id": content_type_id,
    }
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    route = route.replace("{object_id}", object_id)
    assert not re.search(r"[<>^$()]", route), f"cannot build a URL for {pattern.route}"
    return route


def _admin_model_object(pattern: Pattern, world) -> tuple[str, str]:
    """A real object of the model an admin pattern is about (its pk, its content type)."""
    for model in admin.site._registry:
        meta = model._meta
        if pattern.route.startswith(f"/admin/{meta.app_label}/{meta.model_name}/"):
            obj = model.objects.order_by("pk").first()
            if obj is None:
                obj = world.users[PLATFORM] if model is get_user_model() else None
            ct = ContentType.objects.get_for_model(model)
            return (str(obj.pk) if obj else "1"), str(ct.pk)
    return str(world.organisation.pk), str(ContentType.objects.get_for_model(world.organisation).pk)


# Not the admin's own pages: the sign-in page, and treebeard's translation catalog (static
# strings of the tree widget; not wrapped by the admin, so any signed-in user reads it).
ADMIN_OPEN = {"admin:login": SIGNED_IN | {ANON}, "admin:javascript-catalog": SIGNED_IN}


@pytest.mark.parametrize("route", [p.route for p in admin_patterns()])
def test_the_django_admin_is_for_staff_only(route, world):
    pattern = next(p for p in admin_patterns() if p.route == route)
    signed_in = clients(world)
    object_id, content_type_id = _admin_model_object(pattern, world)
    url = admin_url(pattern, object_id=object_id, content_type_id=content_type_id)
    before = snapshot()
    problems = []
    for role in ROLES:
        if role == STAFF:
            continue
        for method in ("get", "post"):
            answer = request(signed_in[role], method, url)
            status = answer.status_code
            if role in ADMIN_OPEN.get(pattern.name, ()):
                if status >= 500 or status in (403, 404):
                    problems.append(f"{method.upper()} {url} as {role}: {status}")
            elif status != 302 or not answer["Location"].startswith(("/admin/", "/login/")):
                problems.append(f"{method.upper()} {url} as {role}: {status}, expected sign-in")
    if changed := changed_tables(before, snapshot()):
        problems.append(f"{url} changed {changed} for a user who is not staff")
    # Staff reach it; a missing or huge object id is handled, never a server error.
    for value in (object_id, "999999999", str(HUGE), "not-a-number"):
        garbage = admin_url(pattern, object_id=value, content_type_id=content_type_id)
        answer = signed_in[STAFF].get(garbage)
        if answer.status_code >= 500:
            problems.append(f"GET {garbage} as staff: {answer.status_code}")
    assert not problems, "\n".join(problems)


# The API with personal tokens ----------------------------------------------------------------

API_NAMES = sorted(name for name, case in CASES.items() if case.api)


def _bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.mark.parametrize("name", API_NAMES)
def test_api_with_a_token_answers_as_with_the_session(name, world):
    """A live token acts as its user (each role); a revoked, an expired, a malformed or an
    unknown token is a 401 whoever it belonged to, and changes nothing."""
    from datetime import timedelta

    from organisations.models import ApiToken
    from organisations.services.tokens import api_token_create, api_token_revoke

    case = CASES[name]
    url = url_for(name, world)
    problems = []
    for role in USERS:
        _token, secret = api_token_create(user=world.users[role], name="every-url", days=30)
        answer = _bearer(secret).get(url)
        if (problem := judge(case, role, "get", answer)) is not None:
            problems.append(f"GET {url} as {role} with a token: {problem}")
    revoked, revoked_secret = api_token_create(user=world.users[PLATFORM], name="old", days=30)
    api_token_revoke(token=revoked, by=world.users[PLATFORM])
    expired, expired_secret = api_token_create(user=world.users[PLATFORM], name="exp", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    before = snapshot()
    for label, header in (
        ("revoked", f"Bearer {revoked_secret}"),
        ("expired", f"Bearer {expired_secret}"),
        ("unknown", "Bearer rdy_" + "x" * 43),
        ("malformed", "Bearer a b"),
        ("not ASCII", "Bearer rdy_\u00e9t\u00e9"),
    ):
        answer = Client(HTTP_AUTHORIZATION=header).get(url)
        if answer.status_code != 401:
            problems.append(f"GET {url} with a {label} token: {answer.status_code}, expected 401")
    if changed := changed_tables(before, snapshot()):
        problems.append(f"refused tokens changed {changed}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", USERS)
def test_api_lists_show_nothing_outside_the_scope(role, world):
    """Every row of every list names an organisation (or area) this role may read through the
    screens: a scorecard for organisation rows, an area dashboard for area rows."""
    from organisations import access
    from organisations.models import Organisation
    from reports.access import AREA_ROLES
    from reports.scoring import services

    services.round_rescore(round_=world.round)
    client = clients(world)[role]
    user = world.users[role]
    problems = []
    for name in API_NAMES:
        if not name.endswith("-list"):
            continue
        answer = client.get(reverse(name), {"page_size": 1000})
        assert answer.status_code == 200, (name, role)
        rows = answer.json()["results"]
        for row in rows:
            code = row.get("organisation_code") or row.get("area_code")
            if code is None and "depth" in row:
                code = row["code"]
            if code is None:
                continue
            node = Organisation.objects.get(code=code)
            if "area_code" in row:
                allowed = access.in_scope(user, node, AREA_ROLES)
            else:
                allowed = access.can_view_organisation(user, node)
            if not allowed:
                problems.append(f"{name} shows {code} to {role}")
    if role in (NOBODY, STAFF):
        for name in API_NAMES:
            if name.endswith("-list"):
                assert client.get(reverse(name)).json()["results"] == [], (name, role)
    assert not problems, "\n".join(problems)


def test_api_lists_show_the_rows_inside_the_scope(world):
    """The other half: a province analyst's lists hold its province's rows."""
    from reports.scoring import services

    services.round_rescore(round_=world.round)
    client = clients(world)[ANALYST]
    codes = {r["code"] for r in client.get(reverse("api:organisation-list")).json()["results"]}
    assert world.organisation.code in codes and world.tree["lpb"].code not in codes
    results = client.get(reverse("api:result-list")).json()["results"]
    assert {r["organisation_code"] for r in results} >= {world.tree["village"].code}
    areas = client.get(reverse("api:area-result-list")).json()["results"]
    assert world.tree["vte"].code in {r["area_code"] for r in areas}


def test_a_token_is_revoked_by_its_owner_or_a_platform_administrator(world):
    from organisations.models import ApiToken

    url = url_for("api_tokens:revoke", world)
    for role in (ADMIN, REVIEWER, FP_OTHER):
        assert clients(world)[role].post(url).status_code == 404
    assert ApiToken.objects.get(pk=world.fp_token.pk).revoked_at is None
    assert clients(world)[PLATFORM].post(url).status_code == 302
    token = ApiToken.objects.get(pk=world.fp_token.pk)
    assert token.revoked_at is not None and token.revoked_by == world.users[PLATFORM]
