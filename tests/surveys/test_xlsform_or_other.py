"""`or_other` (issue 15, point 3), as pyxform builds it: an "other" choice and a required
"specify" text asked only when "other" is chosen; import, the server's checks, the export round
trip through pyxform, and the filling page in Chromium (tests/e2e/test_or_other_browser.py)."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from organisations.models import OrganisationKind
from surveys.answers.cleaning import REQUIRED
from surveys.answers.rules import answers_check
from surveys.models import Answer, QuestionKind
from surveys.selectors.answers import answers_load, version_questions
from surveys.services.questionnaires import version_publish
from surveys.xlsform import xlsform_export, xlsform_import
from tests.factories import make_filling_round, make_organisation, make_xlsform
from tests.surveys.test_xlsform_calculate import save
from tests.surveys.test_xlsform_roundtrip import snapshot

LO, EN = "label::Lao (lo)", "label::English (en)"


def or_other_form(extra_row=None) -> dict:
    survey = [
        ["type", "name", LO, EN, "pillar", "score"],
        ["select_one hosting or_other", "hosting", "ບ່ອນຕິດຕັ້ງ", "Where is it hosted", "tech"],
        ["select_multiple hosting or_other", "backups", "ສຳຮອງ", "Backups", "tech"],
        ["integer", "servers", "ເຊີບເວີ", "Servers", "tech", "0:0;2:1"],
    ]
    if extra_row:
        survey.append(extra_row)
    return {
        "survey": survey,
        "choices": [
            ["list_name", "name", LO, EN],
            ["hosting", "own", "ຂອງຕົນເອງ", "Our own room"],
            ["hosting", "cloud", "ຄລາວ", "Cloud"],
        ],
        "settings": [["form_title", "form_id", "default_language"], ["ທົດລອງ", "oo", "Lao (lo)"]],
        "pillars": [["code", "name::Lao (lo)", "name::English (en)"], ["tech", "ເຕັກ", "Tech"]],
    }


@pytest.fixture
def version(db):
    with translation.override("en"):
        result = xlsform_import(file=make_xlsform(or_other_form()), filename="oo.xlsx")
    assert result.problems == [], result.problems
    return result.version


def test_or_other_adds_the_other_choice_and_a_specify_question(version):
    codes = list(version.questions.values_list("code", "kind"))
    assert codes == [
        ("hosting", QuestionKind.SINGLE_CHOICE),
        ("hosting_other", QuestionKind.TEXT),
        ("backups", QuestionKind.MULTIPLE_CHOICE),
        ("backups_other", QuestionKind.TEXT),
        ("servers", QuestionKind.INTEGER),
    ]
    hosting = version.questions.get(code="hosting")
    other = hosting.choices.get(value="other")
    assert other.label == {"lo": "ອື່ນໆ", "en": "Other"}
    specify = version.questions.get(code="hosting_other")
    assert specify.label == {"lo": "ລະບຸອື່ນໆ", "en": "Specify other"}
    assert specify.required and specify.relevant == "selected(${hosting}, 'other')"
    assert version_publish(version=version, user=None).status == "published"


def test_the_export_writes_or_other_back_and_comes_back_identical(version):
    data = xlsform_export(version)
    convert(xlsform=data)  # pyxform builds its own "other" and "hosting_other" from it
    book = load_workbook(io.BytesIO(data))
    survey = [row[:2] for row in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert ("select_one hosting or_other", "hosting") in survey
    assert all(name != "hosting_other" for _type, name in survey)
    assert all(row[1] != "other" for row in book["choices"].iter_rows(values_only=True))
    again = xlsform_import(file=io.BytesIO(data), filename="export.xlsx")
    assert again.problems == []
    assert snapshot(again.version) == snapshot(version)


def test_a_name_taken_by_the_specify_question_is_refused_with_the_fix(db):
    form = or_other_form(["text", "hosting_other", "ອື່ນ", "Other hosting", "tech"])
    with translation.override("en"):
        result = xlsform_import(file=make_xlsform(form), filename="oo.xlsx")
    assert result.version is None
    assert any("hosting_other" in e.message and e.line == 5 for e in result.problems), (
        result.problems
    )


@pytest.fixture
def response(version):
    version_publish(version=version, user=None)
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    return make_filling_round(version=version, organisations=[nation]).responses.get()


def test_the_server_asks_for_the_other_text_only_when_other_is_chosen(response):
    result = save(response, "tech", {"hosting": "other", "hosting_other": ""})
    assert result.errors == {}  # a draft may stay incomplete ...
    questions = version_questions(response.round.version)
    checked = answers_check(
        questions=questions,
        page=questions,
        values={},
        all_values=answers_load(response, questions),
        check_required=True,
    )
    assert checked.errors["hosting_other"] == [str(REQUIRED)]  # ... but not be submitted
    save(response, "tech", {"hosting": "other", "hosting_other": "ກະຊວງ MTC data centre"})
    row = Answer.objects.get(response=response, question__code="hosting_other")
    assert row.text == "ກະຊວງ MTC data centre"
    assert Answer.objects.get(response=response, question__code="hosting").choices == ["other"]
    # Another choice: the text is no longer asked, and what was typed is removed.
    save(response, "tech", {"hosting": "cloud"})
    assert not Answer.objects.filter(response=response, question__code="hosting_other").exists()
    save(response, "tech", {"backups": ["own", "other"], "backups_other": "USB"})
    assert Answer.objects.get(response=response, question__code="backups_other").text == "USB"
