"""Export: the same shape, an identical version when imported back, a valid XForm for ODK."""

import io
import zipfile

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from surveys.models import QuestionnaireVersion
from surveys.services.questionnaires import version_publish
from surveys.xlsform import xlsform_export, xlsform_import
from tests.factories import full_xlsform_sheets, make_version_of_every_kind, make_xlsform


def snapshot(version: QuestionnaireVersion) -> dict:
    """Everything a version says, without ids, numbers or dates."""
    return {
        "title": version.title,
        "languages": version.languages,
        "language_columns": version.language_columns,
        "stage_names": version.stage_names,
        "form_id": version.form_id,
        "settings": version.xlsform_settings,
        "respondent_type": version.questionnaire.respondent_type,
        "pillars": [
            (p.code, p.name, p.description, p.weight, p.order, p.is_enabler)
            for p in version.pillars.all()
        ],
        "questions": [
            (
                q.code,
                q.pillar.code if q.pillar else None,
                q.order,
                q.kind,
                q.label,
                q.hint,
                q.required,
                q.relevant,
                q.constraint,
                q.constraint_message,
                q.weight,
                q.scoring,
                q.gender_role,
                q.list_name,
                q.group,
                q.extra,
                [
                    (c.value, c.label, c.score, c.is_dont_know, c.order, c.extra)
                    for c in q.choices.all()
                ],
            )
            for q in version.questions.select_related("pillar").prefetch_related("choices")
        ],
        "recommendations": [
            (r.pillar.code, r.stage, r.text) for r in version.recommendations.all()
        ],
    }


def reimport(version):
    result = xlsform_import(file=io.BytesIO(xlsform_export(version)), filename="export.xlsx")
    assert result.problems == []
    return result.version


def test_a_full_form_comes_back_identical(db):
    version = xlsform_import(file=make_xlsform(full_xlsform_sheets()), filename="form.xlsx").version
    again = reimport(version)
    assert again.number == version.number + 1
    assert snapshot(again) == snapshot(version)


def test_a_form_with_nested_groups_relevant_groups_and_extra_columns_comes_back_identical(db):
    sheets = {
        "survey": [
            [
                "type",
                "name",
                "label::English (en)",
                "label::Swahili",
                "relevant",
                "appearance",
                "media::image::English (en)",
                "default",
            ],
            ["begin group", "g1", "Group one", "Kundi", "", "field-list", "", ""],
            ["select_one yn", "q1", "Q1", "S1", "", "", "q1.png", ""],
            ["begin group", "g2", "Inner", "Ndani", "${q1} = 'yes'", "", "", ""],
            ["integer", "q2", "Q2", "S2", ". > 0 or true()", "", "", "3"],
            ["end group"],
            ["end group"],
            ["text", "q3", "Q3", "S3", "", "", "", ""],
        ],
        "choices": [
            ["list_name", "name", "label::English (en)", "label::Swahili", "media::image"],
            ["yn", "yes", "Yes", "Ndiyo", "yes.png"],
            ["yn", "no", "No", "Hapana", ""],
        ],
        "settings": [["form_title", "form_id", "style"], ["Nested", "nested", "pages"]],
    }
    version = xlsform_import(file=make_xlsform(sheets), filename="nested.xlsx").version
    q2 = version.questions.get(code="q2")
    assert q2.relevant == "(${q1} = 'yes') and (. > 0 or true())"
    assert snapshot(reimport(version)) == snapshot(version)


def test_a_version_made_in_the_database_exports_and_comes_back_identical(db):
    version = make_version_of_every_kind()
    again = reimport(version)

    def without_list_names(questions):
        # Such a version has no choice list names; the export names each list after its question.
        return [question[:13] + question[14:] for question in questions]

    assert without_list_names(snapshot(again)["questions"]) == without_list_names(
        snapshot(version)["questions"]
    )
    assert again.questions.get(code="connectivity").list_name == "connectivity"
    # The title travels in every language: form_title (Lao, the default) and form_title_en.
    assert again.title == version.title == {"lo": "ແບບສອບຖາມ dra", "en": "Questionnaire dra"}


def test_the_export_has_the_same_shape(db):
    version = xlsform_import(file=make_xlsform(full_xlsform_sheets()), filename="f.xlsx").version
    workbook = load_workbook(io.BytesIO(xlsform_export(version)))
    assert workbook.sheetnames == [
        "survey",
        "choices",
        "settings",
        "pillars",
        "stages",
        "recommendations",
    ]
    survey = [[cell.value for cell in row] for row in workbook["survey"].iter_rows()]
    header = survey[0]
    assert header[:4] == ["type", "name", "label::Lao (lo)", "label::English (en)"]
    rows = [dict(zip(header, row, strict=True)) for row in survey[1:]]
    types = [(r["type"], r["name"]) for r in rows]
    # A count by sex travels as a group of two integers, women then men.
    start = types.index(("begin group", "staff"))
    assert types[start : start + 4] == [
        ("begin group", "staff"),
        ("integer", "staff_f"),
        ("integer", "staff_m"),
        ("end group", None),
    ]
    women = rows[start + 1]
    assert (women["label::Lao (lo)"], women["label::English (en)"]) == ("ຍິງ", "Women")
    assert rows[start]["pillar"] == "skills"


@pytest.mark.parametrize("publish", [False, True])
def test_pyxform_turns_the_export_into_a_valid_xform(db, publish):
    version = xlsform_import(file=make_xlsform(full_xlsform_sheets()), filename="f.xlsx").version
    if publish:
        version = version_publish(version=version, user=None)
    xform = convert(xlsform=xlsform_export(version)).xform
    assert "<h:title>ການປະເມີນ</h:title>" in xform
    assert 'nodeset="/data/staff/staff_f"' in xform
    assert "jr:constraintMsg" in xform
    assert 'lang="Lao (lo)"' in xform


FORMULA_LIKE = ["=1+1", "+856 20 5555 1234", "- none of these", "@all staff", '=HYPERLINK("x")']


def test_text_that_looks_like_a_formula_is_written_as_text_and_comes_back_the_same(db):
    """Issue 9, point 10: what we write is data, never a formula."""
    version = make_version_of_every_kind()
    question = version.questions.get(code="website_url")
    question.label = {"lo": FORMULA_LIKE[0], "en": FORMULA_LIKE[1]}
    question.hint = {"lo": FORMULA_LIKE[2], "en": FORMULA_LIKE[3]}
    question.save()
    choice = version.questions.get(code="connectivity").choices.order_by("order").first()
    choice.label = {"lo": FORMULA_LIKE[4], "en": FORMULA_LIKE[0]}
    choice.save()

    exported = xlsform_export(version)
    workbook = load_workbook(io.BytesIO(exported))
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value in FORMULA_LIKE
    ]
    assert {cell.value for cell in cells} == set(FORMULA_LIKE)
    assert all(cell.data_type == "s" for cell in cells)  # never "f" (a formula)
    assert all(cell.quotePrefix for cell in cells)  # and the spreadsheet program shows text
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)

    again = reimport(version)
    assert again.questions.get(code="website_url").label == question.label
    assert again.questions.get(code="website_url").hint == question.hint
    first = again.questions.get(code="connectivity").choices.order_by("order").first()
    assert first.label == choice.label
