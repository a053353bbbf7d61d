"""The XLSForm import reads every row: a question after 600 blank rows, a list of 6,000
villages (../shared/cases/b11a_gap_rows.xlsx, b11b_6000_villages.xlsx)."""

import pytest

from surveys.models import Choice, Question
from surveys.xlsform.importer import xlsform_import
from tests.surveys.cases import case, needs_cases

pytestmark = [pytest.mark.django_db, needs_cases]


def test_a_question_after_600_blank_rows_is_imported():
    result = xlsform_import(file=case("b11a_gap_rows.xlsx").read_bytes(), filename="b11a.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert Question.objects.filter(version=result.version).exclude(kind="note").count() == 2


def test_a_list_of_6000_villages_keeps_every_choice():
    result = xlsform_import(file=case("b11b_6000_villages.xlsx").read_bytes(), filename="b11b.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert Choice.objects.filter(question__version=result.version).count() == 6000
