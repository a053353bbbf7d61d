"""The organisation import: one organisation per code however it is typed, invisible
characters refused with line and column, names cleaned, NUL bytes a problem with its line, and
no change past the importer's scope (../shared/cases/b12b_case.csv, b12c_invisible.csv)."""

import pytest

from organisations.models import Organisation, Role
from organisations.services import organisations_import
from tests.factories import UserFactory, grant
from tests.surveys.cases import case, needs_cases

pytestmark = pytest.mark.django_db

HEADER = "code,parent_code,kind,name_lo,name_en,line_ministry_code\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def problems_of(data: bytes, user=None) -> list[tuple[int, str]]:
    report = organisations_import(rows_or_file=data, user=user)
    assert not report.ok
    return [(problem.line, problem.message) for problem in report.problems]


@needs_cases
def test_a_code_typed_in_lower_case_is_the_existing_organisation_never_a_second(reference, english):
    report = organisations_import(rows_or_file=csv_bytes("LA1899,LA18,district,ເມືອງ,Old,"))
    assert report.ok, report.problems
    before = Organisation.objects.count()
    # b12b: `la1899` beside the existing LA1899, and a village code with a no-break space.
    problems = problems_of(case("b12b_case.csv").read_bytes())
    assert problems == [
        (3, problems[0][1]),
    ]
    assert "U+00A0" in problems[0][1] and "Column code" in problems[0][1]
    assert Organisation.objects.count() == before
    # Without the refused row, la1899 updates LA1899 (the tree's spelling is kept).
    lines = case("b12b_case.csv").read_text(encoding="utf-8").splitlines()
    report = organisations_import(rows_or_file=("\n".join(lines[:2]) + "\n").encode())
    assert report.ok and (report.created, report.updated) == (0, 1)
    assert Organisation.objects.filter(code__iexact="la1899").count() == 1
    assert Organisation.objects.get(code="LA1899").name["en"] == "Test district"


def test_two_spellings_of_one_new_code_in_a_file_are_the_same_code_twice(reference, english):
    problems = problems_of(
        csv_bytes("la0101x,LA0101,village,ບ້ານ,Ban,", "LA0101X,LA0101,village,ບ້ານ,Ban,")
    )
    assert problems == [(3, "The code “la0101x” already appears on line 2.")]


@needs_cases
def test_zero_width_spaces_at_the_end_of_names_are_removed(reference):
    organisations_import(rows_or_file=csv_bytes("LA1899,LA18,district,ເມືອງ,District,"))
    report = organisations_import(rows_or_file=case("b12c_invisible.csv").read_bytes())
    assert report.ok, report.problems
    names = {o.code: o.name for o in Organisation.objects.filter(code__startswith="LA1899V")}
    assert names["LA1899V0002"]["lo"] == "ບ້ານທົດລອງ 2"
    assert names["LA1899V0003"]["lo"] == "ບ້ານທົດລອງ 1"


def test_a_zero_width_space_inside_a_code_is_refused_with_its_column(reference, english):
    problems = problems_of(csv_bytes("LA0101\u200b9,LA0101,village,ບ້ານ,Ban,"))
    assert problems[0][0] == 2
    assert "Column code" in problems[0][1] and "U+200B ZERO WIDTH SPACE" in problems[0][1]
    problems = problems_of(csv_bytes("LA01019,LA0101\u200e,village,ບ້ານ,Ban,"))
    assert "Column parent_code" in problems[0][1] and "U+200E" in problems[0][1]


def test_a_line_break_in_a_name_becomes_one_space(reference):
    data = HEADER.encode() + 'LA01019,LA0101,village,"ບ້ານ\nໃໝ່","New\r\n village",\n'.encode()
    report = organisations_import(rows_or_file=data)
    assert report.ok, report.problems
    assert Organisation.objects.get(code="LA01019").name == {"lo": "ບ້ານ ໃໝ່", "en": "New village"}


def test_a_nul_byte_is_a_problem_with_its_line(reference, english):
    problems = problems_of(HEADER.encode() + b"LA01019,LA0101,village,\x00,Ban,\n")
    assert problems[0][0] == 2


def test_a_province_administrator_cannot_move_a_district_onto_a_ministry_axis(reference, english):
    admin = UserFactory()
    grant(admin, Role.ADMINISTRATOR, reference["LA01"])
    problems = problems_of(csv_bytes("LA0101,LA01,district,ເມືອງ,Chanthabuly,MOH"), user=admin)
    assert problems[0][0] == 2 and "line ministry" in problems[0][1]
    assert Organisation.objects.get(code="LA0101").line_ministry is None
    # An administrator of the province and of the ministry may; so may a national one.
    grant(admin, Role.ADMINISTRATOR, reference["MOH"])
    admin = type(admin).objects.get(pk=admin.pk)  # roles are cached on the user object
    report = organisations_import(
        rows_or_file=csv_bytes("LA0101,LA01,district,ເມືອງ,Chanthabuly,MOH"), user=admin
    )
    assert report.ok, report.problems
    assert Organisation.objects.get(code="LA0101").line_ministry.code == "MOH"


def test_an_administrator_may_correct_the_names_of_the_top_of_its_subtree(reference, english):
    admin = UserFactory()
    grant(admin, Role.ADMINISTRATOR, reference["LA01"])
    lo = reference["LA01"].name["lo"]
    report = organisations_import(
        rows_or_file=csv_bytes(f"LA01,LA,province,{lo},Vientiane Capital (corrected),"),
        user=admin,
    )
    assert report.ok, report.problems
    assert Organisation.objects.get(code="LA01").name["en"] == "Vientiane Capital (corrected)"
    # ... but not move it or change its kind.
    problems = problems_of(csv_bytes(f"LA01,LA,other,{lo},Vientiane,"), user=admin)
    assert "top of the part of the tree you administer" in problems[0][1]
