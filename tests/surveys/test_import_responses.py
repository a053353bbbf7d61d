"""Import of KoboToolbox/ODK exports: the command and the upload page, good, bad and twice."""

import io

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from organisations.models import Role
from surveys.models import Answer, Response, ResponseStatus
from tests.factories import UserFactory, grant, make_open_round, make_version_of_every_kind

HEADER = [
    "start", "end", "tech/has_website", "tech/website_url", "tech/connectivity", "tech/services",
    "tech/services/web", "tech/services/email", "tech/services/sms", "tech/computers",
    "budget_share", "tech/strategy_date", "skills/staff_f", "skills/staff_m", "skills/staff",
    "skills/staff_digital_f", "skills/staff_digital_m", "organisation", "meta/instanceID", "_id",
    "_uuid", "_submission_time", "_validation_status", "__version__", "_index",
]  # fmt: skip


def kobo_row(organisation: str, uuid: str, **changes) -> dict:
    row = {
        "start": "2026-03-01T09:00:00.000+07:00", "end": "2026-03-01T09:20:00.000+07:00",
        "tech/has_website": "yes", "tech/website_url": "https://mpi.gov.la",
        "tech/connectivity": "fast", "tech/services": "web sms", "tech/services/web": "1",
        "tech/services/email": "0", "tech/services/sms": "1", "tech/computers": "12",
        "budget_share": "2.5", "tech/strategy_date": "2025-06-30", "skills/staff_f": "10",
        "skills/staff_m": "14", "skills/staff": "24", "skills/staff_digital_f": "4",
        "skills/staff_digital_m": "6", "organisation": organisation,
        "meta/instanceID": f"uuid:{uuid}", "_id": "101", "_uuid": uuid,
        "_submission_time": "2026-03-01T02:21:00", "_validation_status": "",
        "__version__": "vabc", "_index": "1",
    }  # fmt: skip
    row.update(changes)
    return row


def csv_bytes(rows: list[dict], sep: str = ",") -> bytes:
    return pd.DataFrame(rows, columns=HEADER).to_csv(index=False, sep=sep).encode()


@pytest.fixture
def setup(tree, tmp_path):
    version = make_version_of_every_kind()
    round_ = make_open_round(version=version, targets=[tree["chanthabuly"], tree["luang"]])
    admin = UserFactory(username="admin")
    grant(admin, Role.ADMINISTRATOR, tree["nation"])
    return {"round": round_, "admin": admin, "tmp": tmp_path, **tree}


def write(setup, name: str, content: bytes):
    path = setup["tmp"] / name
    path.write_bytes(content)
    return path


GOOD = [kobo_row("LA0101", "aaaa-1"), kobo_row("LA0601", "bbbb-2", **{"skills/staff_f": "4"})]


def test_the_command_imports_a_kobo_export_and_marks_the_responses_submitted(setup, capsys):
    path = write(setup, "export.csv", csv_bytes(GOOD, sep=";"))
    call_command("import_responses", "--round", "r2026", str(path))
    assert "0 created, 2 updated" in capsys.readouterr().out
    response = Response.objects.get(round=setup["round"], organisation=setup["chanthabuly"])
    assert response.status == ResponseStatus.SUBMITTED
    assert response.external_id == "aaaa-1"
    stored = {(a.question.code, a.sex): a for a in Answer.objects.filter(response=response)}
    assert stored[("services", "")].choices == ["web", "sms"]
    assert stored[("staff", "F")].number == 10 and stored[("staff", "M")].number == 14
    assert ("staff", "") not in stored  # the total is derived, never stored
    assert str(stored[("strategy_date", "")].date) == "2025-06-30"
    assert stored[("budget_share", "")].number == pd.to_numeric("2.5")


def test_importing_the_same_file_twice_creates_nothing_twice(setup, capsys):
    path = write(setup, "export.csv", csv_bytes(GOOD))
    call_command("import_responses", "--round", "r2026", str(path))
    answers = Answer.objects.count()
    history = Answer.history.count()
    call_command("import_responses", "--round", "r2026", str(path))
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert Response.objects.filter(round=setup["round"]).count() == 2
    assert Answer.objects.count() == answers
    assert Answer.history.count() == history


def test_every_bad_row_is_reported_with_line_column_and_reason_and_nothing_is_imported(
    setup, client
):
    make_organisation_outside = setup["vte"]  # exists, but is not a target of the round
    rows = [
        kobo_row("LA0101", "a"),
        kobo_row("NOPE", "b"),
        kobo_row(make_organisation_outside.code, "c"),
        kobo_row("LA0601", "d", **{"tech/connectivity": "satellite"}),
        kobo_row("LA0601", "e", **{"tech/computers": "twelve"}),
        kobo_row("LA0601", "f", **{"skills/staff_digital_f": "11"}),
        kobo_row("LA0601", "g", **{"tech/connectivity": ""}),
    ]
    client.force_login(setup["admin"])
    upload = SimpleUploadedFile("export.csv", csv_bytes(rows), content_type="text/csv")
    page = client.post(
        reverse("surveys:responses_import"), {"round": setup["round"].pk, "file": upload}
    )
    assert page.status_code == 400
    problems = {(p.line, p.column) for p in page.context["problems"]}
    assert {
        (3, "organisation"),
        (4, "organisation"),
        (5, "tech/connectivity"),
        (6, "tech/computers"),
        (7, "skills/staff_digital_f"),
        (8, "tech/connectivity"),
    } <= problems
    assert (2, "organisation") not in problems
    assert not Answer.objects.exists()
    assert not Response.objects.exclude(status=ResponseStatus.DRAFT).exists()


def test_the_command_reports_problems_and_fails(setup, capsys):
    path = write(setup, "bad.csv", csv_bytes([kobo_row("NOPE", "x")]))
    with pytest.raises(CommandError):
        call_command("import_responses", "--round", "r2026", str(path))
    assert "NOPE" in capsys.readouterr().err
    assert not Answer.objects.exists()


def test_the_upload_page_imports_an_xlsx_file(setup, client):
    buffer = io.BytesIO()
    pd.DataFrame(GOOD, columns=HEADER).to_excel(buffer, index=False)
    client.force_login(setup["admin"])
    upload = SimpleUploadedFile("export.xlsx", buffer.getvalue())
    page = client.post(
        reverse("surveys:responses_import"),
        {"round": setup["round"].pk, "file": upload},
        follow=True,
    )
    assert page.status_code == 200
    assert Response.objects.filter(status=ResponseStatus.SUBMITTED).count() == 2


def test_an_unreadable_file_is_a_clear_error_not_a_500(setup, client):
    client.force_login(setup["admin"])
    upload = SimpleUploadedFile("export.xlsx", b"not a spreadsheet")
    page = client.post(
        reverse("surveys:responses_import"), {"round": setup["round"].pk, "file": upload}
    )
    assert page.status_code == 400
    assert page.context["problem_count"] == 1


def test_an_approved_response_is_not_overwritten_by_an_import(setup):
    Response.objects.filter(organisation=setup["chanthabuly"]).update(
        status=ResponseStatus.APPROVED
    )
    path = write(setup, "export.csv", csv_bytes(GOOD))
    with pytest.raises(CommandError):
        call_command("import_responses", "--round", "r2026", str(path))
    assert not Answer.objects.exists()


def test_only_platform_administrators_open_the_upload_page(setup, client):
    reviewer = UserFactory(username="reviewer")
    grant(reviewer, Role.REVIEWER, setup["nation"])
    provincial_admin = UserFactory(username="padmin")
    grant(provincial_admin, Role.ADMINISTRATOR, setup["vte"])
    for user in (reviewer, provincial_admin):
        client.force_login(user)
        assert client.get(reverse("surveys:responses_import")).status_code == 404
    client.force_login(setup["admin"])
    assert client.get(reverse("surveys:responses_import")).status_code == 200


def test_individual_submissions_are_identified_by_their_uuid(tree, tmp_path):
    version = make_version_of_every_kind(code="staff", respondent_type="individual")
    round_ = make_open_round(version=version, code="staff-2026", targets=[tree["chanthabuly"]])
    rows = [
        kobo_row("LA0101", "u1", respondent_sex="F", respondent_age_band="25_34"),
        kobo_row("LA0101", "u2", respondent_sex="M", respondent_age_band="55_plus"),
    ]
    header = [*HEADER, "respondent_sex", "respondent_age_band"]
    path = tmp_path / "staff.csv"
    path.write_bytes(pd.DataFrame(rows, columns=header).to_csv(index=False).encode())
    call_command("import_responses", "--round", "staff-2026", str(path))
    call_command("import_responses", "--round", "staff-2026", str(path))
    responses = Response.objects.filter(round=round_, is_individual=True).order_by("external_id")
    assert [(r.external_id, r.respondent_sex) for r in responses] == [("u1", "F"), ("u2", "M")]
