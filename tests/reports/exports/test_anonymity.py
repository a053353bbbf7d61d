"""Anonymity of individual questionnaires (issue 12, point 4): no result is shown for a group
of fewer respondents than settings.MIN_GROUP_SIZE, overall and for each sex, on the home
page, the dashboards and in every export format; "fewer than N responses" is shown instead,
and counts say respondents. The fixture's round: 12 respondents of one village, 6 women and 6
men, so a minimum of 7 withholds each sex but not the whole, and 13 withholds everything."""

import csv
import io
import subprocess
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from reports.anonymity import too_few_respondents
from reports.models import OVERALL, AreaAggregate, SexScore

pytestmark = pytest.mark.django_db


def test_too_few_respondents_follows_the_configured_minimum(settings):
    settings.MIN_GROUP_SIZE = 5
    assert too_few_respondents(4) and not too_few_respondents(5)
    assert too_few_respondents(None) and too_few_respondents(float("nan"))
    assert not too_few_respondents(3, minimum=3) and too_few_respondents(6, minimum=7)
    settings.MIN_GROUP_SIZE = 13
    assert too_few_respondents(12)


def _workbook(individual_round, tree, tmp_path, fmt="xlsx", what="workbook") -> object:
    out = tmp_path / f"staff.{'zip' if fmt == 'csv' else fmt}"
    call_command(
        "export", round=individual_round.code, what=what, format=fmt, lang="en",
        out=str(out), stdout=io.StringIO(),
    )  # fmt: skip
    return out


def _village(rows: list[dict], pillar: str = OVERALL) -> dict:
    return next(r for r in rows if r["Area code"] == "LA0101001" and r["Pillar code"] == pillar)


def test_the_workbook_withholds_an_area_of_too_few_respondents(
    individual_round, tree, tmp_path, settings
):
    settings.MIN_GROUP_SIZE = 13
    with translation.override("en"):
        book = openpyxl.load_workbook(_workbook(individual_round, tree, tmp_path))
    # No sheet with a row per respondent (their scores, their answers).
    assert "Organisation results" not in book.sheetnames and "Raw answers" not in book.sheetnames
    values = list(book["Results by area"].iter_rows(values_only=True))
    rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    village = _village(rows)
    assert village["Mean score (1-5)"] == "fewer than 13 responses"
    assert village["Scored responses"] == 12  # the count stays
    assert village["Stage"] is None and village["Gap"] is None and village["Median"] is None
    sex = list(book["Scores by sex"].iter_rows(values_only=True))
    sex_rows = [dict(zip(sex[0], row, strict=True)) for row in sex[1:]]
    assert all(r["Women's mean score"] == "fewer than 13 responses" for r in sex_rows)
    assert all(r["Gap (women - men)"] is None for r in sex_rows)


def test_the_csv_zip_shows_each_sex_only_from_the_minimum(
    individual_round, tree, tmp_path, settings
):
    settings.MIN_GROUP_SIZE = 7
    with translation.override("en"):
        archive = zipfile.ZipFile(_workbook(individual_round, tree, tmp_path, fmt="csv"))
    assert "answers.csv" not in archive.namelist() and "scores.csv" not in archive.namelist()
    text = archive.read("aggregates.csv").decode("utf-8-sig")
    village = _village(list(csv.DictReader(io.StringIO(text))))
    stored = AreaAggregate.objects.get(
        round=individual_round, organisation=tree["village"], axis="tree", pillar=OVERALL
    )
    assert float(village["Mean score (1-5)"]) == stored.mean  # 12 respondents: shown
    sex = archive.read("sex_scores.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(sex)))
    assert rows and all(r["Women's mean score"] == "fewer than 7 responses" for r in rows)
    assert all(r["Men's mean score"] == "fewer than 7 responses" for r in rows)
    assert all(r["Women respondents"] == "6" for r in rows)


def test_a_respondents_scores_or_answers_alone_are_refused(
    individual_round, tree, tmp_path, settings
):
    from django.core.management.base import CommandError

    with translation.override("en"), pytest.raises(CommandError, match="not exported"):
        _workbook(individual_round, tree, tmp_path, what="answers")
    with translation.override("en"), pytest.raises(CommandError, match="not exported"):
        _workbook(individual_round, tree, tmp_path, what="scores")


def _pdf_text(path) -> str:
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    return "".join(text.split())


def test_the_pdf_report_withholds_overall_and_each_sex(individual_round, tree, tmp_path, settings):
    settings.MIN_GROUP_SIZE = 13
    out = _workbook(individual_round, tree, tmp_path, fmt="pdf", what="report")
    text = _pdf_text(out)
    assert "fewerthan13responses" in text
    stored = SexScore.objects.get(
        round=individual_round, organisation=tree["nation"], axis="tree", pillar="tech"
    )
    assert f"{stored.women_mean:.2f}" not in text


def test_no_scorecard_of_one_respondent(individual_round, tree, client, settings):
    """An individual questionnaire has no organisation scorecard: it would show one
    respondent's scores. The page shows none of them and its PDF fails with a reason."""
    from organisations.models import Role
    from reports.exports.build import build
    from reports.exports.errors import BuildError
    from reports.exports.spec import ExportSpec
    from reports.models import ResponseScore
    from tests.factories import UserFactory, grant

    analyst = UserFactory(username="staff_analyst")
    grant(analyst, Role.ANALYST, tree["nation"])
    client.force_login(analyst)
    page = client.get(
        reverse("reports:scorecard", args=[individual_round.code, tree["village"].code])
    ).content.decode()
    scores = ResponseScore.objects.filter(round=individual_round, pillar=OVERALL)
    assert scores.count() == 12
    assert not any(f"{score:.2f}".replace(".", ",") in page or f"{score:.2f}" in page
                   for score in scores.values_list("score", flat=True))  # fmt: skip
    spec = ExportSpec(
        round=individual_round, what="scorecard", area=tree["village"], format="pdf",
        language="en",
    )  # fmt: skip
    with translation.override("en"), pytest.raises(BuildError):
        build(spec, settings.MEDIA_ROOT / "card.pdf", lambda *args, **kwargs: None)


def test_the_home_page_counts_respondents_and_withholds_a_small_group(
    individual_round, tree, client, settings
):
    from organisations.models import Role
    from tests.factories import UserFactory, grant

    settings.MIN_GROUP_SIZE = 13
    analyst = UserFactory(username="home_analyst")
    grant(analyst, Role.ANALYST, tree["vte"])
    client.force_login(analyst)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "12 respondents" in page
    assert "fewer than 13 responses" in page
    stored = AreaAggregate.objects.get(
        round=individual_round, organisation=tree["vte"], axis="tree", pillar=OVERALL
    )
    assert f"{stored.mean:.1f}" not in page.split("fewer than 13 responses")[1][:400]


def test_the_dashboard_withholds_overall_and_each_sex(individual_round, tree, client, settings):
    from organisations.models import Role
    from tests.factories import UserFactory, grant

    analyst = UserFactory(username="dash_analyst")
    grant(analyst, Role.ANALYST, tree["nation"])
    client.force_login(analyst)
    client.cookies["django_language"] = "en"
    settings.MIN_GROUP_SIZE = 13
    overview = client.get(reverse("reports:area", args=[individual_round.code, "LA"]))
    assert "fewer than 13 responses" in overview.content.decode()
    settings.MIN_GROUP_SIZE = 7
    gender = client.get(reverse("reports:gender", args=[individual_round.code, "LA"]))
    text = gender.content.decode()
    assert "fewer than 7 responses" in text
    stored = SexScore.objects.get(
        round=individual_round, organisation=tree["nation"], axis="tree", pillar=OVERALL
    )
    assert f"{stored.women_mean:.2f}" not in text and f"{stored.men_mean:.2f}" not in text
