"""Identifiers (organisation codes, form ids, question, list and choice names) and labels as
users type them in spreadsheets.

An identifier is compared as the user thinks of it: trimmed of ordinary spaces, and without
regard to letter case where codes are concerned. One that carries an invisible or format
character (zero-width space, no-break space, a bidi mark, a soft hyphen) is refused: it would
look equal on screen and compare different in every rule. A label keeps its text but loses stray
zero-width characters and spaces at its ends, and a line break inside a name becomes one space.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

# Invisible or format characters: every Cf (zero-width spaces and joiners, bidi marks, soft
# hyphen, BOM), spaces other than the plain space (no-break, thin, ideographic...), and control
# characters.
_ENDS = " \t\r\n\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_ENDS += "\u200b\u200c\u200d\u200e\u200f\u202f\u205f\u2060\u3000\ufeff"
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\u0085]+\s*")


def invisible_characters(text: str) -> list[str]:
    """The invisible or format characters of `text`, each named as U+XXXX NAME."""
    found = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cf", "Cc") or (category == "Zs" and char != " "):
            label = f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()
            if label not in found:
                found.append(label)
    return found


def identifier_problem(text: str) -> str | None:
    """Why `text` cannot be an identifier as typed (None: it can, once trimmed of spaces)."""
    found = invisible_characters(text.strip(" "))
    if not found:
        return None
    return _(
        "“%(text)s” contains an invisible character (%(characters)s). Retype the value without "
        "it; such a character makes two codes that look the same differ."
    ) % {"text": text.strip(_ENDS), "characters": ", ".join(found)}


def label_clean(text: str | None) -> str:
    """A label or name as it should be stored: NFC, line breaks made single spaces, no spaces or
    zero-width characters at either end."""
    text = unicodedata.normalize("NFC", text or "")
    return _LINE_BREAKS.sub(" ", text.strip(_ENDS)).strip(_ENDS)


def code_key(code: str) -> str:
    """The form under which two codes are the same code: letter case ignored."""
    return code.strip().casefold()


def label_trim(text: str | None) -> str:
    """A label as written, without spaces or zero-width characters at either end (line breaks
    inside it are kept: a label may have several lines)."""
    return unicodedata.normalize("NFC", text or "").strip(_ENDS)
