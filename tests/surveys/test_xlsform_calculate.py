"""`calculate` (issue 15, point 1): imported with its expression, computed on the server at every
save and stored with the answers (text, and its number), usable in `relevant`, `constraint`,
scoring (thresholds on a calculate) and exports, and `${calc}` across pages; the export comes
back identical and pyxform converts it. The browser side is tests/e2e/test_calculate_browser.py."""

import io

import pytest
from django.db import transaction
from django.utils import translation
from pyxform.xls2xform import convert

from organisations.models import OrganisationKind
from reports.exports import csvzip
from reports.exports.spec import ExportSpec
from reports.exports.tables import table_for
from reports.models import ResponseScore
from reports.scoring import services as scoring
from surveys.models import Answer, QuestionKind, ResponseStatus
from surveys.selectors.answers import answers_load, version_questions
from surveys.services.answers import answers_save
from surveys.services.questionnaires import version_publish
from surveys.xlsform import xlsform_export, xlsform_import
from tests.factories import make_filling_round, make_organisation, make_xlsform
from tests.surveys.test_xlsform_roundtrip import snapshot

LO, EN = "label::Lao (lo)", "label::English (en)"
HEADER = ["type", "name", LO, EN, "relevant", "constraint", "calculation", "pillar", "score"]


def calculate_form() -> dict:
    """Two pages: tech computes computers per staff (scored) and asks why when it is low;
    people asks for a plan only when that calculate (of the other page) is at least 1."""
    return {
        "survey": [
            HEADER,
            ["integer", "computers", "ຄອມພິວເຕີ", "Computers", "", "", "", "tech", ""],
            ["integer", "staff", "ພະນັກງານ", "Staff", "", ". > 0", "", "tech", ""],
            [
                "calculate",
                "per_staff",
                "",
                "",
                "",
                "",
                "${computers} div ${staff}",
                "tech",
                "0:0;0.5:0.5;1:1",
            ],
            [
                "text",
                "why_few",
                "ເປັນຫຍັງໜ້ອຍ",
                "Why so few",
                "${per_staff} < 0.5",
                "",
                "",
                "tech",
                "",
            ],
            [
                "integer",
                "trained",
                "ຝຶກອົບຮົມ",
                "Trained",
                "",
                ". <= ${staff}",
                "",
                "people",
                "0:0;1:1",
            ],
            [
                "select_one yes_no",
                "plan",
                "ແຜນ",
                "Plan",
                "${per_staff} >= 1",
                "",
                "",
                "people",
                "",
            ],
            [
                "calculate",
                "label_of",
                "",
                "",
                "",
                "",
                "if(${plan} = 'yes', 'planned', '')",
                "people",
                "",
            ],
        ],
        "choices": [
            ["list_name", "name", LO, EN],
            ["yes_no", "yes", "ແມ່ນ", "Yes"],
            ["yes_no", "no", "ບໍ່", "No"],
        ],
        "settings": [["form_title", "form_id", "default_language"], ["ທົດລອງ", "calc", "Lao (lo)"]],
        "pillars": [
            ["code", "name::Lao (lo)", "name::English (en)"],
            ["tech", "ເຕັກໂນໂລຊີ", "Technology"],
            ["people", "ບຸກຄະລາກອນ", "People"],
        ],
    }


@pytest.fixture
def version(db):
    with translation.override("en"):
        result = xlsform_import(file=make_xlsform(calculate_form()), filename="calc.xlsx")
    assert result.problems == [], result.problems
    return result.version


def test_a_calculate_is_imported_with_its_expression_and_score(version):
    per_staff = version.questions.get(code="per_staff")
    assert per_staff.kind == QuestionKind.CALCULATE
    assert per_staff.calculation == "${computers} div ${staff}"
    assert per_staff.scoring == {"thresholds": [[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]]}
    assert per_staff.pillar.code == "tech"
    assert version_publish(version=version, user=None).status == "published"


def test_the_export_comes_back_identical_and_pyxform_converts_it(version):
    data = xlsform_export(version)
    convert(xlsform=data)
    again = xlsform_import(file=io.BytesIO(data), filename="export.xlsx")
    assert again.problems == []
    assert snapshot(again.version) == snapshot(version)


@pytest.mark.parametrize(
    ("calculation", "words"),
    [("", "calculation"), ("${ghost} + 1", "ghost"), ("1 +", "ends too early")],
)
def test_a_calculate_without_a_good_expression_is_refused_where_it_is(db, calculation, words):
    form = calculate_form()
    form["survey"][3][6] = calculation
    with translation.override("en"):
        result = xlsform_import(file=make_xlsform(form), filename="calc.xlsx")
    assert result.version is None
    assert any(e.line == 4 and words in e.message for e in result.problems), result.problems


@pytest.fixture
def response(version):
    version_publish(version=version, user=None)
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    round_ = make_filling_round(version=version, organisations=[nation])
    return round_.responses.get()


def save(response, pillar_code, values):
    questions = version_questions(response.round.version)
    pillar = response.round.version.pillars.get(code=pillar_code)
    with transaction.atomic():
        response.refresh_from_db()
        type(response).objects.select_for_update().get(pk=response.pk)
        return answers_save(
            response=response,
            pillar=pillar,
            values=values,
            user=None,
            lock_version=response.lock_version,
            questions=questions,
        )


def stored(response, code):
    return Answer.objects.get(response=response, question__code=code)


def test_the_server_computes_and_stores_a_calculate_at_every_save(response):
    result = save(response, "tech", {"computers": "3", "staff": "4"})
    assert result.errors == {}
    row = stored(response, "per_staff")
    assert (row.text, row.number) == ("0.75", pytest.approx(0.75))
    assert answers_load(response, version_questions(response.round.version))["per_staff"] == "0.75"
    # One third: the text keeps what the expression gives, the number its 4 places.
    save(response, "tech", {"computers": "1", "staff": "3"})
    row = stored(response, "per_staff")
    assert row.text == "0.3333333333333333" and str(row.number) == "0.3333"
    # An empty result (staff left empty: NaN) stores nothing.
    save(response, "tech", {"computers": "1", "staff": ""})
    assert not Answer.objects.filter(response=response, question__code="per_staff").exists()


def test_relevant_and_constraint_use_calculates_and_answers_across_pages(response):
    save(response, "tech", {"computers": "1", "staff": "4", "why_few": "no budget"})
    assert stored(response, "why_few").text == "no budget"  # 0.25 < 0.5: asked
    # The plan (people page) is asked only when per_staff (tech page) is at least 1.
    result = save(response, "people", {"trained": "9", "plan": "yes"})
    assert result.errors["trained"]  # 9 > staff 4: the constraint across pages
    assert not Answer.objects.filter(response=response, question__code="plan").exists()
    save(response, "tech", {"computers": "8", "staff": "4"})
    # why_few is now hidden (2 >= 0.5): its answer is gone, as for any skipped question.
    assert not Answer.objects.filter(response=response, question__code="why_few").exists()
    result = save(response, "people", {"trained": "3", "plan": "yes"})
    assert result.errors == {}
    assert stored(response, "plan").choices == ["yes"]
    # A calculate of the people page reads the plan: computed with this page's save.
    assert stored(response, "label_of").text == "planned"
    # A change on the tech page recomputes the people page's calculates and hides the plan.
    save(response, "tech", {"computers": "1"})
    assert not Answer.objects.filter(response=response, question__code="plan").exists()
    assert not Answer.objects.filter(response=response, question__code="label_of").exists()


def test_a_scored_calculate_scores_its_number(response):
    save(response, "tech", {"computers": "3", "staff": "4"})  # 0.75: threshold 0.5 -> 0.5
    type(response).objects.filter(pk=response.pk).update(status=ResponseStatus.SUBMITTED)
    scoring.round_rescore(round_=response.round)
    tech = ResponseScore.objects.get(response=response, pillar="tech")
    assert tech.score == pytest.approx(1 + 4 * 0.5)
    assert tech.answered == 1


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "python"])
def test_the_answers_export_carries_a_calculates_value(response, tmp_path, copy):
    save(response, "tech", {"computers": "3", "staff": "4"})
    type(response).objects.filter(pk=response.pk).update(status=ResponseStatus.SUBMITTED)
    spec = ExportSpec(
        round=response.round,
        what="answers",
        area=response.organisation,
        format="csv",
        language="en",
    )
    with translation.override("en"):
        table = table_for(spec, "answers")
        if not copy:
            table.copy_sql = None
        csvzip.write_csv(tmp_path / "answers.csv", table)
    header, row = (tmp_path / "answers.csv").read_text("utf-8-sig").splitlines()[:2]
    cells = dict(zip(header.split(","), row.split(","), strict=False))
    assert next(v for k, v in cells.items() if "per_staff" in k) == "0.75"
