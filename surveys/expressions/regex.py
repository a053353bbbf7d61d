"""regex() patterns in the one dialect Python's `re` and the browser's RegExp agree on.

A pattern is translated before use, the same way here and in static/js/expressions.js (which
emits its own dialect): `\\d`, `\\w`, `\\s` mean their ASCII classes (Python would also take Lao
digits for `\\d`), `.` is any character but a line break, `$` is the very end of the text, and a
lone `]`, `{` or `}` is literal. Anything the two engines read differently or that can take
exponential time — look-arounds, back-references, named groups, flags, a quantifier after a
quantifier, a quantified group that holds a quantifier, unknown escapes — raises ValueError
with the reason, and the import refuses the expression at its cell."""

from __future__ import annotations

import functools
import re

from django.utils.translation import gettext as _

SYNTAX = "\\^$.|?*+()[]{}/-"
CLASS_ESCAPES = {"d": "0-9", "w": "A-Za-z0-9_", "s": " \\t\\n\\r\\f\\v"}
ESCAPES = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": "[A-Za-z0-9_]",
    "W": "[^A-Za-z0-9_]",
    "s": "[ \\t\\n\\r\\f\\v]",
    "S": "[^ \\t\\n\\r\\f\\v]",
    "t": "\\t",
    "n": "\\n",
    "r": "\\r",
}
DOT = "[^\\n\\r\\u2028\\u2029]"
QUANTIFIER_RE = re.compile(r"\{[0-9]+(?:,[0-9]*)?\}")


def _class(pattern: str, i: int) -> tuple[str, int]:
    """The character class starting at pattern[i] == "[" -> (translated, index after it)."""
    out = "["
    i += 1
    if pattern.startswith("^", i):
        out, i = "[^", i + 1
    if pattern.startswith("]", i):
        raise ValueError(_("“[]” is read differently by the server and the browser."))
    while i < len(pattern) and pattern[i] != "]":
        char = pattern[i]
        if char == "[":
            raise ValueError(_("A “[” inside [...] is read differently; write “\\[”."))
        if char == "\\":
            escaped = pattern[i + 1 : i + 2]
            if escaped in CLASS_ESCAPES:
                out += CLASS_ESCAPES[escaped]
            elif (escaped and escaped in SYNTAX) or escaped in ("t", "n", "r"):
                out += "\\" + escaped
            else:
                raise ValueError(_("“\\%(char)s” is not supported in regex().") % {"char": escaped})
            i += 2
            continue
        out += char
        i += 1
    if i >= len(pattern):
        raise ValueError(_("A “[” is not closed."))
    return out + "]", i + 1


def _escape(pattern: str, i: int) -> str:
    escaped = pattern[i + 1 : i + 2]
    if escaped in ESCAPES:
        return ESCAPES[escaped]
    if escaped and escaped in SYNTAX:
        return "\\" + escaped
    raise ValueError(_("“\\%(char)s” is not supported in regex().") % {"char": escaped})


def _quantifier(pattern: str, i: int) -> str | None:
    if pattern[i] in "*+?":
        return pattern[i]
    match = QUANTIFIER_RE.match(pattern, i)
    return match.group(0) if match else None


def _check_quantifier(last: str, quantifier: str) -> None:
    """Refuses a quantifier after `last` (what came before it) that either engine would read
    differently or that can take exponential time."""
    if last == "lazy" or (last == "quantifier" and quantifier != "?"):
        raise ValueError(_("A quantifier cannot follow another one."))
    if last == "group":
        raise ValueError(_("A repeated group may not hold a repeat itself (it can take for ever)."))
    if last in ("", "anchor"):
        raise ValueError(_("A quantifier needs something before it."))


@functools.lru_cache(maxsize=512)
def translate(pattern: str) -> str:
    """The pattern for Python's `re` (search anywhere in the text, as ODK's regex()).

    Raises ValueError with a message in the active language when the pattern is outside the
    agreed dialect."""
    out: list[str] = []
    groups: list[bool] = []  # per open group: does it hold a quantifier?
    last = ""  # what the previous atom was: "atom", "quantifier", "group" (quantified inside)
    i = 0
    while i < len(pattern):
        char = pattern[i]
        quantifier = _quantifier(pattern, i)
        if quantifier:
            _check_quantifier(last, quantifier)
            out.append(quantifier)
            if groups:
                groups[-1] = True
            last = "quantifier" if last != "quantifier" else "lazy"
            i += len(quantifier)
            continue
        last = "atom"
        if char == "\\":
            out.append(_escape(pattern, i))
            i += 2
        elif char == "[":
            text, i = _class(pattern, i)
            out.append(text)
        elif char == "(":
            if pattern.startswith("(?:", i):
                out.append("(?:")
                i += 3
            elif pattern.startswith("(?", i):
                raise ValueError(
                    _("“(?” groups other than “(?:” are read differently; they are not supported.")
                )
            else:
                out.append("(")
                i += 1
            groups.append(False)
            last = "anchor"
        elif char == ")":
            if not groups:
                raise ValueError(_("A “)” has no “(” before it."))
            held = groups.pop()
            if held and groups:
                groups[-1] = True
            out.append(")")
            last = "group" if held else "atom"
            i += 1
        else:
            out.append({".": DOT, "$": "\\Z", "]": "\\]", "{": "\\{", "}": "\\}"}.get(char, char))
            last = "anchor" if char in "^|$" else "atom"
            i += 1
    if groups:
        raise ValueError(_("A “(” is not closed."))
    translated = "".join(out)
    re.compile(translated)
    return translated


def regex_matches(text: str, pattern: str) -> bool:
    return re.search(translate(pattern), text) is not None
