import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from organisations.models import Organisation, OrganisationKind, Role
from organisations.services import organisations_import
from tests.factories import UserFactory, grant
from tests.organisations.conftest import assert_tree_sound, parent_code

pytestmark = pytest.mark.django_db

HEADER = "code,parent_code,kind,name_lo,name_en,line_ministry_code\n"


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = header + "".join(f"{row}\n" for row in rows)
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def snapshot() -> list[tuple]:
    return list(
        Organisation.objects.order_by("code").values_list(
            "code", "path", "numchild", "name", "kind", "line_ministry_id"
        )
    )


def problems_of(data: bytes) -> list[tuple[int, str]]:
    report = organisations_import(rows_or_file=data)
    assert not report.ok
    return [(problem.line, problem.message) for problem in report.problems]


VILLAGES = (
    "LA0101001,LA0101,village,ບ້ານ ຊຽງຍືນ,Ban Xiengyuen,",
    "LA0101002,LA0101,village,ບ້ານ ມີໄຊ,Ban Mixay,",
    "LA01-PHO,LA01,provincial_office,ພະແນກສາທາລະນະສຸກ,Health Department,MOH",
    "LA0101-DHO,LA0101,district_office,ຫ້ອງການສາທາລະນະສຸກ,District Health Office,MOH",
)


def test_it_imports_villages_and_offices_under_the_tree(reference):
    report = organisations_import(rows_or_file=csv_bytes(*VILLAGES))
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert parent_code("LA0101001") == "LA0101"
    office = Organisation.objects.get(code="LA01-PHO")
    assert office.line_ministry.code == "MOH"
    assert office.name == {"lo": "ພະແນກສາທາລະນະສຸກ", "en": "Health Department"}
    assert Organisation.objects.get(code="LA0101").numchild == 3
    assert Organisation.objects.get(code="LA01").numchild == 10  # 9 districts + the office
    assert_tree_sound()
    # the materialized path answers subtree queries, as treebeard does
    district = Organisation.objects.get(code="LA0101")
    assert {o.code for o in Organisation.objects.get_children(district)} == {
        "LA0101001",
        "LA0101002",
        "LA0101-DHO",
    }


def test_reimporting_the_same_file_changes_nothing(reference):
    organisations_import(rows_or_file=csv_bytes(*VILLAGES))
    before = snapshot()
    history_before = Organisation.history.count()
    report = organisations_import(rows_or_file=csv_bytes(*VILLAGES))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert snapshot() == before
    assert Organisation.history.count() == history_before


def test_a_corrected_file_updates_by_code_and_keeps_history(reference):
    organisations_import(rows_or_file=csv_bytes(*VILLAGES))
    village = Organisation.objects.get(code="LA0101001")
    corrected = csv_bytes(
        "LA0101001,LA0101,village,ບ້ານ ຊຽງຍືນ ໃໝ່,Ban Xiengyuen Mai,",
        "LA01-PHO,LA01,provincial_office,ພະແນກສາທາລະນະສຸກ,Health Department,MTC",
    )
    report = organisations_import(rows_or_file=corrected)
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    village.refresh_from_db()
    assert village.name["en"] == "Ban Xiengyuen Mai"
    assert Organisation.objects.get(code="LA01-PHO").line_ministry.code == "MTC"
    assert Organisation.objects.filter(code="LA0101001").count() == 1
    assert [h.name["en"] for h in village.history.order_by("history_date")] == [
        "Ban Xiengyuen",
        "Ban Xiengyuen Mai",
    ]
    assert_tree_sound()


def test_a_changed_parent_moves_the_node_with_its_subtree(reference):
    organisations_import(
        rows_or_file=csv_bytes(
            "LA0101-DHO,LA0101,district_office,ຫ້ອງການ,District office,",
            "LA0101-DHO-1,LA0101-DHO,other,ໜ່ວຍງານ,Unit,",
        )
    )
    report = organisations_import(
        rows_or_file=csv_bytes("LA0101-DHO,LA0102,district_office,ຫ້ອງການ,District office,")
    )
    assert (report.created, report.updated) == (0, 1)
    assert parent_code("LA0101-DHO") == "LA0102"
    assert parent_code("LA0101-DHO-1") == "LA0101-DHO"
    assert Organisation.objects.get(code="LA0101-DHO-1").path.startswith(
        Organisation.objects.get(code="LA0102").path
    )
    assert Organisation.objects.get(code="LA0101").numchild == 0
    assert_tree_sound()


def test_rows_may_come_before_their_parent_and_line_ministry(reference):
    report = organisations_import(
        rows_or_file=csv_bytes(
            "MOXD-1,MOXD,department,ກົມ ໜຶ່ງ,Department One,",
            "LA02-PXO,LA02,provincial_office,ພະແນກ,Provincial X office,MOXD",
            "MOXD,LA,ministry,ກະຊວງ X,Ministry X,",
        )
    )
    assert report.ok, report.problems
    assert parent_code("MOXD-1") == "MOXD"
    assert Organisation.objects.get(code="LA02-PXO").line_ministry.code == "MOXD"
    assert_tree_sound()


def test_a_bom_and_lao_typed_in_decomposed_order_are_accepted(reference):
    decomposed = "ບ້ານ ນ\u0ecd\u0ec9\u0eb2"  # written with the marks in another order
    report = organisations_import(
        rows_or_file=csv_bytes(f"LA0101009,LA0101,village,{decomposed},Ban Nam,", bom=True)
    )
    assert report.ok, report.problems
    assert Organisation.objects.filter(code="LA0101009").exists()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("X1,NOWHERE,village,ບ້ານ,Ban,", "Unknown parent code “NOWHERE”"),
        ("X1,LA0101,villa,ບ້ານ,Ban,", "Unknown kind “villa”"),
        ("X1,LA0101,village,,Ban,", "The Lao name is empty."),
        ("X1,LA0101,village,ບ້ານ,  ,", "The English name is empty."),
        ("X1,LA0101,village,ບ້ານ,Ban,MOXX", "Unknown line ministry code “MOXX”"),
        ("X1,LA0101,village,ບ້ານ,Ban,LA01", "is not a ministry"),
        ("X1,LA01,village,ບ້ານ,Ban,", "cannot be placed under a province"),
        ("X1,,village,ບ້ານ,Ban,", "only the national root has no parent"),
        ("X 1,LA0101,village,ບ້ານ,Ban,", "is not valid"),
        ("X1,X1,village,ບ້ານ,Ban,", "cannot be its own parent"),
        ("X1,LA0101,village,ບ້ານ,Ban", "This row has 5 values; the header has 6."),
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_nothing_changes(reference, english, row, reason):
    before = snapshot()
    problems = problems_of(csv_bytes("LA0101001,LA0101,village,ບ້ານ,Ban,", row))
    assert len(problems) == 1
    line, message = problems[0]
    assert line == 3
    assert reason in message
    assert snapshot() == before


def test_a_duplicate_code_names_both_lines(reference, english):
    problems = problems_of(
        csv_bytes("LA0101001,LA0101,village,ບ້ານ,Ban,", "LA0101001,LA0101,village,ບ້ານ,Ban 2,")
    )
    assert problems == [(3, "The code “LA0101001” already appears on line 2.")]
    assert not Organisation.objects.filter(code="LA0101001").exists()


def test_a_cycle_is_refused_on_every_row_that_makes_it(reference, english):
    organisations_import(
        rows_or_file=csv_bytes("A,LA,other,ກ,A,", "B,A,other,ຂ,B,", "C,B,other,ຄ,C,")
    )
    before = snapshot()
    # A moves under C, which is under B, which is under A; B is not in the file.
    problems = problems_of(csv_bytes("A,C,other,ກ,A,", "C,B,other,ຄ,C,"))
    assert [line for line, _message in problems] == [2, 3]
    assert all("makes a cycle" in message for _line, message in problems)
    assert "A → C → B → A" in problems[0][1]
    assert snapshot() == before


def test_every_problem_of_the_file_is_listed_at_once(reference, english):
    problems = problems_of(
        csv_bytes(
            "X1,NOWHERE,village,ບ້ານ,Ban,",
            "X2,LA0101,village,ບ້ານ,Ban,",
            "X3,LA0101,nope,,Ban,",
        )
    )
    assert [line for line, _m in problems] == [2, 4, 4]


def test_a_file_that_is_not_utf8_is_one_clear_error(reference, english):
    data = HEADER.encode() + "X1,LA0101,village,ບ້ານ,Ban,\n".encode("utf-16-le")
    problems = problems_of(data)
    assert len(problems) == 1
    assert "not UTF-8" in problems[0][1]
    legacy = (HEADER + "X1,LA0101,village,Bàn,Ban,\n").encode("latin-1")
    assert problems_of(legacy)[0][0] == 2


def test_a_wrong_header_is_explained(reference, english):
    problems = problems_of(b"code,parent,kind,name_lo,name_en\nX1,LA0101,village,a,b\n")
    assert problems[0][0] == 1
    assert "missing: parent_code" in problems[0][1]
    assert "parent" in problems[0][1]
    assert problems_of(HEADER.encode()) == [(2, "The file has no rows.")]


def test_an_administrator_of_a_province_imports_only_inside_it(reference, english):
    admin = UserFactory()
    grant(admin, Role.ADMINISTRATOR, reference["LA01"])
    report = organisations_import(
        rows_or_file=csv_bytes("X1,LA0101,village,ບ້ານ,Ban,", "X2,LA0601,village,ບ້ານ,Ban,"),
        user=admin,
    )
    assert [(p.line, "outside the part of the tree" in p.message) for p in report.problems] == [
        (3, True)
    ]
    assert not Organisation.objects.filter(code="X1").exists()
    report = organisations_import(rows_or_file=csv_bytes("X1,LA0101,village,ບ້ານ,Ban,"), user=admin)
    assert report.ok
    assert Organisation.objects.get(code="X1").history.first().history_user == admin


def test_the_command_prints_counts_and_exits_non_zero_on_error(reference, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(*VILLAGES))
    call_command("import_organisations", str(good))
    assert "4" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("X1,NOWHERE,village,ບ້ານ,Ban,", "X2,LA0101,villa,ບ້ານ,Ban,"))
    with pytest.raises(CommandError):
        call_command("import_organisations", str(bad))
    err = capsys.readouterr().err
    assert "2" in err and "3" in err and "NOWHERE" in err
    assert not Organisation.objects.filter(code="X2").exists()


def test_the_command_exits_non_zero_from_a_shell(db, tmp_path):
    import os
    import subprocess
    import sys

    from django.db import connection

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("X1,NOWHERE,village,ບ້ານ,Ban,"))
    # A child process against the test database; a refused file writes nothing there.
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        f"/{database['NAME']}",
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "readiness.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "import_organisations", str(bad)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 1
    assert "2" in result.stderr and "NOWHERE" in result.stderr
    assert result.stdout == ""


def test_a_kind_the_tree_rules_out_is_refused(reference, english):
    assert OrganisationKind.VILLAGE in OrganisationKind.values
    problems = problems_of(csv_bytes("X1,MOH,village,ບ້ານ,Ban,"))
    assert "cannot be placed under a ministry" in problems[0][1]


def test_a_ministry_that_is_a_line_ministry_cannot_change_kind(reference, english):
    organisations_import(
        rows_or_file=csv_bytes("LA01-PHO,LA01,provincial_office,ພະແນກ,Health Department,MOH")
    )
    problems = problems_of(csv_bytes("MOH,LA,other,ກະຊວງສາທາລະນະສຸກ,Ministry of Health,"))
    assert problems == [
        (2, "“MOH” is the line ministry of 1 organisation; it must stay a ministry.")
    ]
    # re-pointing the office in the same file makes the change possible
    report = organisations_import(
        rows_or_file=csv_bytes(
            "MOH,LA,other,ກະຊວງສາທາລະນະສຸກ,Ministry of Health,",
            "LA01-PHO,LA01,provincial_office,ພະແນກ,Health Department,MTC",
        )
    )
    assert report.ok, report.problems
