"""The read-only API (/api/v1/): the schema and the responses it describes, filters, cursor pages
of fixed size, CSV with BOM, the request's language, individual questionnaires' anonymity,
throttling per token, and query counts that do not grow with the page."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from organisations.api_auth import PerTokenThrottle
from organisations.models import OrganisationKind, Role
from readiness.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from reports.models import OVERALL, ResponseScore, SexScore
from reports.scoring import services
from surveys.models import Response
from tests.api.conftest import reader, token_client
from tests.factories import make_open_round, make_organisation, make_published_version
from tests.reports.conftest import submitted

pytestmark = pytest.mark.django_db

LISTS = [
    "api:round-list",
    "api:organisation-list",
    "api:version-list",
    "api:result-list",
    "api:area-result-list",
    "api:coverage-list",
    "api:gender-indicator-list",
    "api:sex-score-list",
]


def get(client, name, *args, **query):
    return client.get(reverse(name, args=args), query)


def every_row(client, name, **query) -> list[dict]:
    """Every row of a list, following `next` to the end."""
    rows, answer = [], get(client, name, **query)
    while True:
        assert answer.status_code == 200, answer.content
        body = answer.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        answer = client.get(body["next"])


# --- the schema -------------------------------------------------------------------------------


@pytest.fixture
def schema(national):
    answer = national.get(reverse("api:schema"))
    assert answer.status_code == 200
    return answer.json()


def test_the_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.0")


def test_every_field_of_every_schema_is_described(schema):
    undescribed = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        if not name.startswith("Paginated")
        for field, spec in component.get("properties", {}).items()
        if not (spec.get("description") or "$ref" in spec or "allOf" in spec)
    ]
    assert not undescribed, undescribed


def test_page_sizes_are_documented_in_the_schema(schema):
    results = schema["paths"]["/api/v1/results/"]["get"]
    size = next(p for p in results["parameters"] if p["name"] == "page_size")
    assert size["schema"]["default"] == DEFAULT_PAGE_SIZE
    assert size["schema"]["maximum"] == MAX_PAGE_SIZE
    assert "text/csv" in results["responses"]["200"]["content"]


def _response_validator(schema, path: str) -> OAS30Validator:
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return OAS30Validator({**content["schema"], "components": schema["components"]})


@pytest.mark.parametrize("name", LISTS)
def test_every_list_answers_as_its_schema_says(
    name, schema, national, scored, individual_round, tree
):
    answer = get(national, name)
    assert answer.status_code == 200
    body = answer.json()
    assert body["results"], f"{name} is empty: the test would prove nothing"
    path = reverse(name)
    _response_validator(schema, path).validate(body)


def test_a_version_answers_as_its_schema_says(schema, national, scored):
    path = "/api/v1/versions/{id}/"
    answer = national.get(reverse("api:version-detail", args=[scored.version_id]))
    assert answer.status_code == 200
    _response_validator(schema, path).validate(answer.json())
    pillars = answer.json()["pillars"]
    assert pillars and pillars[0]["questions"] and "stage_names" in answer.json()


def test_the_answers_answer_as_their_schema_says(schema, national, scored):
    answer = national.get(reverse("api:answers", args=[scored.code]))
    assert answer.status_code == 200
    _response_validator(schema, "/api/v1/rounds/{round_code}/answers/").validate(answer.json())


# --- results and filters --------------------------------------------------------------------


def test_results_are_the_stored_scores(national, scored, tree):
    rows = every_row(national, "api:result-list", round=scored.code)
    stored = ResponseScore.objects.filter(round=scored)
    assert len(rows) == stored.count()
    village = stored.get(organisation=tree["village"], pillar=OVERALL)
    row = next(
        r for r in rows if r["organisation_code"] == tree["village"].code and r["pillar"] == OVERALL
    )
    assert row["score"] == pytest.approx(village.score)
    assert row["stage"] == village.stage
    assert row["organisation_name"] == tree["village"].name["lo"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"subtree": "LA01"}, {"LA0101001"}),
        ({"subtree": "LA06"}, {"LA06-PHO"}),
        ({"kind": OrganisationKind.VILLAGE}, {"LA0101001"}),
        ({"sector": "MOH"}, {"LA06-PHO"}),
        ({"sector": "LA01"}, set()),  # not a ministry
        ({"subtree": "NO-SUCH"}, set()),
    ],
)
def test_results_filter_by_subtree_kind_and_sector(national, scored, query, expected):
    rows = every_row(national, "api:result-list", round=scored.code, **query)
    assert {r["organisation_code"] for r in rows} == expected


def test_results_filter_by_pillar(national, scored):
    rows = every_row(national, "api:result-list", pillar=OVERALL)
    assert rows and {r["pillar"] for r in rows} == {OVERALL}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"parent": "LA"}, {"LA01", "LA06", "MOH"}),
        ({"subtree": "LA01"}, {"LA01", "LA0101", "LA0101001"}),
        ({"kind": "province"}, {"LA01", "LA06"}),
        ({"line_ministry": "MOH"}, {"LA06-PHO"}),
    ],
)
def test_organisations_filter_by_parent_subtree_kind_and_line_ministry(
    national, tree, query, expected
):
    rows = every_row(national, "api:organisation-list", **query)
    assert {r["code"] for r in rows} == expected


def test_area_results_filter_by_round_axis_node_and_level(national, scored, tree):
    rows = every_row(
        national, "api:area-result-list", round=scored.code, axis="tree", level="province"
    )
    assert {r["area_code"] for r in rows} == {"LA01", "LA06"}
    rows = every_row(national, "api:area-result-list", node="MOH", axis="sector")
    assert rows and {(r["area_code"], r["axis"]) for r in rows} == {("MOH", "sector")}


def test_a_bad_filter_value_is_refused_with_a_message(national, scored):
    answer = get(national, "api:result-list", kind="evil")
    assert answer.status_code == 400
    assert "kind" in answer.json()


# --- scope ------------------------------------------------------------------------------------


def test_a_province_analyst_reads_its_province_and_nothing_of_another(scored, tree):
    client, _token, _secret = token_client(reader(Role.ANALYST, tree["vte"], "vte-analyst"))
    rows = every_row(client, "api:result-list")
    assert {r["organisation_code"] for r in rows} == {"LA0101001"}
    areas = {r["area_code"] for r in every_row(client, "api:area-result-list")}
    assert areas and areas <= {"LA01", "LA0101", "LA0101001"}
    assert get(client, "api:organisation-detail", "LA06").status_code == 404
    assert get(client, "api:organisation-detail", "LA0101").status_code == 200


def test_a_focal_point_reads_only_its_own_results(scored, tree):
    client, _token, _secret = token_client(reader(Role.FOCAL_POINT, tree["village"], "fp"))
    rows = every_row(client, "api:result-list")
    assert {r["organisation_code"] for r in rows} == {"LA0101001"}
    assert every_row(client, "api:area-result-list") == []


# --- pages -------------------------------------------------------------------------------------


def test_a_page_larger_than_the_maximum_is_refused_saying_the_maximum(national, scored):
    answer = get(national, "api:result-list", page_size=MAX_PAGE_SIZE + 1, lang="en")
    assert answer.status_code == 400
    assert str(MAX_PAGE_SIZE) in answer.json()["page_size"][0]
    assert get(national, "api:result-list", page_size=MAX_PAGE_SIZE).status_code == 200
    for garbage in ("0", "-1", "abc", "١٢"):
        assert get(national, "api:result-list", page_size=garbage).status_code == 400


def test_pages_of_one_row_give_every_row_once(national, scored):
    all_rows = every_row(national, "api:result-list")
    one_by_one = every_row(national, "api:result-list", page_size=1)
    assert len(all_rows) > 1
    assert [(r["response_id"], r["pillar"]) for r in one_by_one] == [
        (r["response_id"], r["pillar"]) for r in all_rows
    ]


def test_the_default_page_has_the_documented_size(national, tree):
    for number in range(DEFAULT_PAGE_SIZE + 5):
        make_organisation(
            code=f"LA0101{number:03d}x", kind=OrganisationKind.VILLAGE, parent=tree["chanthabuly"]
        )
    body = get(national, "api:organisation-list").json()
    assert len(body["results"]) == DEFAULT_PAGE_SIZE
    assert body["next"]


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_every_list_gives_csv_with_bom_and_every_row(name, national, scored, individual_round):
    answer = get(national, name, format="csv", page_size=1)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    content = b"".join(answer.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    rows = every_row(national, name)
    assert table[0] == list(rows[0].keys())
    assert len(table) - 1 == len(rows)  # no page, no cap


@pytest.mark.parametrize("lang", ["lo", "en"])
def test_the_results_csv_written_by_postgresql_has_the_cells_of_the_json(national, scored, lang):
    answer = get(national, "api:result-list", format="csv", lang=lang)
    table = list(
        csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig")))
    )
    rows = every_row(national, "api:result-list", lang=lang)
    assert len(table) == len(rows)
    for line, row in zip(table, rows, strict=True):
        for name, value in row.items():
            if isinstance(value, float):
                assert float(line[name]) == value, name
            else:
                assert line[name] == ("" if value is None else str(value)), name


def test_lao_text_is_intact_in_csv(national, scored, tree):
    answer = get(national, "api:organisation-list", format="csv", subtree="LA01")
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    assert tree["vte"].name["lo"] in text
    assert "ອ" in tree["vte"].name["lo"] or any(0x0E80 <= ord(c) <= 0x0EFF for c in text)


def test_the_answers_csv_has_one_row_per_response_women_and_men_apart(national, scored):
    answer = national.get(reverse("api:answers", args=[scored.code]), {"format": "csv"})
    assert answer.status_code == 200
    text = b"".join(answer.streaming_content)
    assert text.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    header, rows = table[0], table[1:]
    assert len(rows) == 2
    assert "staff__women" in header and "staff__men" in header
    by_code = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_code["LA0101001"]["staff__women"] == "6.0"
    assert by_code["LA0101001"]["staff__men"] == "4.0"
    json_rows = national.get(reverse("api:answers", args=[scored.code])).json()["results"]
    assert {r["staff__women"] for r in json_rows} == {6.0}


def test_the_answers_are_for_analysts_and_administrators_in_scope(scored, tree):
    url = reverse("api:answers", args=[scored.code])
    reviewer, _t, _s = token_client(reader(Role.REVIEWER, tree["nation"], "reviewer"))
    assert reviewer.get(url).status_code == 404
    vte, _t, _s = token_client(reader(Role.ANALYST, tree["vte"], "vte"))
    assert vte.get(url, {"area": "LA06"}).status_code == 404
    rows = vte.get(url).json()["results"]
    assert [r["organisation_code"] for r in rows] == ["LA0101001"]


# --- individual questionnaires ------------------------------------------------------------------


@pytest.fixture
def individual_round(tree):
    version = make_published_version(code="staff-survey", respondent_type="individual")
    round_ = make_open_round(version=version, code="staff2026", targets=[tree["chanthabuly"]])
    for sex in "FFFMMMMMM":
        Response.objects.create(
            round=round_,
            organisation=tree["chanthabuly"],
            is_individual=True,
            status="submitted",
            respondent_sex=sex,
        )
    SexScore.objects.create(
        round=round_,
        organisation=tree["chanthabuly"],
        axis="tree",
        pillar=OVERALL,
        women_n=3,
        men_n=6,
        women_mean=2.5,
        men_mean=3.5,
        gap=-1.0,
    )
    return round_


def test_individual_answers_are_never_served(national, individual_round):
    answer = national.get(reverse("api:answers", args=[individual_round.code]))
    assert answer.status_code == 404
    rows = every_row(national, "api:result-list", round=individual_round.code)
    assert rows == []


def test_a_sex_group_under_the_minimum_is_withheld(national, individual_round, settings):
    settings.MIN_GROUP_SIZE = 5
    (row,) = every_row(national, "api:sex-score-list", round=individual_round.code)
    assert row["women_n"] == 3 and row["women_withheld"] and row["women_mean"] is None
    # The men's mean goes too: with the overall mean it would give the women's back.
    assert row["men_n"] == 6 and row["men_withheld"] and row["men_mean"] is None
    assert row["gap"] is None
    settings.MIN_GROUP_SIZE = 3
    (row,) = every_row(national, "api:sex-score-list", round=individual_round.code)
    assert row["women_mean"] == 2.5 and row["gap"] == -1.0


# --- language ---------------------------------------------------------------------------------


def test_labels_and_errors_follow_the_request_language(national, scored, tree, client):
    lao = get(national, "api:organisation-list", subtree="LA01").json()["results"][0]
    english = get(national, "api:organisation-list", subtree="LA01", lang="en").json()
    assert lao["name"] == tree["vte"].name["lo"]
    assert english["results"][0]["name"] == tree["vte"].name["en"]
    assert english["results"][0]["kind_label"] == "Province"
    anonymous = client.get(reverse("api:result-list"))
    assert anonymous.status_code == 401
    assert anonymous["Content-Language"] == "lo"
    assert anonymous.json()["detail"] != "Authentication credentials were not provided."
    assert client.get(reverse("api:result-list"), {"lang": "en"}).json()["detail"] == (
        "Authentication credentials were not provided."
    )


# --- throttling -------------------------------------------------------------------------------


def test_requests_are_throttled_per_token(tree, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"api": "3/minute"})
    user = reader(Role.ANALYST, tree["nation"], "busy")
    first, _t, _s = token_client(user)
    second, _t, _s = token_client(user)
    for _ in range(3):
        assert get(first, "api:round-list").status_code == 200
    refused = get(first, "api:round-list")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert get(second, "api:round-list").status_code == 200  # its own budget


# --- query counts -----------------------------------------------------------------------------


def _grow(scored, tree, count: int) -> None:
    for number in range(count):
        village = make_organisation(
            code=f"LA0101V{number:03d}", kind=OrganisationKind.VILLAGE, parent=tree["chanthabuly"]
        )
        scored.targets.add(village)
        Response.objects.create(round=scored, organisation=village)
        submitted(scored, village)
    services.round_rescore(round_=scored)


def _queries(client, url, query) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url, query)
        assert answer.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", [*LISTS, "api:answers"])
def test_a_page_costs_the_same_queries_whatever_its_size(name, national, scored, tree):
    url = reverse(name, args=[scored.code]) if name == "api:answers" else reverse(name)
    # The token's first use of the minute also writes its last use: one query more, once.
    _queries(national, url, {"page_size": 1})
    small = _queries(national, url, {"page_size": 1})
    _grow(scored, tree, 12)
    large = _queries(national, url, {"page_size": MAX_PAGE_SIZE})
    assert large == small
    assert small <= 12
