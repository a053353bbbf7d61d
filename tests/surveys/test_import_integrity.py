"""The responses import stores exactly what a file carries, or refuses it and says where:
numbers as typed, partial files change only their columns, Kobo's "." group separator, every
row read, NUL bytes and foreign encodings refused with their line (../shared/cases)."""

import io
from decimal import Decimal

import pytest
from django.utils import translation

from surveys.models import Answer, Response, ResponseStatus
from surveys.selectors.answers import answers_load
from surveys.services.answers import answers_write
from surveys.services.imports import ImportFailed, responses_import
from tests.surveys.cases import case, case_round, needs_cases

pytestmark = [pytest.mark.django_db, needs_cases]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run_import(round_, content: bytes, filename: str = "export.csv"):
    return responses_import(round_=round_, file=io.BytesIO(content), filename=filename, user=None)


def problems_of(round_, content: bytes, filename: str = "export.csv") -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        run_import(round_, content, filename)
    return [str(problem) for problem in failed.value.problems]


def test_the_semicolon_csv_with_a_decimal_comma_is_refused_naming_line_column_and_form():
    round_ = case_round("b02_numbers.xlsx", "LA0101V0002")
    problems = problems_of(round_, case("b02_numbers.csv").read_bytes(), "b02_numbers.csv")
    assert len(problems) == 1
    assert problems[0].startswith("line 2, column share:")
    assert "“2,5”" in problems[0] and "2.5" in problems[0]
    assert not Answer.objects.exists()  # nothing stored, not 25


def test_thousands_with_commas_and_lao_digits_are_stored_as_the_same_number():
    round_ = case_round("b02_numbers.xlsx", "LA0101V0002")
    content = b'organisation;share;staff\nLA0101V0002;2.5;"1,200"\n'
    run_import(round_, content)
    assert answers_load(Response.objects.get()) == {"share": Decimal("2.5"), "staff": 1200}
    run_import(round_, "organisation,share,staff\nLA0101V0002,໒.໕,໑໒໐໐\n".encode())
    assert answers_load(Response.objects.get()) == {"share": Decimal("2.5"), "staff": 1200}


@pytest.mark.parametrize("typed", ["0,5", "1,2,3", "0.00001", "1e3"])
def test_a_number_the_column_cannot_keep_exactly_is_refused_not_changed(typed):
    round_ = case_round("b02_numbers.xlsx", "LA0101V0002")
    problems = problems_of(round_, f'organisation,share\nLA0101V0002,"{typed}"\n'.encode())
    assert f"“{typed}”" in problems[0]
    assert not Answer.objects.exists()


def test_a_partial_file_changes_only_the_questions_it_carries_and_says_which_it_left():
    round_ = case_round("b15_form.xlsx", "LA0107V0001")
    response = Response.objects.get()
    answers_write(response=response, values={"pcs": 2, "printers": 1, "remarks": "ok"}, user=None)
    result = run_import(round_, case("b15_partial.csv").read_bytes(), "b15_partial.csv")
    assert (result.updated, result.created) == (1, 0)
    assert result.not_carried == ["printers", "remarks"]
    assert answers_load(response) == {"pcs": 5, "printers": 1, "remarks": "ok"}
    # The change is in the history, once; the other answers were never touched.
    pcs = Answer.objects.get(response=response, question__code="pcs")
    assert [h.number for h in pcs.history.order_by("history_date")] == [2, 5]
    printers = Answer.objects.get(response=response, question__code="printers")
    assert printers.history.count() == 1


def test_reimporting_a_corrected_file_updates_only_the_changed_answer():
    round_ = case_round("b15_form.xlsx", "LA0107V0001")
    run_import(round_, b"organisation,pcs,printers,remarks\nLA0107V0001,5,1,ok\n")
    result = run_import(round_, b"organisation,pcs,printers,remarks\nLA0107V0001,5,2,ok\n")
    assert result.updated == 1
    changed = [a.question.code for a in Answer.objects.all() if a.history.count() > 1]
    assert changed == ["printers"]


def test_kobos_dot_group_separator_is_read_like_a_slash():
    round_ = case_round("b15_form.xlsx", "LA0107V0002")
    result = run_import(round_, case("b15b_dot_separator.csv").read_bytes(), "b15b.csv")
    assert result.updated == 1 and result.not_carried == []
    response = Response.objects.get()
    assert answers_load(response) == {"pcs": 3, "printers": 1, "remarks": "ok"}
    assert response.status == ResponseStatus.SUBMITTED


def test_a_file_in_which_no_column_names_a_question_is_refused():
    round_ = case_round("b15_form.xlsx", "LA0107V0002")
    problems = problems_of(round_, b"organisation,computers,notes\nLA0107V0002,3,x\n")
    assert "No column of the file is named after a question" in problems[0]
    assert "computers, notes" in problems[0]
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_a_count_by_sex_carried_for_one_sex_keeps_the_stored_other_sex():
    round_ = case_round("b13_partial_sex.xlsx", "LA0101V0001")
    response = Response.objects.get()
    answers_write(response=response, values={"staff": {"F": 10, "M": 12}}, user=None)
    run_import(round_, b"organisation,staff_f\nLA0101V0001,11\n")
    assert answers_load(response)["staff"] == {"F": 11, "M": 12}


def test_blank_lines_anywhere_do_not_stop_reading_and_lines_keep_their_numbers():
    round_ = case_round("b15_form.xlsx", "LA0107V0001", "LA0107V0002")
    content = b"organisation,pcs\nLA0107V0001,4\n" + b",\n" * 700 + b"LA0107V0002,x\n"
    problems = problems_of(round_, content)
    assert problems[0].startswith("line 703, column pcs:")


def test_a_nul_byte_is_a_problem_with_its_line_not_a_server_error():
    round_ = case_round("b15_form.xlsx", "LA0107V0001")
    problems = problems_of(round_, b"organisation,pcs\nLA0107V0001,4\nLA01\x0007V0002,3\n")
    assert problems[0].startswith("Line 3:") and "control character" in problems[0]


def test_a_file_that_is_not_utf8_says_how_to_save_it_as_csv_utf8():
    round_ = case_round("b15_form.xlsx", "LA0107V0001")
    content = "organisation,remarks\nLA0107V0001,Café\n".encode("cp1252")
    problems = problems_of(round_, content)
    assert problems[0].startswith("Line 2:") and "CSV UTF-8" in problems[0]


def test_an_approved_response_on_a_later_row_rolls_back_the_rows_before_it():
    round_ = case_round("b15_form.xlsx", "LA0107V0001", "LA0107V0002")
    approved = Response.objects.get(organisation__code="LA0107V0002")
    approved.status = ResponseStatus.APPROVED
    approved.save()
    content = b"organisation,pcs\nLA0107V0001,4\nLA0107V0002,3\n"
    problems = problems_of(round_, content)
    assert problems[0].startswith("line 3, column organisation:")
    # The first row was written before the refusal; the transaction took it back.
    assert not Answer.objects.exists()
    assert Response.objects.get(organisation__code="LA0107V0001").status == ResponseStatus.DRAFT
