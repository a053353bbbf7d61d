"""The raw answers' CSV written by PostgreSQL (COPY of answers_sql's query) is, byte for byte,
the CSV the csv module writes from the Python rows: same columns, labels, number formatting,
formula neutralisation and empty cells, on answers chosen to hit every rule."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from organisations.models import Organisation
from reports.exports import csvzip
from reports.exports.spec import ExportSpec
from reports.exports.tables import table_for
from surveys.models import Answer, Choice, Question, Response, ResponseStatus
from tests.reports.conftest import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def awkward(results, tree):
    """Answers of every kind with the values that format differently or need quoting."""
    round_ = results["round"]
    village, office = results["village"], results["office"]
    Organisation.objects.filter(pk=tree["village"].pk).update(
        name={"lo": '=HYPERLINK("http://evil"), ບ້ານ', "en": '+1-2 "quoted", and\nnewline'}
    )
    Organisation.objects.filter(pk=tree["health_lpb"].pk).update(name={"en": "English only"})
    version = round_.version
    Choice.objects.filter(question__version=version, value="web").update(
        label={"lo": "@ເວັບ", "en": "-web, site"}
    )
    Choice.objects.filter(question__version=version, value="email").update(
        label={"lo": "", "en": ""}
    )
    Answer.objects.filter(response=office, question__code="services").update(
        choices=["email", "web", "unknown=1"]
    )
    Answer.objects.filter(response=village, question__code="connectivity").update(choices=["-x"])
    for response, computers, share, text, day in (
        (village, Decimal("12"), Decimal("0.1000"), "=1+1", datetime.date(2026, 3, 9)),
        (office, Decimal("-3.0000"), Decimal("1234567.1250"), 'a "b", c\r\nd', None),
    ):
        answer(response, "computers", number=computers)
        answer(response, "budget_share", number=share)
        question = Question.objects.get(version=version, code="website_url")
        Answer.objects.create(response=response, question=question, text=text)
        if day:
            question = Question.objects.get(version=version, code="strategy_date")
            Answer.objects.create(response=response, question=question, date=day)
    Answer.objects.filter(response=office, question__code="staff", sex="M").delete()
    Answer.objects.filter(response=office, question__code="staff_digital", sex="F").update(
        number=Decimal("0.0001")
    )
    Response.objects.filter(pk=village.pk).update(
        submitted_at=datetime.datetime(2026, 11, 30, 23, 59, tzinfo=datetime.UTC)
    )
    Response.objects.filter(pk=office.pk).update(status=ResponseStatus.APPROVED)
    return round_


def _both(round_, area, language, tmp_path) -> tuple[bytes, bytes]:
    spec = ExportSpec(round=round_, what="answers", area=area, format="csv", language=language)
    with translation.override(language):
        fast = table_for(spec, "answers")
        assert fast.copy_sql is not None
        csvzip.write_csv(tmp_path / "copy.csv", fast)
        slow = table_for(spec, "answers")
        slow.copy_sql = None
        csvzip.write_csv(tmp_path / "python.csv", slow)
    return (tmp_path / "copy.csv").read_bytes(), (tmp_path / "python.csv").read_bytes()


@pytest.mark.parametrize("language", ["lo", "en"])
def test_the_answers_csv_by_copy_is_the_csv_of_the_python_rows(awkward, tree, language, tmp_path):
    by_copy, by_python = _both(awkward, tree["nation"], language, tmp_path)
    assert by_copy == by_python
    text = by_copy.decode("utf-8-sig")
    assert text.count("\r\n") >= 3  # header and two responses, lines ended as the csv module does
    assert "'=1+1" in text and ",-3.0," in text and ",1234567.125," in text and ",0.0001" in text
    assert "2026-03-09" in text and "2026-12-01 06:59" in text  # in Vientiane time
    assert ",'-x," in text
    assert ("'=HYPERLINK" if language == "lo" else "'+1-2") in text
    label = "'@ເວັບ" if language == "lo" else "'-web, site"
    assert label in text or f'"{label}' in text


def test_a_ministrys_answers_by_copy_are_its_sector_offices(awkward, tree, tmp_path):
    by_copy, by_python = _both(awkward, tree["moh"], "en", tmp_path)
    assert by_copy == by_python
    assert "English only" in by_copy.decode("utf-8-sig")
    assert "HYPERLINK" not in by_copy.decode("utf-8-sig")


def test_the_csv_zip_of_a_round_reads_its_answers_by_copy(awkward, tree, tmp_path):
    spec = ExportSpec(
        round=awkward, what="workbook", area=tree["nation"], format="csv", language="en"
    )
    with translation.override("en"):
        tables = [table_for(spec, key) for key in spec.tables]
        assert [t.key for t in tables if t.copy_sql is not None] == ["answers"]
        written = csvzip.write_zip(tmp_path / "round.zip", tables)
    assert written == sum(t.count for t in tables)
