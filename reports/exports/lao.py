"""Lao line breaking for PDF.

Lao is written without spaces between words, and Pango (so WeasyPrint) has a dictionary line
breaker for Thai only: a Lao sentence would never wrap and would overflow its box. Before
rendering, a zero-width space (U+200B) goes at every word boundary that ICU's Lao dictionary
break iterator finds; WeasyPrint then wraps at words, and leaves the U+200B out of the PDF's
text, so a reader who copies a sentence gets it as written."""

from __future__ import annotations

import re
import threading

import icu

ZWSP = "\u200b"
LAO_RUN = re.compile(r"[\u0e80-\u0eff]{2,}")
_local = threading.local()


def _iterator() -> icu.BreakIterator:
    # A break iterator is not thread-safe; one per thread, built once (loading the dictionary
    # is the slow part).
    iterator = getattr(_local, "iterator", None)
    if iterator is None:
        iterator = icu.BreakIterator.createWordInstance(icu.Locale("lo_LA"))
        _local.iterator = iterator
    return iterator


def lao_words(run: str) -> list[str]:
    """A run of Lao letters split into words by ICU's dictionary. Within a run of BMP
    characters, ICU's UTF-16 offsets are Python string offsets."""
    iterator = _iterator()
    iterator.setText(run)
    words, start = [], 0
    for end in iterator:
        words.append(run[start:end])
        start = end
    return words


# Noto Sans Lao draws SARA AM (U+0EB3) as NIGGAHITA + SARA AA, and a PDF maps each glyph back to
# one text: the SARA AA glyph then copies as whichever of the two it met first, so "ເອົາ" came
# out of the PDF as "ເອົຳ" wherever a "ຳ" came before it. Written as its two parts (Unicode's
# compatibility decomposition, the same glyphs on the page), every letter copies as itself.
SARA_AM = "\u0eb3"
SARA_AM_PARTS = "\u0ecd\u0eb2"


def for_pdf(text: str) -> str:
    """Lao text as it goes to WeasyPrint: words separated, SARA AM written as its parts."""
    return break_lao(text).replace(SARA_AM, SARA_AM_PARTS)


def break_lao(text: str) -> str:
    """The text with U+200B between the words of every Lao run (nothing else changes)."""
    if not text:
        return text
    return LAO_RUN.sub(lambda match: ZWSP.join(lao_words(match.group(0))), text)
