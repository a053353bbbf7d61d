"""PDF reports and the Word master-plan input, made by `manage.py export`, read back: numbers
from the database, labels in the chosen language, A4 pages with running headers and numbers."""

import io
import subprocess

import docx
import pdfplumber
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from reports.models import OVERALL, AreaAggregate, Axis, ResponseScore

pytestmark = pytest.mark.django_db
A4 = (595.3, 841.9)  # points


def _export(tmp_path, results, **options) -> bytes:
    out = tmp_path / f"out.{options['format']}"
    stdout = io.StringIO()
    call_command("export", round=results["round"].code, out=str(out), stdout=stdout, **options)
    assert str(out) in stdout.getvalue()
    return out


def _text(path) -> str:
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    return "".join(text.split())  # pdftotext spaces Lao marks apart; compare without spaces


def _national(results, pillar):
    return AreaAggregate.objects.get(
        round=results["round"], organisation__depth=1, axis=Axis.TREE, pillar=pillar
    )


@pytest.mark.parametrize(
    ("lang", "title", "pillar", "staff"),
    [
        ("lo", "ບົດລາຍງານຄວາມພ້ອມດ້ານດິຈິຕອນຂັ້ນສູນກາງ", "ເຕັກໂນໂລຊີແລະວິທີແກ້ໄຂ", "ພະນັກງານ"),
        ("en", "Nationaldigitalreadinessreport", "Technologyandsolutions", "Staff"),
    ],
)
def test_the_national_report_in_each_language(tmp_path, results, lang, title, pillar, staff):
    path = _export(tmp_path, results, what="report", format="pdf", lang=lang)
    text = _text(path)
    assert title in text
    assert pillar in text
    assert staff in text  # the gender section
    overall = _national(results, OVERALL)
    assert f"{overall.mean:.1f}/5" in text
    assert f"{overall.submitted}/{overall.expected}" in text
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 4
        assert all(abs(p.width - A4[0]) < 1 and abs(p.height - A4[1]) < 1 for p in pdf.pages)
        assert len(pdf.pages[0].images) >= 1  # charts are images, not SVG text
        last = "".join((pdf.pages[-1].extract_text() or "").split())
    assert f"{len(pdf.pages)}/{len(pdf.pages)}" in last  # "Page n / n" in the footer


def test_an_organisation_scorecard_quotes_its_scores_and_actions(tmp_path, results, tree):
    path = _export(
        tmp_path, results, what="scorecard", area=tree["village"].code, format="pdf", lang="en"
    )
    text = _text(path)
    assert "Digitalreadinessscorecard:OrganisationLA0101001" in text
    tech = ResponseScore.objects.get(response=results["village"], pillar="tech")
    assert f"{tech.score:.1f}" in text


def test_a_scorecard_of_an_organisation_without_a_response_says_so(tmp_path, results, tree):
    with pytest.raises(CommandError, match="no scored response"):
        _export(tmp_path, results, what="scorecard", area=tree["luang"].code, format="pdf",
                lang="en")  # fmt: skip


def test_the_master_plan_input_as_word_has_headings_and_tables(tmp_path, results):
    path = _export(tmp_path, results, what="masterplan", format="docx", lang="en")
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Input to the National Digital Government Master Plan"
    assert "Gaps by pillar" in headings
    # Pillars come by gap, largest first: tech (target 4.5) before skills (target 3).
    assert headings.index("1. Technology and solutions") < headings.index(
        "2. Skills and capacity building"
    )
    summary = document.tables[0]
    assert [c.text for c in summary.rows[0].cells][:2] == ["Pillar", "Score"]
    tech = _national(results, "tech")
    row = next(r for r in summary.rows if r.cells[0].text == "Technology and solutions")
    assert row.cells[1].text == f"{tech.mean:.1f}" and row.cells[4].text == f"{tech.gap:.1f}"


def test_the_master_plan_input_in_lao_as_pdf(tmp_path, results):
    text = _text(_export(tmp_path, results, what="masterplan", format="pdf", lang="lo"))
    assert "ຂໍ້ມູນປ້ອນເຂົ້າແຜນແມ່ບົດແຫ່ງຊາດວ່າດ້ວຍລັດຖະບານດິຈິຕອນ" in text
    assert "ເຂດທີ່ມີຊ່ອງຫວ່າງຫຼາຍທີ່ສຸດ" in text


def test_the_command_refuses_a_format_the_content_does_not_have(tmp_path, results):
    with translation.override("en"), pytest.raises(CommandError, match="cannot be exported as"):
        _export(tmp_path, results, what="report", format="docx", lang="en")


def test_an_individual_questionnaires_report_compares_women_and_men(
    tmp_path, individual_round, tree
):
    from reports.models import SexScore

    out = tmp_path / "staff.pdf"
    call_command(
        "export", round=individual_round.code, what="report", format="pdf", lang="en",
        out=str(out), stdout=io.StringIO(),
    )  # fmt: skip
    text = _text(out)
    assert "Scoresofwomenandmenrespondents" in text
    stored = SexScore.objects.get(
        round=individual_round, organisation=tree["nation"], axis="tree", pillar="tech"
    )
    assert f"{stored.women_mean:.1f}" in text and f"{stored.men_mean:.1f}" in text
