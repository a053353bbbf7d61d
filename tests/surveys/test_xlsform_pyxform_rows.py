"""Rows pyxform accepts are taken the way pyxform takes them (issue 15, point 5): a note without a
name gets pyxform's generated name, a disabled row is left out, the only sheet of a workbook is
the survey, and a name reused in another group is kept when the answers stay unambiguous (else
the file is refused with the rows and how to rename). Each accepted form exports back to an
identical version that pyxform converts."""

import io

from django.utils import translation
from pyxform.xls2xform import convert

from surveys.models import QuestionnaireVersion
from surveys.xlsform import xlsform_export, xlsform_import
from tests.factories import make_xlsform
from tests.surveys.test_xlsform_roundtrip import snapshot

EN = "label::English (en)"


def imported(sheets):
    with translation.override("en"):
        result = xlsform_import(file=make_xlsform(sheets), filename="form.xlsx")
    assert result.problems == [], result.problems
    return result


def refused(sheets):
    with translation.override("en"):
        result = xlsform_import(file=make_xlsform(sheets), filename="form.xlsx")
    assert result.version is None
    assert QuestionnaireVersion.objects.count() == 0
    return result.problems


def round_trip(version):
    data = xlsform_export(version)
    convert(xlsform=data)  # pyxform takes the export
    again = xlsform_import(file=io.BytesIO(data), filename="export.xlsx")
    assert again.problems == []
    assert snapshot(again.version) == snapshot(version)


def test_a_note_without_a_name_gets_pyxforms_generated_name(db):
    result = imported(
        {
            "survey": [
                ["type", "name", EN],
                ["note", "", "Welcome"],
                ["integer", "staff", "Staff"],
                ["note", "", "Thank you"],
            ]
        }
    )
    codes = list(result.version.questions.values_list("code", flat=True))
    assert codes == ["generated_note_name_2", "staff", "generated_note_name_4"]
    round_trip(result.version)


def test_a_question_without_a_name_is_still_refused_like_pyxform_does(db):
    errors = refused({"survey": [["type", "name", EN], ["integer", "", "Staff"]]})
    assert [(e.line, e.column) for e in errors] == [(2, "name")]
    assert "no name" in errors[0].message


def test_a_disabled_row_is_left_out_with_a_warning(db):
    result = imported(
        {
            "survey": [
                ["type", "name", EN, "disabled"],
                ["integer", "staff", "Staff", ""],
                ["geopoint", "where", "Where", "yes"],
            ]
        }
    )
    assert list(result.version.questions.values_list("code", flat=True)) == ["staff"]
    assert next((w.line, w.column) for w in result.warnings) == (3, "disabled"), result.warnings


def test_the_only_sheet_of_a_workbook_is_the_survey_whatever_its_name(db):
    result = imported({"Sheet1": [["type", "name", "label"], ["text", "state", "The State"]]})
    assert list(result.version.questions.values_list("code", flat=True)) == ["state"]
    assert "Sheet1" in result.warnings[0].message
    round_trip(result.version)


def reused_form(relevant=""):
    return {
        "survey": [
            ["type", "name", EN, "relevant"],
            ["begin group", "office", "Office", ""],
            ["integer", "computers", "Computers in the office", ""],
            ["end group", "", "", ""],
            ["begin group", "school", "School", ""],
            ["integer", "computers", "Computers in the school", ""],
            ["end group", "", "", ""],
            ["text", "why", "Why", relevant],
        ]
    }


def test_a_name_reused_in_another_group_is_kept_under_a_code_of_its_own(db):
    version = imported(reused_form()).version
    codes = list(version.questions.values_list("code", "extra"))
    assert codes == [
        ("computers", {}),
        ("school_computers", {"_name": "computers"}),
        ("why", {}),
    ]
    round_trip(version)
    # The export writes the name as the author wrote it.
    from openpyxl import load_workbook

    survey = load_workbook(io.BytesIO(xlsform_export(version)))["survey"]
    names = [row[1] for row in survey.iter_rows(min_row=2, values_only=True)]
    assert names.count("computers") == 2


def test_a_reference_to_a_reused_name_is_refused_as_ambiguous(db):
    errors = refused(reused_form(relevant="${computers} > 0"))
    assert [(e.sheet, e.line, e.column) for e in errors] == [("survey", 8, "relevant")]
    assert "ambiguous" in errors[0].message and "rows 3, 6" in errors[0].message


def test_a_reused_name_whose_code_is_taken_is_refused_with_a_new_name(db):
    form = reused_form()
    form["survey"].append(["integer", "school_computers", "Taken", ""])
    form["survey"][5], form["survey"][8] = form["survey"][8], form["survey"][5]
    # school_computers (row 6, top level) first, then computers in group school (row 9).
    errors = refused(form)
    assert [(e.line, e.column) for e in errors] == [(9, "name")]
    assert "rename one of them" in errors[0].message and "computers_9" in errors[0].message


def test_a_name_used_twice_in_the_same_group_is_refused_as_pyxform_does(db):
    errors = refused(
        {
            "survey": [
                ["type", "name", EN],
                ["integer", "computers", "A"],
                ["integer", "computers", "B"],
            ]
        }
    )
    assert [(e.line, e.column) for e in errors] == [(3, "name")]
    assert "already used on row 2" in errors[0].message
