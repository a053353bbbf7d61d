"""Importing XLSForms: every supported feature, and every refusal (all or nothing)."""

import copy
import io

import pytest
from django.conf import settings
from django.utils import translation

from surveys.models import (
    Choice,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    VersionStatus,
)
from surveys.xlsform import xlsform_import
from tests.factories import full_xlsform_sheets, make_xlsform


def import_sheets(sheets, **kwargs):
    return xlsform_import(file=make_xlsform(sheets), filename="form.xlsx", **kwargs)


def with_row(sheets, sheet, row):
    changed = copy.deepcopy(sheets)
    changed[sheet].append(row)
    return changed


@pytest.fixture
def sheets():
    return full_xlsform_sheets()


def test_it_imports_every_supported_feature_as_a_draft(db, sheets):
    result = import_sheets(sheets)
    assert result.problems == []
    version = result.version
    assert version.status == VersionStatus.DRAFT
    assert version.number == 1
    assert version.questionnaire.code == "dra_test"
    assert version.languages == ["lo", "en"]
    assert version.language_columns == {"lo": "Lao (lo)", "en": "English (en)"}
    assert version.xlsform_settings == {"version": "2026.1"}
    pillars = list(version.pillars.all())
    assert [(p.code, p.weight, p.is_enabler) for p in pillars] == [
        ("tech", 2.0, True),
        ("skills", 1.0, True),
    ]
    assert pillars[0].name == {"lo": "ເຕັກໂນໂລຊີ", "en": "Technology"}
    questions = {q.code: q for q in version.questions.all()}
    assert list(questions) == [
        "intro",
        "has_website",
        "website_url",
        "connectivity",
        "services",
        "computers",
        "strategy_date",
        "staff",
        "trained",
        "budget_share",
    ]
    assert questions["intro"].kind == QuestionKind.NOTE
    assert questions["intro"].pillar.code == "tech"  # a leading note joins the first pillar
    assert questions["has_website"].kind == QuestionKind.YES_NO
    assert questions["has_website"].required and questions["has_website"].weight == 2.0
    assert questions["website_url"].relevant == "${has_website} = ’yes’"
    connectivity = questions["connectivity"]
    assert connectivity.kind == QuestionKind.SINGLE_CHOICE
    assert connectivity.hint == {"lo": "ເລືອກໜຶ່ງ", "en": "Choose one"}
    assert connectivity.extra == {"appearance": "minimal"}
    assert [(c.value, c.score, c.is_dont_know) for c in connectivity.choices.all()] == [
        ("none", 0.0, False),
        ("slow", 0.5, False),
        ("fast", 1.0, False),
        ("dk", None, True),
    ]
    assert questions["services"].kind == QuestionKind.MULTIPLE_CHOICE
    assert questions["services"].constraint_message == {"lo": "ບໍ່ເກີນ 2", "en": "At most 2"}
    assert questions["computers"].scoring == {"thresholds": [[0, 0], [1, 0.5], [10, 1]]}
    assert questions["strategy_date"].kind == QuestionKind.DATE
    staff = questions["staff"]
    assert staff.kind == QuestionKind.COUNT_BY_SEX
    assert staff.required and staff.pillar.code == "skills" and staff.gender_role == "staff"
    assert staff.label == {"lo": "ພະນັກງານ", "en": "Staff"}
    trained = questions["trained"]
    assert trained.scoring == {"ratio_to": "staff"}
    assert trained.constraint == "${trained_f} <= ${staff_f} and ${trained_m} <= ${staff_m}"
    assert trained.constraint_message == {"lo": "ເກີນ", "en": "Too many"}
    assert questions["budget_share"].kind == QuestionKind.DECIMAL
    assert questions["budget_share"].weight == 0.5
    assert version.stage_names["1"] == {"lo": "ເລີ່ມຕົ້ນ", "en": "Nascent"}
    assert version.stage_names["5"]["en"] == "Digitally innovative"  # default kept
    recommendations = list(version.recommendations.all())
    assert [(r.pillar.code, r.stage) for r in recommendations] == [("tech", 1), ("skills", 1)]
    assert recommendations[0].text == {"lo": "ເຊື່ອມຕໍ່ອິນເຕີເນັດ", "en": "Connect every office"}


def test_a_second_import_of_the_same_form_is_the_next_version(db, sheets):
    first = import_sheets(sheets).version
    second = import_sheets(sheets).version
    assert (second.questionnaire_id, second.number) == (first.questionnaire_id, 2)
    assert Questionnaire.objects.count() == 1


XLS_FORMS = settings.BASE_DIR.parent / "shared" / "xlsforms"
needs_xls_forms = pytest.mark.skipif(
    not XLS_FORMS.is_dir(), reason="../shared/xlsforms is not beside the clone"
)


@needs_xls_forms
def test_it_reads_legacy_xls_files_through_the_same_path(db):
    # A real Excel 97-2003 file (OLE compound document, read by xlrd), not an .xlsx renamed.
    path = XLS_FORMS / "07_pyxform_ict_survey_fails.xls"
    assert path.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    result = xlsform_import(file=str(path), filename=path.name)
    assert result.problems == []
    question = result.version.questions.get()
    assert question.code == "internet_teach"
    assert question.kind == QuestionKind.YES_NO
    assert sorted(question.choices.values_list("value", flat=True)) == ["no", "yes"]


@needs_xls_forms
def test_a_legacy_xls_file_is_refused_with_the_rows_excel_shows(db):
    path = XLS_FORMS / "04_pyxform_tutorial.xls"
    result = xlsform_import(file=path.read_bytes(), filename=path.name)
    assert result.version is None
    assert ("survey", 2, "type") in [(p.sheet, p.line, p.column) for p in result.problems]
    assert "begin repeat" in result.problems[0].message


def test_groups_become_pillars_when_there_is_no_pillar_column(db):
    sheets = {
        "survey": [
            ["type", "name", "label"],
            ["begin group", "infra", "Infrastructure"],
            ["integer", "pcs", "Computers"],
            ["begin group", "inner", "Inner"],
            ["text", "notes", "Notes"],
            ["end group"],
            ["end group"],
            ["begin group", "people", "People"],
            ["integer", "staff", "Staff"],
            ["end group"],
            ["text", "comment", "Comment"],
        ],
        "settings": [["form_title", "form_id"], ["Kobo form", "kobo"]],
    }
    version = import_sheets(sheets).version
    assert [(p.code, p.name) for p in version.pillars.all()] == [
        ("infra", {"en": "Infrastructure"}),
        ("people", {"en": "People"}),
        ("main", {"en": "Kobo form"}),
    ]
    assert {q.code: q.pillar.code for q in version.questions.all()} == {
        "pcs": "infra",
        "notes": "infra",
        "staff": "people",
        "comment": "main",
    }


def test_bare_and_other_language_columns_keep_their_codes(db):
    sheets = {
        "survey": [
            ["type", "name", "label", "label::Chinese (zh)", "label::Swahili"],
            ["text", "name_q", "Name", "名字", "Jina"],
        ],
    }
    version = import_sheets(sheets).version
    assert version.languages == ["en", "zh", "Swahili"]
    assert version.questions.get().label == {"en": "Name", "zh": "名字", "Swahili": "Jina"}
    assert version.language_columns == {"en": "", "zh": "Chinese (zh)", "Swahili": "Swahili"}


def test_metadata_is_skipped_with_a_warning_and_notes_are_kept(db):
    sheets = {
        "survey": [
            ["type", "name", "label"],
            ["start", "start", ""],
            ["deviceid", "deviceid", ""],
            ["note", "welcome", "Welcome"],
            ["integer", "pcs", "Computers"],
        ],
    }
    with translation.override("en"):
        result = import_sheets(sheets)
    assert [q.code for q in result.version.questions.all()] == ["welcome", "pcs"]
    assert [(w.line, w.column) for w in result.warnings] == [(2, "type"), (3, "type")]
    assert "metadata" in result.warnings[0].message


def refusal(sheets, language="en", **kwargs):
    before = (
        Questionnaire.objects.count(),
        QuestionnaireVersion.objects.count(),
        Question.objects.count(),
        Choice.objects.count(),
    )
    with translation.override(language):
        result = import_sheets(sheets, **kwargs)
    assert result.version is None
    assert result.problems
    after = (
        Questionnaire.objects.count(),
        QuestionnaireVersion.objects.count(),
        Question.objects.count(),
        Choice.objects.count(),
    )
    assert after == before, "a refused file must change nothing"
    return result.problems


def survey_row(sheets, **cells):
    header = sheets["survey"][0]
    return [cells.get(column, "") for column in header]


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"type": "geopoint", "name": "where", "label::English (en)": "Where"}, "type", "geopoint"),
        ({"type": "image", "name": "photo", "label::English (en)": "Photo"}, "type", "image"),
        (
            {"type": "begin repeat", "name": "rep", "label::English (en)": "Rep"},
            "type",
            "begin repeat",
        ),
        ({"type": "selfie", "name": "x", "label::English (en)": "X"}, "type", "Unknown"),
        ({"type": "select_one nolist", "name": "x", "label::English (en)": "X"}, "type", "nolist"),
        (
            {"type": "text", "name": "computers", "label::English (en)": "Again"},
            "name",
            "already used",
        ),
        ({"type": "text", "name": "2bad", "label::English (en)": "Bad"}, "name", "valid name"),
        (
            {"type": "text", "name": "x", "label::English (en)": "X", "relevant": "${a} ="},
            "relevant",
            "ends too early",
        ),
        (
            {"type": "text", "name": "x", "label::English (en)": "X", "relevant": "${ghost} = 1"},
            "relevant",
            "ghost",
        ),
        (
            {
                "type": "text",
                "name": "x",
                "label::English (en)": "X",
                # regex() is taken; a look-ahead is read differently by the browser: refused.
                "constraint": "regex(., '(?=a)')",
            },
            "constraint",
            "regex",
        ),
        (
            {"type": "integer", "name": "x", "label::English (en)": "X", "score": "0:0;5:2"},
            "score",
            "0 to 1",
        ),
        (
            {"type": "integer", "name": "x", "label::English (en)": "X", "score": "ratio:${nope}"},
            "score",
            "nope",
        ),
        (
            {"type": "text", "name": "x", "label::English (en)": "X", "score": "1"},
            "score",
            "Only numbers and choices",
        ),
        (
            {"type": "integer", "name": "x", "label::English (en)": "X", "weight": "-1"},
            "weight",
            "weight",
        ),
        (
            {"type": "integer", "name": "x", "label::English (en)": "X", "required": "maybe"},
            "required",
            "required",
        ),
        (
            {"type": "integer", "name": "x", "label::English (en)": "X", "pillar": "ghost"},
            "pillar",
            "pillars sheet",
        ),
        ({"type": "integer", "name": "x"}, "", "no label"),
    ],
)
def test_it_refuses_a_bad_survey_row_and_says_where(db, sheets, cells, column, words):
    errors = refusal(with_row(sheets, "survey", survey_row(sheets, **cells)))
    row = len(sheets["survey"]) + 1
    assert any(
        e.sheet == "survey" and e.line == row and e.column == column and words in e.message
        for e in errors
    ), errors


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["yes_no", "yes", "ມີ", "Yes", "1", ""], "name", "twice"),
        (["services", "fax", "ແຟັກ", "Fax", "1.5", ""], "score", "0 to 1"),
        (["services", "fax", "ແຟັກ", "Fax", "high", ""], "score", "0 to 1"),
        (["services", "fax", "ແຟັກ", "Fax", "", "perhaps"], "dont_know", "yes"),
    ],
)
def test_it_refuses_a_bad_choice_row(db, sheets, row, column, words):
    errors = refusal(with_row(sheets, "choices", row))
    number = len(sheets["choices"]) + 1
    assert any(
        e.sheet == "choices" and e.line == number and e.column == column and words in e.message
        for e in errors
    ), errors


def test_it_refuses_bad_pillars_stages_recommendations_and_settings(db, sheets):
    sheets["pillars"].append(["tech", "ຊ້ຳ", "Again", "1", "3", ""])
    sheets["stages"].append(["7", "x", "x"])
    sheets["recommendations"].append(["ghost", "1", "x", "x"])
    sheets["recommendations"].append(["tech", "1", "x", "x"])
    sheets["settings"][1][3] = "everyone"
    errors = refusal(sheets)
    found = {(e.sheet, e.line, e.column) for e in errors}
    assert ("pillars", 4, "code") in found
    assert ("stages", 3, "stage") in found
    assert ("recommendations", 4, "pillar") in found
    assert ("recommendations", 5, "stage") in found
    assert ("settings", 2, "respondent_type") in found


def test_every_problem_is_listed_at_once_in_lao(db, sheets):
    sheets["survey"].append(survey_row(sheets, type="geopoint", name="gps"))
    sheets["survey"].append(survey_row(sheets, type="select_one nolist", name="y"))
    errors = refusal(sheets, language="lo")
    assert [(e.line, e.column) for e in errors] == [(18, "type"), (19, ""), (19, "type")]
    # Messages are made in the language active when the file is read (here Lao).
    with translation.override("lo"):
        expected = translation.gettext("Unknown question type “%(type)s”.")
    with translation.override("en"):
        assert translation.gettext("Unknown question type “%(type)s”.") == (
            "Unknown question type “%(type)s”."
        )
    lao = refusal(
        with_row(full_xlsform_sheets(), "survey", survey_row(sheets, type="selfie", name="z")),
        language="lo",
    )
    assert expected % {"type": "selfie"} in [e.message for e in lao]


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"", "empty.xlsx"),
        (b"not a workbook at all", "form.xlsx"),
        (b"PK\x03\x04broken zip", "form.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1broken", "form.xls"),
        (b"type,name\ntext,x\n", "form.csv"),
    ],
)
def test_a_malformed_workbook_is_refused_not_crashed(db, content, filename):
    result = xlsform_import(file=io.BytesIO(content), filename=filename)
    assert result.version is None
    assert result.problems and result.problems[0].message


def test_a_workbook_without_a_survey_sheet_is_refused(db):
    # One sheet alone is read as the survey, as pyxform does (test_xlsform_pyxform_rows.py).
    errors = refusal(
        {"Sheet1": [["type", "name", "label"], ["text", "x", "X"]], "Sheet2": [["a"], ["b"]]}
    )
    assert "survey" in errors[0].message


def test_an_unclosed_group_and_a_stray_end_group_are_refused(db):
    errors = refusal(
        {
            "survey": [
                ["type", "name", "label"],
                ["end group"],
                ["begin group", "g", "G"],
                ["text", "x", "X"],
            ]
        }
    )
    assert {(e.line, e.column) for e in errors} == {(2, "type"), (3, "type")}


def test_publish_on_import_refuses_the_whole_file_when_a_check_fails(db, sheets):
    sheets["survey"].append(
        survey_row(sheets, type="text", name="lao_only", **{"label::Lao (lo)": "ລາວ"})
    )
    errors = refusal(sheets, publish=True)
    assert any("lao_only" in e.message for e in errors)


def test_publish_on_import_publishes_a_complete_form(db, sheets):
    version = import_sheets(sheets, publish=True).version
    assert version.status == VersionStatus.PUBLISHED


def test_an_existing_questionnaire_of_another_respondent_type_is_not_changed(db, sheets):
    import_sheets(sheets)
    sheets["settings"][1][3] = "individual"
    errors = refusal(sheets)
    assert errors[0].sheet == "settings"
