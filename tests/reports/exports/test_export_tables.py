"""Excel and CSV exports of a round, read back and compared with the database."""

import csv
import io
import zipfile

import openpyxl
import pandas as pd
import pytest
from django.urls import reverse

from organisations.models import Organisation
from reports.exports.xlsx import sheet_names
from reports.models import OVERALL, JobStatus, ReportJob, ResponseScore

pytestmark = pytest.mark.django_db


def _export(client, django_capture_on_commit_callbacks, **fields) -> ReportJob:
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("reports:exports:request"), fields)
    assert answer.status_code == 302, answer.content[:500]
    job = ReportJob.objects.latest("pk")
    assert answer["Location"] == reverse("reports:exports:job", kwargs={"pk": job.pk})
    assert job.status == JobStatus.DONE, job.error
    return job


def _analyst_export(client, analyst, callbacks, results, what, format, lang) -> ReportJob:
    """The round's export requested by the national analyst, done."""
    client.force_login(analyst)
    return _export(
        client, callbacks, round=results["round"].code, what=what, format=format, lang=lang
    )


def _download(client, job) -> bytes:
    answer = client.get(reverse("reports:exports:download", kwargs={"pk": job.pk}))
    assert answer.status_code == 200
    return b"".join(answer.streaming_content)


def _workbook(client, job):
    return openpyxl.load_workbook(io.BytesIO(_download(client, job)))


def _rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_english_workbook_reads_back_to_the_numbers_of_the_database(
    client, results, analyst, tree, django_capture_on_commit_callbacks
):
    job = _analyst_export(
        client, analyst, django_capture_on_commit_callbacks, results, "workbook", "xlsx", "en"
    )
    assert job.file_name == f"{results['round'].code}_LA_workbook_en.xlsx"
    content = _download(client, job)
    book = openpyxl.load_workbook(io.BytesIO(content))
    frames = pd.read_excel(io.BytesIO(content), sheet_name=None)  # pandas reads it back too
    assert frames["Organisation results"]["Overall readiness: score"].dtype == float
    assert len(frames["Raw answers"]) == 2
    assert book.sheetnames == [
        "Summary",
        "Organisation results",
        "Results by area",
        "Gender indicators",
        "Raw answers",
        "Codebook",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.column_dimensions["A"].width >= 8

    scores = {row["Organisation code"]: row for row in _rows(book["Organisation results"])}
    assert set(scores) == {"LA0101001", "LA06-PHO"}
    for stored in ResponseScore.objects.filter(round=results["round"]):
        row = scores[stored.organisation.code]
        label = (
            "Overall readiness"
            if stored.pillar == OVERALL
            else (
                "Technology and solutions"
                if stored.pillar == "tech"
                else "Skills and capacity building"
            )
        )
        assert row[f"{label}: score"] == pytest.approx(stored.score)
        assert row[f"{label}: stage"] == stored.stage
        assert isinstance(row[f"{label}: score"], int | float)  # a number, not text

    answers = {row["Organisation code"]: row for row in _rows(book["Raw answers"])}
    village = answers["LA0101001"]
    assert village["connectivity"] == "slow"
    assert village["connectivity (label)"] == "Slow"
    assert village["services"] == "web email"
    assert village["services (label)"] == "Website; Email"
    assert village["staff (women)"] == 6 and village["staff (men)"] == 4
    assert village["staff_digital (women)"] == 3 and village["staff_digital (men)"] == 2
    assert answers["LA06-PHO"]["connectivity (label)"] == "Don't know"

    summary = {row["Pillar code"]: row for row in _rows(book["Summary"])}
    assert summary[OVERALL]["Expected responses"] == 3
    assert summary[OVERALL]["Submitted responses"] == 2
    assert summary["tech"]["Target"] == 4.5

    gender = [r for r in _rows(book["Gender indicators"]) if r["Area code"] == "LA"]
    staff = next(r for r in gender if r["Gender role code"] == "staff")
    assert (staff["Women"], staff["Men"], staff["Total"]) == (12, 8, 20)

    codebook = _rows(book["Codebook"])
    slow = next(r for r in codebook if r["Choice value"] == "slow")
    assert (slow["Question"], slow["Choice label"], slow["Choice score (0-1)"]) == (
        "Internet connection",
        "Slow",
        0.5,
    )


def test_the_lao_workbook_has_lao_headers_sheet_names_and_labels(
    client, results, analyst, django_capture_on_commit_callbacks
):
    job = _analyst_export(
        client, analyst, django_capture_on_commit_callbacks, results, "answers", "xlsx", "lo"
    )
    book = _workbook(client, job)
    assert book.sheetnames == ["ຄຳຕອບດິບ"]
    rows = _rows(book.worksheets[0])
    village = next(r for r in rows if r["ລະຫັດອົງການຈັດຕັ້ງ"] == "LA0101001")
    assert village["connectivity (ປ້າຍຊື່)"] == "ຊ້າ"
    assert village["ອົງການຈັດຕັ້ງ"] == "ອົງການ LA0101001"


def test_text_that_looks_like_a_formula_stays_text(
    client, results, analyst, tree, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(pk=tree["village"].pk).update(
        name={"lo": '=HYPERLINK("http://evil")', "en": "+1-2"}
    )
    client.force_login(analyst)
    common = {"round": results["round"].code, "what": "scores", "lang": "lo"}
    book = _workbook(
        client, _export(client, django_capture_on_commit_callbacks, format="xlsx", **common)
    )
    cells = [cell for row in book.worksheets[0].iter_rows() for cell in row]
    evil = [cell for cell in cells if str(cell.value).startswith("=HYPERLINK")]
    assert evil and all(cell.data_type == "s" for cell in evil)

    text = _download(
        client, _export(client, django_capture_on_commit_callbacks, format="csv", **common)
    ).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_the_csv_zip_has_every_table_in_utf8_with_a_bom(
    client, results, analyst, django_capture_on_commit_callbacks
):
    job = _analyst_export(
        client, analyst, django_capture_on_commit_callbacks, results, "workbook", "csv", "lo"
    )
    assert job.file_name.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(_download(client, job)))
    assert sorted(archive.namelist()) == sorted(
        f"{name}.csv"
        for name in ("summary", "scores", "aggregates", "gender", "answers", "codebook")
    )
    raw = archive.read("scores.csv")
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {row["ລະຫັດອົງການຈັດຕັ້ງ"] for row in rows} == {"LA0101001", "LA06-PHO"}
    stored = ResponseScore.objects.get(
        round=results["round"], organisation__code="LA0101001", pillar=OVERALL
    )
    village = next(row for row in rows if row["ລະຫັດອົງການຈັດຕັ້ງ"] == "LA0101001")
    overall_score = next(value for key, value in village.items() if key.endswith(": ຄະແນນ"))
    assert float(overall_score) == pytest.approx(stored.score)


def test_sheet_names_are_unique_valid_and_at_most_31_characters():
    long_lao = "ຜົນການປະເມີນຄວາມພ້ອມດ້ານດິຈິຕອນຂອງອົງການຈັດຕັ້ງລັດ"
    names = sheet_names([long_lao, long_lao, "a/b:c", "", "Summary", "summary"])
    assert all(0 < len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)
    assert names[2] == "a b c"
    assert names[5] == "summary (2)"


def test_an_individual_questionnaires_workbook_has_the_scores_by_sex(
    client, analyst, tree, individual_round, django_capture_on_commit_callbacks
):
    from reports.models import SexScore

    round_ = individual_round
    client.force_login(analyst)
    job = _export(
        client, django_capture_on_commit_callbacks,
        round=round_.code, what="workbook", format="csv", lang="en",
    )  # fmt: skip
    archive = zipfile.ZipFile(io.BytesIO(_download(client, job)))
    assert "sex_scores.csv" in archive.namelist()
    rows = list(csv.DictReader(io.StringIO(archive.read("sex_scores.csv").decode("utf-8-sig"))))
    stored = SexScore.objects.get(round=round_, organisation=tree["nation"], pillar="tech")
    row = next(r for r in rows if r["Area code"] == "LA" and r["Pillar code"] == "tech")
    assert (int(row["Women respondents"]), int(row["Men respondents"])) == (6, 6)
    assert float(row["Women's mean score"]) == pytest.approx(stored.women_mean)
    assert float(row["Gap (women - men)"]) == pytest.approx(stored.gap) and stored.gap > 0
    # No row of one respondent leaves the product (reports.anonymity; tests in test_anonymity).
    assert "answers.csv" not in archive.namelist() and "scores.csv" not in archive.namelist()
