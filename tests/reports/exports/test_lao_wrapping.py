"""Lao in PDFs wraps at words: a long Lao paragraph in a narrow table cell becomes several
lines, none wider than the cell, and the words can be found (and copied) in the PDF's text."""

import subprocess
import unicodedata

import pdfplumber

from reports.exports.lao import ZWSP, break_lao, lao_words
from reports.exports.pdf import font_face_css, html_to_pdf

PARAGRAPH = (
    "ເຊື່ອມຕໍ່ຫ້ອງການເມືອງທຸກແຫ່ງເຂົ້າກັບເຄືອຂ່າຍຂອງລັດຖະບານ"
    "ກ່ອນທີ່ຈະນຳເອົາການບໍລິການສາທາລະນະຂຶ້ນອອນລາຍ"
    "ແລະສ້າງຄວາມອາດສາມາດໃຫ້ພະນັກງານທຸກຂັ້ນ"
)
CELL_MM = 35
MM = 72 / 25.4  # PDF points per millimetre


def _pdf(tmp_path, text: str, *, split: bool = True):
    html = f"""<html><head><style>{font_face_css()}
      @page {{ size: A4; margin: 20mm; }}
      body {{ font-family: "Noto Sans Lao"; font-size: 11pt; }}
      table {{ border-collapse: collapse; table-layout: fixed; width: {CELL_MM}mm; }}
      td {{ width: {CELL_MM}mm; padding: 0; }}
    </style></head><body><table><tr><td>{text}</td></tr></table></body></html>"""
    path = tmp_path / "wrap.pdf"
    if split:
        html_to_pdf(html, path)
    else:  # the same page without the word breaks, to show what they fix
        from weasyprint import HTML

        HTML(string=html).write_pdf(str(path))
    return path


def _lines(path) -> list[tuple[float, float]]:
    """(left, right) of each line of glyphs, in points."""
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    # Vowels and tone marks sit a few points above or below their letter: a glyph starts a new
    # line only when it is lower than the line's first glyph by more than half the font size.
    lines: list[list] = []
    for char in sorted(chars, key=lambda c: c["top"]):
        if not lines or char["top"] - lines[-1][0]["top"] > 6:
            lines.append([])
        lines[-1].append(char)
    return [(min(c["x0"] for c in line), max(c["x1"] for c in line)) for line in lines]


def test_icu_splits_lao_into_dictionary_words():
    assert lao_words("ການປະເມີນຄວາມພ້ອມ") == ["ການປະເມີນ", "ຄວາມ", "ພ້ອມ"]
    assert break_lao("ສປປ ລາວ 2026, ok") == "ສປປ ລາວ 2026, ok"  # spaces and Latin untouched
    assert break_lao("ການປະເມີນຄວາມພ້ອມ").count(ZWSP) == 2


def test_a_long_lao_paragraph_wraps_inside_a_narrow_cell(tmp_path):
    path = _pdf(tmp_path, PARAGRAPH)
    lines = _lines(path)
    assert len(lines) >= 4, lines
    left = min(x0 for x0, _x1 in lines)
    for x0, x1 in lines:
        assert x1 - left <= CELL_MM * MM + 0.5, (x0, x1)

    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    # pdftotext puts spaces and line ends around the marks it sees above or below a letter
    # (Lao itself has no spaces between words): compare without any whitespace.
    letters = "".join(text.split())
    for word in ("ເຊື່ອມຕໍ່", "ເຄືອຂ່າຍ", "ລັດຖະບານ", "ການບໍລິການສາທາລະນະ", "ຄວາມອາດສາມາດ"):
        assert word in letters, word
    assert ZWSP not in text  # the breaks are not in the text a reader copies


def test_without_word_breaks_the_same_paragraph_overflows_on_one_line(tmp_path):
    lines = _lines(_pdf(tmp_path, PARAGRAPH, split=False))
    assert len(lines) == 1
    assert lines[0][1] - lines[0][0] > CELL_MM * MM


def test_every_lao_letter_copies_out_of_the_pdf_as_itself(tmp_path):
    """SARA AM and SARA AA share a glyph in Noto Sans Lao: the text of a PDF must still give
    "ເອົາ" after "ນຳ" (NFKC: SARA AM is the same text as its two parts)."""
    text = "ນຳເອົາ ຄຳຖາມ ກຳລັງ ໜ້າ ເຄືອຂ່າຍ"
    with pdfplumber.open(_pdf(tmp_path, text)) as pdf:
        copied = "".join(c["text"] for c in pdf.pages[0].chars if c["text"].strip())
    expected = "".join(text.split())
    assert unicodedata.normalize("NFKC", copied) == unicodedata.normalize("NFKC", expected)
