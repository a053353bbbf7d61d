"""The CSV of every large table written by PostgreSQL (COPY of answers_sql's and results_sql's
queries) is, byte for byte, the CSV the csv module writes from the Python rows: same columns,
labels, number formatting, formula neutralisation and empty cells, on answers and results
chosen to hit every rule."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from organisations.models import Organisation
from reports.exports import csvzip
from reports.exports.spec import ExportSpec
from reports.exports.tables import table_for
from reports.models import OVERALL, AreaAggregate, GenderIndicator, ResponseScore
from reports.scoring.engine import stage_for
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


def _both(round_, area, language, tmp_path, what="answers") -> tuple[bytes, bytes]:
    spec = ExportSpec(round=round_, what=what, area=area, format="csv", language=language)
    with translation.override(language):
        fast = table_for(spec, what)
        assert fast.copy_sql is not None
        csvzip.write_csv(tmp_path / "copy.csv", fast)
        slow = table_for(spec, what)
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


def test_the_csv_zip_of_a_round_reads_its_large_tables_by_copy(awkward, tree, tmp_path):
    spec = ExportSpec(
        round=awkward, what="workbook", area=tree["nation"], format="csv", language="en"
    )
    with translation.override("en"):
        tables = [table_for(spec, key) for key in spec.tables]
        copied = [t.key for t in tables if t.copy_sql is not None]
        assert copied == ["scores", "aggregates", "gender", "answers"]
        written = csvzip.write_zip(tmp_path / "round.zip", tables)
    assert written == sum(t.count for t in tables)


@pytest.fixture
def awkward_results(awkward, tree):
    """Stored results with the numbers that format differently: whole, zero, tiny (exponent),
    a third, empty; a stage and a priority left out."""
    nation = tree["nation"]
    AreaAggregate.objects.filter(round=awkward, organisation=nation, pillar=OVERALL).update(
        mean=3.0, gap=0.0, dont_know_share=0.00001, priority=1 / 3, target=None
    )
    AreaAggregate.objects.filter(round=awkward, organisation=nation).exclude(pillar=OVERALL).update(
        stage=None, priority_class="", median=1e-7, expected=0
    )
    ResponseScore.objects.filter(round=awkward, pillar=OVERALL).update(score=2.5, gap=-1.25)
    ResponseScore.objects.filter(round=awkward).exclude(pillar=OVERALL).filter(
        response__organisation=tree["village"]
    ).update(score=None, stage=None, priority_class="")
    GenderIndicator.objects.filter(round=awkward, organisation=nation).update(
        women=3.0, men=0.1, female_share=2 / 3, parity_index=None
    )
    assert GenderIndicator.objects.filter(round=awkward).exists()
    return awkward


@pytest.mark.parametrize("what", ["scores", "aggregates", "gender"])
@pytest.mark.parametrize("language", ["lo", "en"])
@pytest.mark.parametrize("area", ["nation", "moh"])
def test_the_results_csv_by_copy_is_the_csv_of_the_python_rows(
    awkward_results, tree, what, language, area, tmp_path
):
    by_copy, by_python = _both(awkward_results, tree[area], language, tmp_path, what)
    assert by_copy == by_python
    lines = by_copy.decode("utf-8-sig").split("\r\n")
    assert len(lines) > 2  # the header, rows, and the empty string after the last line ends
    if what == "aggregates" and area == "nation":
        text = "\r\n".join(lines)
        assert ",3.0," in text and ",0.0," in text and ",1e-05" in text and "1e-07" in text
        assert ",0.3333333333333333," in text


def test_the_scoring_stores_each_areas_stage_by_the_one_stage_rule(results):
    """The exports read an area's stage as stored (the COPY cannot call stage_for)."""
    rows = AreaAggregate.objects.filter(round=results["round"]).values_list("mean", "stage")
    assert rows and any(stage for _mean, stage in rows)
    assert all(stage == stage_for(mean) for mean, stage in rows)
