"""The default questionnaire for state organisations: its CSV sheets, its loading, and a focal
point answering it through the filling screens until it is scored."""

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.models import OrganisationKind, Role
from reports.models import OVERALL, ResponseScore
from reports.scoring.services import response_score
from surveys import expressions
from surveys.default_questionnaire import (
    FORM_ID,
    STAFF_FORM_ID,
    TITLE_EN,
    default_questionnaire_load,
    default_questionnaire_workbook,
)
from surveys.models import (
    Question,
    QuestionKind,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    VersionStatus,
)
from surveys.xlsform import read_form
from tests.factories import UserFactory, grant, make_filling_round, make_organisation
from tests.surveys.sheets import EN, LAO_LETTER, LO, assert_bilingual, read_sheet

FOLDER = Path(__file__).resolve().parents[2] / "surveys" / "default_questionnaire"
PILLARS = {
    "tech": "Technology and Solutions",
    "policy": "Policy and Regulations",
    "skills": "Skills and Capacity Building",
    "user": "User Centricity",
    "service": "Service Definition and Delivery",
    "institution": "Institutional Framework",
    "collab": "Collaboration",
}
ENABLERS = {"tech", "policy", "skills", "institution"}
GENDER_ROLES = {
    "skills_staff": "staff",
    "skills_digital": "staff_digital_skills",
    "skills_ict_staff": "ict_staff",
    "skills_trained": "staff_trained_12m",
    "skills_managers": "managers",
}


def sheet(name: str) -> list[dict[str, str]]:
    return read_sheet(FOLDER, name)


def questions_rows() -> list[dict[str, str]]:
    """Survey rows that are questions: not notes, group ends or the two fields of a count."""
    rows = sheet("survey")
    group_children = set()
    for index, row in enumerate(rows):
        if row["type"] == "begin group":
            group_children |= {rows[index + 1]["name"], rows[index + 2]["name"]}
    return [
        row
        for row in rows
        if row["type"] not in ("note", "end group") and row["name"] not in group_children
    ]


# --- The CSV sheets, read as a reviewer would ----------------------------------------------


def test_pyxform_converts_the_assembled_workbook_to_an_xform_in_both_languages():
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    xform = convert(xlsform=default_questionnaire_workbook(), warnings=warnings).xform
    assert warnings == []
    assert f'<translation lang="{LO}" default="true()">' in xform
    assert f'<translation lang="{EN}">' in xform
    assert "relevant=\" /data/tech_internet  != 'none'\"" in xform


def test_it_has_the_seven_pillars_of_the_lao_dma_and_marks_the_four_enablers():
    pillars = sheet("pillars")
    assert [row["code"] for row in pillars] == list(PILLARS)
    assert {row["code"]: row[f"name::{EN}"] for row in pillars} == PILLARS
    assert {row["code"] for row in pillars if row["is_enabler"] == "yes"} == ENABLERS
    assert {row["is_enabler"] for row in pillars} == {"yes", "no"}
    assert all(LAO_LETTER.search(row[f"name::{LO}"]) for row in pillars)


def test_it_asks_at_least_fifty_questions_with_six_or_more_per_pillar():
    rows = questions_rows()
    per_pillar = Counter(row["pillar"] for row in rows)
    assert len(rows) >= 50
    assert set(per_pillar) == set(PILLARS)
    assert min(per_pillar.values()) >= 6, per_pillar
    codes = [row["name"] for row in rows]
    assert len(codes) == len(set(codes))
    # Stable, readable codes that say which pillar they belong to.
    prefixes = {"institution": "inst"}
    for row in rows:
        assert row["name"].startswith(prefixes.get(row["pillar"], row["pillar"]) + "_"), row


def test_every_label_hint_message_and_choice_is_written_in_lao_and_in_english():
    assert assert_bilingual(FOLDER, always={"label"}) > 300


def test_the_five_sex_disaggregated_counts_are_in_skills_with_their_gender_roles():
    rows = sheet("survey")
    groups = {row["name"]: index for index, row in enumerate(rows) if row["type"] == "begin group"}
    assert {name: rows[i]["gender_role"] for name, i in groups.items()} == GENDER_ROLES
    for name, index in groups.items():
        women, men, end = rows[index + 1], rows[index + 2], rows[index + 3]
        assert rows[index]["pillar"] == "skills"
        assert (women["type"], women["name"], women[f"label::{EN}"]) == (
            "integer",
            f"{name}_f",
            "Women",
        )
        assert (men["type"], men["name"], men[f"label::{EN}"]) == ("integer", f"{name}_m", "Men")
        assert (women[f"label::{LO}"], men[f"label::{LO}"]) == ("ຍິງ", "ຊາຍ")
        assert end["type"] == "end group"
        if name != "skills_staff":
            # Nobody can be counted among, say, trained women who is not a woman on the staff.
            assert women["constraint"] == men["constraint"] == ". >= 0 and . <= ${skills_staff}"


def test_every_choice_list_is_defined_and_every_reference_names_a_question():
    lists = {row["list_name"] for row in sheet("choices")}
    rows = sheet("survey")
    names = {row["name"] for row in rows if row["name"]}
    for row in rows:
        kind, _, list_name = row["type"].partition(" ")
        if kind in ("select_one", "select_multiple"):
            assert list_name in lists, row["name"]
        for column in ("relevant", "constraint", "score"):
            for reference in re.findall(r"\$\{([^}]+)\}", row[column]):
                assert reference in names, (row["name"], column, reference)
        for column in ("relevant", "constraint"):
            if row[column]:
                expressions.parse(row[column])  # within the subset the platform evaluates
    used = {row["type"].partition(" ")[2] for row in rows if row["type"].startswith("select")}
    assert used == lists, "a choice list nobody uses"


def test_the_answer_scales_have_three_scored_levels_and_a_dont_know():
    choices = sheet("choices")
    by_list: dict[str, list[dict]] = {}
    for row in choices:
        by_list.setdefault(row["list_name"], []).append(row)
    for list_name, rows in by_list.items():
        scores = [row["score"] for row in rows]
        if any(row["dont_know"] == "yes" for row in rows):
            assert [row["name"] for row in rows if row["dont_know"] == "yes"] == ["dont_know"]
            assert [row["score"] for row in rows if row["dont_know"] == "yes"] == [""]
            assert sorted(float(s) for s in scores if s) == [0, 0.5, 1], list_name
    single = [row for row in questions_rows() if row["type"].startswith("select_one")]
    with_dont_know = [
        row
        for row in single
        if any(c["dont_know"] == "yes" for c in by_list[row["type"].split()[1]])
    ]
    assert len(with_dont_know) >= 0.9 * len(single)
    multiple = [row for row in questions_rows() if row["type"].startswith("select_multiple")]
    assert len(multiple) >= 4
    for row in multiple:
        # Summed and capped at 1: several answers are needed for the full score.
        scores = [float(c["score"]) for c in by_list[row["type"].split()[1]]]
        assert max(scores) <= 0.5 and sum(scores) >= 1 and min(scores) == 0, row["name"]


def test_numbers_are_scored_by_thresholds_or_as_a_ratio():
    scored = {row["name"]: row["score"] for row in questions_rows() if row["score"]}
    assert scored["tech_computers"] == "ratio:${skills_staff}"
    assert scored["service_online_count"] == "ratio:${service_count}"
    thresholds = [code for code, rule in scored.items() if not rule.startswith("ratio:")]
    assert len(thresholds) >= 3


def test_every_pillar_has_one_recommendation_for_each_of_the_five_stages():
    recommendations = sheet("recommendations")
    assert len(recommendations) == 35
    assert {(row["pillar"], int(row["stage"])) for row in recommendations} == {
        (pillar, stage) for pillar in PILLARS for stage in range(1, 6)
    }
    texts = [row[f"text::{EN}"] for row in recommendations]
    assert len(set(texts)) == 35
    assert [row[f"name::{EN}"] for row in sheet("stages")] == [
        "Digitally nascent",
        "Digitally emerging",
        "Digitally agile and integrated",
        "Digitally transformed",
        "Digitally innovative",
    ]


def test_the_settings_name_the_form_and_make_lao_the_default_language():
    (settings,) = sheet("settings")
    assert settings["form_id"] == FORM_ID
    assert settings["default_language"] == LO
    assert settings["respondent_type"] == "organisation"
    assert LAO_LETTER.search(settings["form_title"])


# --- Loading --------------------------------------------------------------------------------


@pytest.fixture
def loaded(db) -> QuestionnaireVersion:
    with translation.override("en"):
        message, _staff = default_questionnaire_load()
    assert message.startswith(f"Built-in questionnaire {FORM_ID} v1 published")
    return QuestionnaireVersion.objects.get(form_id=FORM_ID)


def test_loading_publishes_one_version_with_every_pillar_question_and_recommendation(loaded):
    assert loaded.status == VersionStatus.PUBLISHED and loaded.published_at is not None
    assert loaded.languages == ["lo", "en"]
    assert loaded.title["en"] == TITLE_EN == loaded.questionnaire.title["en"]
    assert LAO_LETTER.search(loaded.title["lo"])
    assert loaded.questionnaire.respondent_type == "organisation"
    pillars = list(loaded.pillars.order_by("order"))
    assert [p.code for p in pillars] == list(PILLARS)
    assert {p.code for p in pillars if p.is_enabler} == ENABLERS
    questions = loaded.questions.exclude(kind=QuestionKind.NOTE)
    assert questions.count() == len(questions_rows()) >= 50
    assert not questions.filter(pillar__isnull=True).exists()
    counts = questions.filter(kind=QuestionKind.COUNT_BY_SEX)
    assert {q.code: q.gender_role for q in counts} == GENDER_ROLES
    assert {q.pillar.code for q in counts} == {"skills"}
    assert loaded.recommendations.count() == 35
    assert loaded.stage_name(3, "en") == "Digitally agile and integrated"
    assert LAO_LETTER.search(loaded.stage_name(3, "lo"))


def test_every_scored_choice_question_has_scores_and_most_have_dont_know(loaded):
    choice_kinds = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.YES_NO)
    questions = list(
        Question.objects.filter(version=loaded, kind__in=choice_kinds).prefetch_related("choices")
    )
    scored = [q for q in questions if q.is_scored]
    assert {q.code for q in questions} - {q.code for q in scored} == {"service_fees"}
    for question in scored:
        answers = [c for c in question.choices.all() if not c.is_dont_know]
        assert all(c.score is not None for c in answers), question.code
    single = [q for q in scored if q.kind == QuestionKind.SINGLE_CHOICE]
    with_dont_know = [q for q in single if any(c.is_dont_know for c in q.choices.all())]
    assert len(with_dont_know) == len(single)
    numbers = Question.objects.filter(
        version=loaded, kind__in=(QuestionKind.INTEGER, QuestionKind.DECIMAL)
    ).exclude(scoring={})
    assert {q.code: q.scoring for q in numbers}["tech_computers"] == {"ratio_to": "skills_staff"}


def test_loading_again_creates_nothing(loaded):
    with translation.override("en"):
        assert default_questionnaire_load() == [
            f"Built-in questionnaire {FORM_ID} already present.",
            f"Built-in questionnaire {STAFF_FORM_ID} already present.",
        ]
    assert QuestionnaireVersion.objects.filter(form_id=FORM_ID).count() == 1
    assert loaded.questionnaire.versions.count() == 1


def test_load_reference_data_loads_the_built_in_questionnaires_once(db):
    from django.core.management import call_command

    first, second = io.StringIO(), io.StringIO()
    call_command("load_reference_data", stdout=first)
    call_command("load_reference_data", stdout=second)
    for form_id in (FORM_ID, STAFF_FORM_ID):
        assert f"ເຜີຍແຜ່ແບບສອບຖາມມາດຕະຖານ {form_id} ສະບັບ 1 ແລ້ວ" in first.getvalue()
        assert f"ມີແບບສອບຖາມມາດຕະຖານ {form_id} ຢູ່ແລ້ວ" in second.getvalue()
        version = QuestionnaireVersion.objects.get(form_id=form_id)
        assert version.status == VersionStatus.PUBLISHED


def test_an_administrator_downloads_it_as_an_xlsform_that_imports_back_the_same(client, loaded):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    admin = UserFactory(username="admin")
    grant(admin, Role.ADMINISTRATOR, nation)
    client.force_login(admin)
    download = client.get(reverse("surveys:version_download", args=[loaded.pk]))
    assert download.status_code == 200
    spec, result = read_form(file=download.content, filename="lao_dma_state-v1.xlsx")
    assert result.problems == [] and spec is not None
    originals = {q.code: q for q in loaded.questions.all()}
    assert [q.code for q in spec.questions] == list(
        loaded.questions.order_by("order").values_list("code", flat=True)
    )
    for question in spec.questions:
        original = originals[question.code]
        assert (question.kind, question.label, question.relevant, question.constraint) == (
            original.kind,
            original.label,
            original.relevant,
            original.constraint,
        ), question.code
        assert (question.scoring, question.gender_role) == (
            original.scoring,
            original.gender_role,
        )
    assert len(spec.recommendations) == 35


# --- A focal point answers it ---------------------------------------------------------------

# Numbers for the best and the worst organisation: 40 staff, every count and ratio at the top,
# or nothing at all (but the staff and the services, which are not scored themselves).
BEST_NUMBERS = {
    "tech_computers": "45",
    "service_count": "12",
    "service_online_count": "12",
    "inst_budget_share": "4.5",
    "collab_projects": "3",
}
WORST_NUMBERS = {
    "tech_computers": "0",
    "service_count": "12",
    "service_online_count": "0",
    "collab_projects": "0",
}
BEST_COUNTS = {
    "skills_staff": (22, 18),
    "skills_digital": (22, 18),
    "skills_ict_staff": (1, 2),
    "skills_trained": (22, 18),
    "skills_managers": (3, 4),
}
WORST_COUNTS = {"skills_staff": (22, 18), "skills_managers": (3, 4)}


def answers_for(question: Question, *, best: bool):
    """The form value of the best (or the worst) answer to one question."""
    choices = [c for c in question.choices.all() if not c.is_dont_know]
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        if best:
            return [c.value for c in choices if c.score]
        return [next(c.value for c in choices if c.score == 0)]
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO):
        scored = [c for c in choices if c.score is not None]
        if not scored:
            return "yes"  # service_fees: the organisation charges fees, so payment is asked
        chosen = max(scored, key=lambda c: c.score) if best else min(scored, key=lambda c: c.score)
        return chosen.value
    if question.kind == QuestionKind.COUNT_BY_SEX:
        return (BEST_COUNTS if best else WORST_COUNTS).get(question.code, (0, 0))
    return (BEST_NUMBERS if best else WORST_NUMBERS).get(question.code)


def fill_and_submit(client, response: Response, *, best: bool) -> None:
    version = response.round.version
    for pillar in version.pillars.order_by("order"):
        response.refresh_from_db()
        data: dict = {"lock_version": str(response.lock_version)}
        for question in pillar.questions.prefetch_related("choices"):
            value = answers_for(question, best=best)
            if question.kind == QuestionKind.COUNT_BY_SEX:
                data[f"q-{question.code}-F"], data[f"q-{question.code}-M"] = map(str, value)
            elif value is not None:
                data[f"q-{question.code}"] = value
        url = reverse("surveys:response_page", args=[response.pk, pillar.code])
        saved = client.post(url, data)
        assert saved.status_code == 302, (pillar.code, best)
    response.refresh_from_db()
    submitted = client.post(
        reverse("surveys:response_submit", args=[response.pk]),
        {"lock_version": str(response.lock_version)},
    )
    assert submitted.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED


@pytest.fixture
def district_filling(loaded):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    province = make_organisation(code="LA06", kind=OrganisationKind.PROVINCE, parent=nation)
    best = make_organisation(code="LA0601", kind=OrganisationKind.DISTRICT, parent=province)
    worst = make_organisation(code="LA0602", kind=OrganisationKind.DISTRICT, parent=province)
    round_ = make_filling_round(version=loaded, organisations=[best, worst])
    focal = UserFactory(username="focal")
    grant(focal, Role.FOCAL_POINT, best)
    grant(focal, Role.FOCAL_POINT, worst)
    return {"round": round_, "focal": focal, "best": best, "worst": worst}


def test_the_best_answers_score_five_and_the_worst_score_one_in_every_pillar(
    client, district_filling
):
    client.force_login(district_filling["focal"])
    for key, best, expected in (("best", True, 5.0), ("worst", False, 1.0)):
        response = Response.objects.get(
            round=district_filling["round"], organisation=district_filling[key]
        )
        fill_and_submit(client, response, best=best)
        response_score(response_id=response.pk)
        scores = {
            row.pillar: row
            for row in ResponseScore.objects.filter(response=response).exclude(pillar=OVERALL)
        }
        assert set(scores) == set(PILLARS)
        for code, row in scores.items():
            assert row.score == pytest.approx(expected), (key, code)
            assert row.dont_know == 0 and row.unanswered == 0, (key, code)
        if not best:
            # Internet, website, feedback and budget answers of "none" skip their follow-ups.
            assert scores["tech"].skipped == 2
            assert scores["user"].skipped == 1
            assert scores["institution"].skipped == 1


def skills_page(response: Response, **counts: tuple[int, int]) -> dict:
    """A complete skills page (best answers) with some counts replaced."""
    data: dict = {"lock_version": str(response.lock_version)}
    for question in response.round.version.questions.filter(pillar__code="skills"):
        value = counts.get(question.code) or answers_for(question, best=True)
        if question.kind == QuestionKind.COUNT_BY_SEX:
            data[f"q-{question.code}-F"], data[f"q-{question.code}-M"] = map(str, value)
        else:
            data[f"q-{question.code}"] = value
    return data


def test_women_are_counted_against_women_staff_and_men_against_men(client, district_filling):
    client.force_login(district_filling["focal"])
    response = Response.objects.get(
        round=district_filling["round"], organisation=district_filling["best"]
    )
    url = reverse("surveys:response_page", args=[response.pk, "skills"])
    # More women with skills than men on the whole staff is fine: women are compared with women.
    staff = {"skills_staff": (30, 5), "skills_trained": (3, 1), "skills_managers": (2, 1)}
    accepted = client.post(url, skills_page(response, **staff, skills_digital=(20, 5)))
    assert accepted.status_code == 302
    response.refresh_from_db()
    refused = client.post(url, skills_page(response, **staff, skills_digital=(31, 5)))
    assert refused.status_code == 200
    assert "ຈຳນວນນີ້ ບໍ່ສາມາດຫຼາຍກວ່າຈຳນວນພະນັກງານທັງໝົດ ທີ່ເປັນເພດດຽວກັນ" in refused.content.decode()
    digital = response.answers.filter(question__code="skills_digital", sex="F").get()
    assert digital.number == 20
