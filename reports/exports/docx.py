"""The master-plan input as a Word document: real headings (Heading 1-3, so Word's navigation
pane and table of contents work) and real tables, for MTC's writers to edit into the plan.
Word lays out Lao itself, so no zero-width spaces go in here."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Noto Sans Lao"


def _font(document) -> None:
    """Body text in Noto Sans Lao (Word falls back to its own Lao font if it is missing), with
    the complex-script font set too: Word takes Lao text's font from `w:cs`."""
    for style_name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        style = document.styles[style_name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
    document.styles["Normal"].font.size = Pt(10)


def _table(document, headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for index, header in enumerate(headers):
        cell = table.rows[0].cells[index]
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # Repeat the header row on every page a table spans.
    header_properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = header_properties.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    header_properties.append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for index, value in enumerate(values):
            cells[index].text = str(value)
            if index in numeric:
                cells[index].paragraphs[0].alignment = 2  # right
    return table


def write_masterplan(context: dict, path: Path) -> int:
    """Writes the document; returns the number of pillar sections."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    _font(document)
    doc = context["doc"]
    document.core_properties.title = doc["title"]
    document.add_heading(doc["title"], level=1)
    document.add_paragraph(f"{doc['round']} · {doc['area']} ({doc['area_code']})")
    document.add_paragraph(_("Scores computed %(when)s") % {"when": doc["computed_at"]})
    document.add_paragraph(
        _(
            "This document gives, pillar by pillar, the gap between the assessed digital "
            "readiness and the round's target, where the gap is largest, which areas can act now "
            "(quick wins) and which must first build foundations, and the recommended actions. "
            "Pillars are ordered by their gap, largest first."
        )
    )
    document.add_heading(_("Gaps by pillar"), level=2)
    _table(
        document,
        [_("Pillar"), _("Score"), _("Stage"), _("Target"), _("Gap"), _("Priority")],
        [
            [r["name"], r["score"], r["stage"], r["target"], r["gap"], r["priority_class"]]
            for r in context["summary"]
        ],
        numeric={1, 3, 4},
    )
    for number, pillar in enumerate(context["sections"], start=1):
        _pillar_section(document, number, pillar)
    document.save(str(path))
    return len(context["sections"])


def _pillar_section(document, number: int, pillar: dict) -> None:
    document.add_heading(f"{number}. {pillar['name']}", level=2)
    document.add_paragraph(
        _(
            "Score %(score)s (%(stage)s), target %(target)s, gap %(gap)s; enabler readiness "
            "%(enablers)s."
        )
        % pillar
        + (f" {pillar['class']}" if pillar["class"] else "")
    )
    if pillar["action"]:
        document.add_paragraph(pillar["action"], style="Intense Quote")
    document.add_heading(_("Where the gap is largest"), level=3)
    if pillar["largest"]:
        _table(
            document,
            [_("Area"), _("Score"), _("Gap")],
            [[row["area"], row["score"], row["gap"]] for row in pillar["largest"]],
            numeric={1, 2},
        )
    else:
        document.add_paragraph(_("No area has a gap in this pillar."))
    document.add_heading(_("Quick wins"), level=3)
    document.add_paragraph(", ".join(pillar["quick_wins"]) or _("None."))
    document.add_heading(_("Foundations to build first"), level=3)
    document.add_paragraph(", ".join(pillar["foundations"]) or _("None."))
    if pillar["actions"]:
        document.add_heading(_("Recommended actions by stage"), level=3)
        _table(
            document,
            [_("Stage"), _("Areas"), _("Recommended action")],
            [[a["stage"], ", ".join(a["areas"]), a["action"]] for a in pillar["actions"]],
        )
