"""pyxform's English messages reach the user as our own, in Lao, naming sheet, row and column
and saying how to fix the form (issue 9, point 6); a message we do not know keeps a Lao sentence
with pyxform's text quoted."""

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.models import OrganisationKind, Role
from surveys.models import QuestionnaireVersion
from surveys.xlsform import xlsform_import
from surveys.xlsform.pyxform_messages import pyxform_error, pyxform_warnings
from tests.factories import UserFactory, grant, make_organisation, make_xlsform

pytestmark = pytest.mark.django_db

EN = "label::English (en)"


def form(*, survey, choices, choices_header=("list_name", "name", EN)) -> bytes:
    return make_xlsform(
        {
            "survey": [["type", "name", EN], *survey],
            "choices": [list(choices_header), *choices],
            "settings": [["form_title", "form_id"], ["Plan", "plan"]],
        }
    )


SPACED = form(
    survey=[["select_multiple tools", "tools", "Which tools?"]],
    choices=[["tools", "email", "E-mail"], ["tools", "shared drive", "Shared drive"]],
)


def test_a_choice_name_with_a_space_in_a_multiple_choice_list_names_its_cell_in_lao():
    with translation.override("lo"):
        result = xlsform_import(file=SPACED, filename="plan.xlsx")
    assert result.version is None
    [problem] = result.problems
    assert (problem.sheet, problem.line, problem.column) == ("choices", 3, "name")
    assert "“shared drive”" in problem.message and "“shared_drive”" in problem.message
    assert "Choice names with spaces" not in problem.message
    assert "ຍະຫວ່າງ" in problem.message  # "space", in Lao
    assert QuestionnaireVersion.objects.count() == 0


def test_the_upload_page_shows_the_spaced_choice_in_lao(client):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    admin = UserFactory(username="admin")
    grant(admin, Role.ADMINISTRATOR, nation)
    client.force_login(admin)
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(
        reverse("surveys:questionnaire_upload"), {"file": SimpleUploadedFile("plan.xlsx", SPACED)}
    )
    content = page.content.decode()
    assert "shared_drive" in content
    assert "Choice names with spaces" not in content
    assert "XLSForm converter" not in content


def test_pyxform_warnings_of_real_forms_are_ours_with_their_cells():
    # The warnings pyxform 4.5 gives on the XLSForm project's own example forms.
    texts = [
        "[row : 4] On the 'choices' sheet, the 'label' value is invalid. Choices should have a "
        "label. Learn more: https://xlsform.org/en/#setting-up-your-worksheets",
        "[row : 1] On the 'choices' sheet, the 'tutorial notes' value is invalid. Column "
        "headers must not be empty and must not contain spaces. Learn more: "
        "https://xlsform.org/en/#setting-up-your-worksheets",
        "Language 'chinese' is missing the survey columns image, required_message, video.\n"
        "Language 'chinese' is missing the choices image column.",
        "The following language declarations do not contain valid machine-readable codes: "
        "chinese, english. Learn more: http://xlsform.org#multiple-language-support",
    ]
    with translation.override("en"):
        problems = pyxform_warnings(texts, [])
    assert [(p.sheet, p.line, p.column) for p in problems] == [
        ("choices", 4, "label"),
        ("choices", 1, "tutorial notes"),
        ("survey", 1, ""),
        ("choices", 1, ""),
        ("survey", 1, ""),
    ]
    assert "tutorial_notes" in problems[1].message
    assert "“label::Lao (lo)”" in problems[4].message
    assert not any("Learn more" in p.message or "is invalid" in p.message for p in problems)
    with translation.override("lo"):
        lao = pyxform_warnings(texts, [])
    assert all(p.message != q.message for p, q in zip(lao, problems, strict=True))


def test_an_unknown_pyxform_message_is_quoted_inside_a_sentence_in_lao():
    with translation.override("lo"):
        problem = pyxform_error("Something pyxform never said before.", [])
    assert "“Something pyxform never said before.”" in problem.message
    assert problem.message.index("“") > 0  # a Lao sentence around it
    assert "refused" not in problem.message
