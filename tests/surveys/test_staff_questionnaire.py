"""The built-in staff digital-skills survey (an individual questionnaire): its CSV sheets, its
loading beside the default questionnaire, and anonymous civil servants answering it through a
share link until their answers are scored by respondent sex."""

import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import translation

from reports.models import OVERALL, ResponseScore, SexScore
from reports.scoring.services import round_rescore
from surveys import expressions
from surveys.default_questionnaire import (
    FORM_ID,
    STAFF_FOLDER,
    STAFF_FORM_ID,
    STAFF_TITLE_EN,
    default_questionnaire_load,
    staff_questionnaire_workbook,
)
from surveys.models import (
    Question,
    QuestionKind,
    QuestionnaireVersion,
    RespondentType,
    Response,
    ResponseStatus,
    ShareLink,
    VersionStatus,
)
from tests.factories import make_open_round
from tests.surveys.sheets import EN, LAO_LETTER, LO, assert_bilingual, read_sheet

PILLARS = {
    "basic": "Basic digital skills",
    "tools": "Digital government tools at work",
    "safety": "Online safety",
    "training": "Training received and needs",
}
STAGES = ["Beginner", "Developing", "Capable", "Proficient", "Advanced"]


def sheet(name: str) -> list[dict[str, str]]:
    return read_sheet(STAFF_FOLDER, name)


def question_rows() -> list[dict[str, str]]:
    return [row for row in sheet("survey") if row["type"] != "note"]


def choice_lists() -> dict[str, list[dict[str, str]]]:
    lists: dict[str, list[dict[str, str]]] = {}
    for row in sheet("choices"):
        lists.setdefault(row["list_name"], []).append(row)
    return lists


# --- The CSV sheets, read as a reviewer would ----------------------------------------------


def test_pyxform_converts_the_assembled_workbook_to_an_xform_in_both_languages():
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    xform = convert(xlsform=staff_questionnaire_workbook(), warnings=warnings).xform
    assert warnings == []
    assert f'<data id="{STAFF_FORM_ID}" version="2026.1">' in xform
    assert f'<translation lang="{LO}" default="true()">' in xform
    assert f'<translation lang="{EN}">' in xform
    assert "relevant=\" /data/tools_email  = 'official'\"" in xform


def test_the_settings_make_it_an_individual_questionnaire_titled_in_both_languages():
    (settings,) = sheet("settings")
    assert settings["form_id"] == STAFF_FORM_ID
    assert settings["respondent_type"] == "individual"
    assert settings["default_language"] == LO
    assert LAO_LETTER.search(settings["form_title"])
    assert settings["form_title_en"] == STAFF_TITLE_EN


def test_four_pillars_with_four_or_more_questions_each_and_eighteen_in_all():
    pillars = sheet("pillars")
    assert {row["code"]: row[f"name::{EN}"] for row in pillars} == PILLARS
    assert [row["order"] for row in pillars] == ["1", "2", "3", "4"]
    assert {row["code"] for row in pillars if row["is_enabler"] == "yes"} == {"basic", "training"}
    rows = question_rows()
    assert 15 <= len(rows) <= 20
    per_pillar = Counter(row["pillar"] for row in rows)
    assert set(per_pillar) == set(PILLARS) and min(per_pillar.values()) >= 4, per_pillar
    codes = [row["name"] for row in rows]
    assert len(codes) == len(set(codes))
    for row in rows:
        assert row["name"].startswith(row["pillar"] + "_"), row["name"]
        assert row["required"] == "yes", row["name"]


def test_no_count_by_sex_and_no_numbers_the_platform_records_the_respondents_sex():
    types = {row["type"].split()[0] for row in sheet("survey")}
    assert types <= {"note", "select_one", "select_multiple"}
    assert "gender_role" not in sheet("survey")[0]


def test_every_label_hint_message_choice_stage_and_recommendation_is_in_lao_and_english():
    # 19 labels, 10 hints, 49 choices, 20 recommendations...
    assert assert_bilingual(STAFF_FOLDER, always={"label", "name", "text"}) >= 100


def test_every_choice_list_is_used_and_every_reference_names_an_earlier_question():
    lists = choice_lists()
    seen: set[str] = set()
    relevant = []
    for row in sheet("survey"):
        kind, _, list_name = row["type"].partition(" ")
        if kind in ("select_one", "select_multiple"):
            assert list_name in lists, row["name"]
        for column in ("relevant", "constraint"):
            for reference in re.findall(r"\$\{([^}]+)\}", row[column]):
                assert reference in seen, (row["name"], column, reference)
            if row[column]:
                expressions.parse(row[column])  # within the subset the platform evaluates
        if row["relevant"]:
            relevant.append((row["name"], row["relevant"]))
        seen.add(row["name"])
    assert relevant == [("tools_email_use", "${tools_email} = 'official'")]
    assert "official" in {c["name"] for c in lists["official_email"]}
    used = {row["type"].partition(" ")[2] for row in sheet("survey") if row["name"] != "intro"}
    assert used == set(lists), "a choice list nobody uses"


def test_scales_have_three_scored_levels_and_a_dont_know_and_multiples_sum_to_one():
    lists = choice_lists()
    by_code = {row["name"]: row["type"].split() for row in question_rows()}
    single = {code: t[1] for code, t in by_code.items() if t[0] == "select_one"}
    multiple = {code: t[1] for code, t in by_code.items() if t[0] == "select_multiple"}
    assert sorted(multiple) == ["safety_practices", "tools_systems"]
    unscored = {code for code, name in single.items() if not any(c["score"] for c in lists[name])}
    assert unscored == {"training_need"}  # what to train on next: asked, never scored
    for code, name in single.items():
        if code in unscored:
            continue
        rows = lists[name]
        assert [(c["name"], c["score"]) for c in rows if c["dont_know"] == "yes"] == [
            ("dont_know", "")
        ], code
        assert sorted(float(c["score"]) for c in rows if c["dont_know"] != "yes") == [0, 0.5, 1]
    for code, name in multiple.items():
        scores = [float(c["score"]) for c in lists[name]]
        # Summed and capped at 1: several good practices are needed for the full score.
        assert max(scores) <= 0.5 and sum(scores) >= 1 and min(scores) == 0, code
        assert "none" in {c["name"] for c in lists[name]}


def test_stage_names_and_one_recommendation_per_pillar_and_stage():
    assert [row[f"name::{EN}"] for row in sheet("stages")] == STAGES
    recommendations = sheet("recommendations")
    assert {(row["pillar"], int(row["stage"])) for row in recommendations} == {
        (pillar, stage) for pillar in PILLARS for stage in range(1, 6)
    }
    assert len(recommendations) == 20
    assert len({row[f"text::{EN}"] for row in recommendations}) == 20
    assert len({row[f"text::{LO}"] for row in recommendations}) == 20


# --- Loading --------------------------------------------------------------------------------


@pytest.fixture
def loaded(db) -> QuestionnaireVersion:
    with translation.override("en"):
        lines = default_questionnaire_load()
    assert [line.split(" v1 published")[0] for line in lines] == [
        f"Built-in questionnaire {FORM_ID}",
        f"Built-in questionnaire {STAFF_FORM_ID}",
    ]
    assert lines[1].endswith(": 4 pillars, 19 questions, 20 recommendations.")
    return QuestionnaireVersion.objects.get(form_id=STAFF_FORM_ID)


def test_it_loads_published_as_an_individual_questionnaire(loaded):
    assert loaded.status == VersionStatus.PUBLISHED and loaded.published_at is not None
    assert loaded.questionnaire.respondent_type == RespondentType.INDIVIDUAL
    assert loaded.languages == ["lo", "en"]
    assert loaded.title["en"] == STAFF_TITLE_EN == loaded.questionnaire.title["en"]
    assert LAO_LETTER.search(loaded.title["lo"])
    assert [p.code for p in loaded.pillars.order_by("order")] == list(PILLARS)
    questions = loaded.questions.exclude(kind=QuestionKind.NOTE)
    assert questions.count() == len(question_rows())
    assert not questions.exclude(
        kind__in=(QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
    ).exists()
    assert loaded.recommendations.count() == 20
    assert [loaded.stage_name(stage, "en") for stage in range(1, 6)] == STAGES
    assert LAO_LETTER.search(loaded.stage_name(1, "lo"))
    # The organisation questionnaire is loaded beside it, untouched.
    default = QuestionnaireVersion.objects.get(form_id=FORM_ID)
    assert default.questionnaire.respondent_type == RespondentType.ORGANISATION
    assert default.questionnaire_id != loaded.questionnaire_id


def test_loading_again_creates_nothing(loaded):
    with translation.override("en"):
        assert default_questionnaire_load() == [
            f"Built-in questionnaire {FORM_ID} already present.",
            f"Built-in questionnaire {STAFF_FORM_ID} already present.",
        ]
    assert loaded.questionnaire.versions.count() == 1
    assert QuestionnaireVersion.objects.count() == 2


def test_each_questionnaire_is_idempotent_on_its_own_form_id(db, monkeypatch):
    """A product update that adds a built-in questionnaire loads just the new one."""
    import surveys.default_questionnaire as built_in

    with translation.override("en"):
        with monkeypatch.context() as before_the_update:
            before_the_update.setattr(built_in, "BUILT_IN", (built_in.DEFAULT,))
            assert len(default_questionnaire_load()) == 1
        assert not QuestionnaireVersion.objects.filter(form_id=STAFF_FORM_ID).exists()
        first, second = default_questionnaire_load()
    assert first == f"Built-in questionnaire {FORM_ID} already present."
    assert second.startswith(f"Built-in questionnaire {STAFF_FORM_ID} v1 published")
    assert QuestionnaireVersion.objects.filter(form_id=FORM_ID).count() == 1


# --- Anonymous civil servants answer it through a share link --------------------------------


def answers(version: QuestionnaireVersion, level: str) -> dict:
    """The form data of a respondent whose every scored answer is at `level`: 'best' (1),
    'middle' (0.5, or two practices of 0.25) or 'worst' (0)."""
    data: dict = {}
    for question in Question.objects.filter(version=version).prefetch_related("choices"):
        if question.kind == QuestionKind.NOTE:
            continue
        choices = [c for c in question.choices.all() if not c.is_dont_know]
        if not question.is_scored:
            data[f"q-{question.code}"] = choices[0].value
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            good = [c.value for c in choices if c.score]
            chosen = {"best": good, "middle": good[:2]}.get(level)
            data[f"q-{question.code}"] = chosen or [next(c.value for c in choices if c.score == 0)]
        else:
            wanted = {"best": 1, "middle": 0.5, "worst": 0}[level]
            data[f"q-{question.code}"] = next(c.value for c in choices if c.score == wanted)
    return data


def send(client, link: ShareLink, data: dict) -> Response:
    url = reverse("surveys:individual_form", args=[link.token])
    page = client.get(url)
    assert page.status_code == 200
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.content.decode()).group(1)
    sent = client.post(url, {**data, "nonce": nonce})
    assert sent.status_code == 302, sent.context and sent.context.get("fields")
    return Response.objects.filter(is_individual=True).order_by("-pk").first()


@pytest.fixture
def link(loaded, tree) -> ShareLink:
    round_ = make_open_round(version=loaded, code="staff-2026", targets=[tree["chanthabuly"]])
    return ShareLink.objects.create(round=round_, organisation=tree["chanthabuly"])


def test_the_public_form_shows_the_questions_in_lao_without_an_account(client, link):
    page = client.get(reverse("surveys:individual_form", args=[link.token]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "ທ່ານມີອີເມວທາງການ ສຳລັບເຮັດວຽກ ບໍ?" in html
    assert "ບໍ່ແນ່ໃຈ" in html
    assert 'name="q-tools_email_use"' in html


def test_anonymous_answers_are_scored_by_pillar_and_by_respondent_sex(client, link, tree):
    version = link.round.version
    best_woman = send(client, link, {"sex": "F", "age_band": "25_34", **answers(version, "best")})
    unsure = {**answers(version, "middle"), "q-basic_files": "dont_know"}
    middle_woman = send(client, link, {"sex": "F", "age_band": "45_54", **unsure})
    # No official email: the question on how often it is read is skipped, and an answer
    # sent for it anyway is not kept.
    worst = {**answers(version, "worst"), "q-tools_email_use": "daily"}
    worst_man = send(client, link, {"sex": "M", "age_band": "under_25", **worst})
    assert Response.objects.filter(is_individual=True).count() == 3
    assert {r.status for r in (best_woman, middle_woman, worst_man)} == {ResponseStatus.SUBMITTED}
    assert (worst_man.respondent_sex, worst_man.respondent_age_band) == ("M", "under_25")
    assert not worst_man.answers.filter(question__code="tools_email_use").exists()

    report = round_rescore(round_=link.round)
    assert report.responses == 3 and report.sex_rows > 0

    def scores(response):
        rows = ResponseScore.objects.filter(response=response).exclude(pillar=OVERALL)
        return {row.pillar: row for row in rows}

    for response, expected in ((best_woman, 5.0), (middle_woman, 3.0), (worst_man, 1.0)):
        by_pillar = scores(response)
        assert set(by_pillar) == set(PILLARS)
        for code, row in by_pillar.items():
            assert row.score == pytest.approx(expected), (response.respondent_sex, code)
    assert scores(worst_man)["tools"].skipped == 1
    assert scores(middle_woman)["basic"].dont_know == 1
    assert scores(best_woman)["tools"].skipped == 0

    for node in (tree["chanthabuly"], tree["vte"], tree["nation"]):
        rows = {
            row.pillar: row
            for row in SexScore.objects.filter(round=link.round, organisation=node, axis="tree")
        }
        assert set(PILLARS) <= set(rows), node.code
        for code in PILLARS:
            row = rows[code]
            assert (row.women_n, row.men_n) == (2, 1), (node.code, code)
            assert row.women_mean == pytest.approx(4.0)
            assert row.men_mean == pytest.approx(1.0)
            assert row.gap == pytest.approx(3.0)
    assert not SexScore.objects.filter(round=link.round, organisation=tree["lpb"]).exists()
