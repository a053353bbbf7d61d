"""XLSForm names are canonical (issue 9, point 4; the field case b10): a question, list or
choice name or a form id with an invisible character refuses the file with sheet, row, column
and the character; names differing only in letter case refuse it; labels lose stray zero-width
characters at their ends."""

import pytest
from django.urls import reverse

from organisations.models import OrganisationKind, Role
from surveys.models import QuestionnaireVersion
from surveys.xlsform import xlsform_import
from tests.factories import UserFactory, grant, make_organisation, make_xlsform
from tests.surveys.cases import case, needs_cases

pytestmark = pytest.mark.django_db

ZWSP, NBSP, LRM = "\u200b", "\u00a0", "\u200e"


def sheets(*, survey=None, choices=None, form_id="plan"):
    return {
        "survey": [
            ["type", "name", "label::English (en)", "hint::English (en)"],
            *(
                survey
                or [
                    ["select_one yn", "has_plan", "Has a plan?", ""],
                    ["text", "plan_name", "Name of the plan", ""],
                ]
            ),
        ],
        "choices": [
            ["list_name", "name", "label::English (en)"],
            *(choices or [["yn", "yes", "Yes"], ["yn", "no", "No"]]),
        ],
        "settings": [["form_title", "form_id"], ["Plan", form_id]],
    }


def problems(result):
    return [(p.sheet, p.line, p.column, p.message) for p in result.problems]


@needs_cases
def test_the_field_case_b10_is_refused_naming_the_cell_and_the_character():
    result = xlsform_import(file=case("b10_invisible_chars.xlsx").read_bytes(), filename="b10.xlsx")
    assert result.version is None
    assert QuestionnaireVersion.objects.count() == 0
    [(sheet, row, column, message)] = problems(result)
    assert (sheet, row, column) == ("choices", 3, "name")
    assert "U+200B ZERO WIDTH SPACE" in message and "“no”" in message


@pytest.mark.parametrize(
    ("form", "where", "character"),
    [
        (
            sheets(choices=[["yn", "yes", "Yes"], ["yn", "no" + ZWSP, "No"]]),
            ("choices", 3, "name"),
            "U+200B",
        ),
        (
            sheets(survey=[["select_one yn", "has" + NBSP + "plan", "Has a plan?", ""]]),
            ("survey", 2, "name"),
            "U+00A0",
        ),
        (
            sheets(
                survey=[["select_one yn" + LRM, "has_plan", "Has a plan?", ""]],
                choices=[["yn" + LRM, "yes", "Yes"], ["yn" + LRM, "no", "No"]],
            ),
            ("survey", 2, "type"),
            "U+200E",
        ),
        (sheets(form_id="plan" + ZWSP), ("settings", 2, "form_id"), "U+200B"),
    ],
    ids=["choice name", "question name", "list name", "form id"],
)
def test_an_invisible_character_in_a_name_refuses_the_file(form, where, character):
    result = xlsform_import(file=make_xlsform(form), filename="form.xlsx")
    assert result.version is None
    found = problems(result)
    assert where in [problem[:3] for problem in found]
    assert any(character in problem[3] for problem in found)
    assert QuestionnaireVersion.objects.count() == 0


def test_an_invisible_list_name_is_also_named_on_the_choices_sheet():
    form = sheets(choices=[["yn" + LRM, "yes", "Yes"], ["yn", "no", "No"]])
    found = problems(xlsform_import(file=make_xlsform(form), filename="form.xlsx"))
    assert ("choices", 2, "list_name") in [problem[:3] for problem in found]


@pytest.mark.parametrize(
    ("form", "where"),
    [
        (
            sheets(
                survey=[
                    ["integer", "Staff", "Staff", ""],
                    ["integer", "staff", "Staff again", ""],
                ]
            ),
            ("survey", 3, "name"),
        ),
        (
            sheets(choices=[["yn", "Yes", "Yes"], ["yn", "yes", "Yes!"], ["yn", "no", "No"]]),
            ("choices", 3, "name"),
        ),
        (sheets(choices=[["yn", "yes", "Yes"], ["YN", "no", "No"]]), ("choices", 3, "list_name")),
    ],
    ids=["question names", "choice names of one list", "list names"],
)
def test_names_that_differ_only_in_letter_case_refuse_the_file(form, where):
    result = xlsform_import(file=make_xlsform(form), filename="form.xlsx")
    assert result.version is None
    found = problems(result)
    assert where in [problem[:3] for problem in found], found
    assert any("ພິມໃຫຍ່-ພິມນ້ອຍ" in problem[3] for problem in found)  # "letter case"


def test_the_same_choice_name_in_two_lists_is_fine():
    form = sheets(
        survey=[
            ["select_one yn", "has_plan", "Has a plan?", ""],
            ["select_one level", "level", "Level", ""],
        ],
        choices=[["yn", "yes", "Yes"], ["yn", "no", "No"], ["level", "Yes", "Yes"]],
    )
    assert xlsform_import(file=make_xlsform(form), filename="form.xlsx").ok


def test_labels_lose_zero_width_characters_at_their_ends_and_keep_their_text():
    form = sheets(
        survey=[["select_one yn", "has_plan", ZWSP + "Has a plan?" + ZWSP + " ", NBSP + "A hint"]],
        choices=[["yn", "yes", "Yes" + ZWSP], ["yn", "no", "N" + ZWSP + "o"]],
    )
    result = xlsform_import(file=make_xlsform(form), filename="form.xlsx")
    assert result.ok, problems(result)
    question = result.version.questions.get(code="has_plan")
    assert question.label == {"en": "Has a plan?"}
    assert question.hint == {"en": "A hint"}
    labels = [choice.label["en"] for choice in question.choices.order_by("order")]
    assert labels == ["Yes", "N" + ZWSP + "o"]  # inside the text it is the author's text


@needs_cases
def test_the_upload_page_shows_the_refusal_in_lao_with_its_cell(client):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    admin = UserFactory(username="admin")
    grant(admin, Role.ADMINISTRATOR, nation)
    client.force_login(admin)
    with case("b10_invisible_chars.xlsx").open("rb") as upload:
        page = client.post(reverse("surveys:questionnaire_upload"), {"file": upload})
    content = page.content.decode()
    assert "U+200B ZERO WIDTH SPACE" in content
    assert "ມີຕົວອັກສອນທີ່ເບິ່ງບໍ່ເຫັນ" in content  # "contains an invisible character"
    assert QuestionnaireVersion.objects.count() == 0
