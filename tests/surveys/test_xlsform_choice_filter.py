"""choice_filter, cascading lists from the form's choices (issue 15, point 3): province then
district; the filter is read and checked at import (bare names are the choices sheet's columns),
the server refuses a district of another province, the export round-trips through pyxform, and
the filling page filters live (tests/e2e/test_choice_filter_browser.py)."""

import io

import pytest
from django.utils import translation
from pyxform.xls2xform import convert

from organisations.models import OrganisationKind
from surveys.models import Answer
from surveys.services.questionnaires import version_publish
from surveys.xlsform import xlsform_export, xlsform_import
from tests.factories import make_filling_round, make_organisation, make_xlsform
from tests.surveys.test_xlsform_calculate import save
from tests.surveys.test_xlsform_roundtrip import snapshot

LO, EN = "label::Lao (lo)", "label::English (en)"


def cascade_form(choice_filter="province = ${province}") -> dict:
    return {
        "survey": [
            ["type", "name", LO, EN, "choice_filter", "pillar", "score"],
            ["select_one provinces", "province", "ແຂວງ", "Province", "", "area", ""],
            ["select_one districts", "district", "ເມືອງ", "District", choice_filter, "area", ""],
            ["integer", "offices", "ຫ້ອງການ", "Offices", "", "area", "0:0;5:1"],
        ],
        "choices": [
            ["list_name", "name", LO, EN, "province"],
            ["provinces", "VTE", "ນະຄອນຫຼວງວຽງຈັນ", "Vientiane Capital", ""],
            ["provinces", "LPB", "ຫຼວງພະບາງ", "Luang Prabang", ""],
            ["districts", "CTB", "ຈັນທະບູລີ", "Chanthabuly", "VTE"],
            ["districts", "SST", "ສີສັດຕະນາກ", "Sisattanak", "VTE"],
            ["districts", "LPD", "ຫຼວງພະບາງ", "Luang Prabang district", "LPB"],
        ],
        "settings": [["form_title", "form_id", "default_language"], ["ທົດລອງ", "cf", "Lao (lo)"]],
        "pillars": [["code", "name::Lao (lo)", "name::English (en)"], ["area", "ພື້ນທີ່", "Area"]],
    }


@pytest.fixture
def version(db):
    with translation.override("en"):
        result = xlsform_import(file=make_xlsform(cascade_form()), filename="cf.xlsx")
    assert result.problems == [] and result.warnings == [], (result.problems, result.warnings)
    return result.version


def test_the_filter_is_kept_and_the_export_comes_back_identical(version):
    district = version.questions.get(code="district")
    assert district.extra["choice_filter"] == "province = ${province}"
    assert district.choices.get(value="LPD").extra == {"province": "LPB"}
    data = xlsform_export(version)
    convert(xlsform=data)
    again = xlsform_import(file=io.BytesIO(data), filename="export.xlsx")
    assert again.problems == []
    assert snapshot(again.version) == snapshot(version)


@pytest.mark.parametrize(
    ("choice_filter", "words"),
    [("province = ${ghost}", "ghost"), ("province =", "ends too early")],
)
def test_a_bad_filter_is_refused_at_its_cell(db, choice_filter, words):
    with translation.override("en"):
        result = xlsform_import(file=make_xlsform(cascade_form(choice_filter)), filename="c.xlsx")
    assert result.version is None
    assert any(e.line == 3 and words in e.message for e in result.problems), result.problems


@pytest.fixture
def response(version):
    version_publish(version=version, user=None)
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    return make_filling_round(version=version, organisations=[nation]).responses.get()


def test_the_server_refuses_a_district_of_another_province(response):
    with translation.override("en"):
        result = save(response, "area", {"province": "LPB", "district": "CTB"})
    assert "not offered" in result.errors["district"][0]
    assert "CTB" in result.errors["district"][0]
    assert not Answer.objects.filter(response=response, question__code="district").exists()
    result = save(response, "area", {"province": "VTE", "district": "CTB"})
    assert result.errors == {}
    assert Answer.objects.get(response=response, question__code="district").choices == ["CTB"]
