"""The organisation import reads its file with the one tabular reader (issue 9, point 2): CSV in
UTF-8 (with or without BOM) or Excel's UTF-16 text, .xlsx workbooks, line numbers as the user
sees them, the "row has N values" check kept, and a limit refused with its number and the row
where reading stopped."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font

from organisations.models import Organisation
from organisations.services import organisations_import
from readiness import tabular
from readiness.tabular import read_tables

pytestmark = pytest.mark.django_db

HEADER = ["code", "parent_code", "kind", "name_lo", "name_en", "line_ministry_code"]


def workbook_bytes(*rows: list, formatted_to_the_last_row: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "organisations"
    for row in rows:
        sheet.append(row)
    if formatted_to_the_last_row:  # as LibreOffice saves a sheet whose columns were formatted
        sheet.cell(row=1_048_576, column=1024).font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_of(source) -> list[tuple[int, str]]:
    report = organisations_import(rows_or_file=source)
    assert not report.ok
    return [(problem.line, problem.message) for problem in report.problems]


def test_an_excel_workbook_imports_like_the_csv(reference):
    data = workbook_bytes(
        HEADER,
        ["LA0101901", "LA0101", "village", "ບ້ານ ໜຶ່ງ\u200b", "Ban One", None],
        [None] * 6,  # a blank row in the middle is skipped, not a stop
        ["la0101902", "LA0101", "village", "ບ້ານ ສອງ", "Ban Two", "MOH"],
    )
    report = organisations_import(rows_or_file=SimpleUploadedFile("villages.xlsx", data))
    assert report.ok, report.problems
    assert report.created == 2
    assert Organisation.objects.get(code="LA0101901").name["lo"] == "ບ້ານ ໜຶ່ງ"
    assert Organisation.objects.get(code="la0101902").line_ministry.code == "MOH"


def test_a_workbook_refusal_names_the_row_excel_shows(reference, english):
    before = Organisation.objects.count()
    good = ["LA0101901", "LA0101", "village", "ບ້ານ", "Ban", None]
    blank = [None] * 6
    problems = problems_of(
        workbook_bytes(HEADER, good, blank, ["LA0101902", "LA0101", "villa", "ບ້ານ", "Ban", None])
    )
    assert problems == [
        (
            4,
            "Unknown kind “villa”; use one of: national, ministry, department, province, "
            "provincial_office, district, district_office, village, other.",
        )
    ]
    past_the_header = ["LA0101903", "LA0101", "village", "ບ້ານ", "Ban", None, "a note"]
    problems = problems_of(workbook_bytes(HEADER, good, blank, past_the_header))
    assert problems == [(4, "This row has 7 values; the header has 6.")]
    assert Organisation.objects.count() == before


def test_a_sheet_formatted_down_to_the_last_row_is_read_whole(reference):
    data = workbook_bytes(
        HEADER,
        ["LA0101901", "LA0101", "village", "ບ້ານ", "Ban", None],
        formatted_to_the_last_row=True,
    )
    (sheet,) = read_tables(data, "villages.xlsx")
    assert [row.number for row in sheet.rows] == [2]
    report = organisations_import(rows_or_file=data)
    assert report.ok, report.problems
    assert report.created == 1


def test_excel_unicode_text_in_utf16_is_read(reference):
    text = "\t".join(HEADER) + "\r\n" + "LA0101901\tLA0101\tvillage\tບ້ານ ໜຶ່ງ\tBan One\t\r\n"
    report = organisations_import(rows_or_file=text.encode("utf-16"))
    assert report.ok, report.problems
    assert Organisation.objects.get(code="LA0101901").name["lo"] == "ບ້ານ ໜຶ່ງ"


def test_a_legacy_encoding_is_refused_in_lao_saying_how_to_save_csv_utf8(reference):
    data = (",".join(HEADER) + "\nLA0101901,LA0101,village,Bàn,Ban,\n").encode("latin-1")
    with translation.override("lo"):
        problems = problems_of(data)
    assert problems[0][0] == 2
    assert "CSV UTF-8" in problems[0][1]
    assert "The file" not in problems[0][1]


def test_a_row_limit_is_a_refusal_naming_its_number_and_where_reading_stopped(
    reference, english, monkeypatch
):
    monkeypatch.setattr(tabular, "MAX_ROWS", 2)
    rows = [f"LA010190{index},LA0101,village,ບ້ານ,Ban{index}," for index in range(1, 4)]
    problems = problems_of((",".join(HEADER) + "\n" + "\n".join(rows) + "\n").encode())
    assert problems == [
        (
            4,
            "Sheet – has more than 2 rows; reading stopped at row 4 and nothing was imported. "
            "Split the file.",
        )
    ]
    assert not Organisation.objects.filter(code="LA0101901").exists()


def test_the_upload_page_takes_an_excel_workbook(client, reference):
    from django.urls import reverse

    from organisations.models import Role
    from tests.factories import UserFactory, grant

    user = UserFactory()
    grant(user, Role.ADMINISTRATOR, reference["LA"])
    client.force_login(user)
    data = workbook_bytes(HEADER, ["LA0101901", "LA0101", "village", "ບ້ານ", "Ban", None])
    response = client.post(
        reverse("organisations:import"), {"file": SimpleUploadedFile("villages.xlsx", data)}
    )
    assert response.status_code == 200
    assert Organisation.objects.filter(code="LA0101901").exists()


def test_a_formula_without_its_saved_result_is_refused_naming_its_cell(reference, english):
    # openpyxl, like many programs that write workbooks, saves a formula without its result:
    # read for its value the cell would be silently empty.
    data = workbook_bytes(HEADER, ["LA0101901", "LA0101", "village", "ບ້ານ", "=A1", None])
    problems = problems_of(data)
    assert problems == [
        (
            2,
            "Sheet organisations, row 2, column E holds the formula =A1, whose result is not "
            "saved in the file. Open the file in Excel or LibreOffice and save it again, or "
            "type the value itself.",
        )
    ]
    assert not Organisation.objects.filter(code="LA0101901").exists()
