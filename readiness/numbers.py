"""The one reader of typed numbers. Every entry point (filling page, autosave, share link,
response import, XLSForm import) reads numbers through `number_parse`, so a number is stored
exactly as typed or refused with a message that shows the expected form.

Rules, chosen so that no reading can silently change a figure:
- digits of any script count as the same digits (Lao ໐–໙, Thai ๐–๙, full-width 0–9);
- a point is the decimal separator; a comma (or a space) only separates thousands, in groups of
  exactly three digits after the first group of one to three (`1,200`, `12,345,678`); so `2,5`,
  `0,5` and `1,2,3` are refused, never read as 25, 5 or 123;
- no exponents (`1e3`), no `inf`/`nan`, no `_` between digits: write the number in full;
- no digit is dropped: a number with more decimals than the column keeps is refused.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 40
# Minus signs people type: ASCII hyphen-minus, the Unicode minus and the en dash.
MINUS_SIGNS = "-\u2212\u2013"
GROUP_SEPARATORS = ",\u00a0\u202f "
_PLAIN = re.compile(r"^(?P<sign>[+-]?)(?P<whole>\d*)(?:\.(?P<fraction>\d*))?$")
_GROUPED = re.compile(r"^(?P<sign>[+-]?)(?P<whole>[1-9]\d{0,2}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*)"
                      r"(?:\.(?P<fraction>\d*))?$")  # fmt: skip

NOT_A_NUMBER = _(
    "“%(value)s” is not a number. Write it like 1200, 1,200 or 2.5: a point before the "
    "decimals, and commas only between groups of three digits."
)
NOT_A_WHOLE_NUMBER = _(
    "“%(value)s” is not a whole number. Write it like 1200 or 1,200 (commas only between "
    "groups of three digits)."
)
TOO_PRECISE = _(
    "“%(value)s” has more digits after the point than this answer keeps. Write at most "
    "%(places)s digits after the point."
)
OUT_OF_RANGE = _("Enter a number between %(low)s and %(high)s.")


class NumberRefused(ValueError):
    """The text is not a number we can store exactly; args[0] is the message for the user."""


def _shown(text: str) -> str:
    """The refused value as the user will see it quoted (kept short, control characters out)."""
    visible = "".join(ch if ch.isprintable() else "?" for ch in text)
    return visible if len(visible) <= 30 else visible[:29] + "…"


def _ascii_digits(text: str) -> str:
    """Every decimal digit of any script as its ASCII digit; minus signs as '-'; the
    no-break and narrow spaces as plain spaces."""
    out = []
    for char in text:
        if char in MINUS_SIGNS:
            out.append("-")
        elif char in "\u00a0\u202f\u2009":
            out.append(" ")
        elif not char.isascii() and unicodedata.category(char) == "Nd":
            out.append(str(unicodedata.decimal(char)))
        else:
            out.append(char)
    return "".join(out)


def number_parse(
    raw: object,
    *,
    whole: bool = False,
    places: int = 4,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> Decimal:
    """The exact Decimal of a typed number, or NumberRefused with a message for the user.

    `raw` is text as typed (or an int/Decimal already typed by a program; a float only where a
    spreadsheet gave one, read through its shortest decimal form). `places` is how many decimals
    the store keeps: more non-zero decimals are refused, never rounded away."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise NumberRefused(NOT_A_NUMBER % {"value": _shown(str(raw))})
    if isinstance(raw, float):
        # repr() is the shortest text that reads back as the same float: 0.1 stays 0.1.
        text = format(Decimal(repr(raw)), "f") if raw == raw and abs(raw) != float("inf") else ""
    elif isinstance(raw, Decimal):
        text = format(raw, "f") if raw.is_finite() else ""
    else:
        text = str(raw)
    typed = text.strip()
    shown = _shown(typed or str(raw))
    wrong = NOT_A_WHOLE_NUMBER if whole else NOT_A_NUMBER
    if not typed or len(typed) > MAX_LENGTH:
        raise NumberRefused(wrong % {"value": shown})
    normal = _ascii_digits(typed)
    match = _PLAIN.match(normal) or _GROUPED.match(normal)
    if match is None or not (match["whole"] or match["fraction"]):
        raise NumberRefused(wrong % {"value": shown})
    digits = re.sub(r"[, ]", "", match["whole"]) or "0"
    fraction = match["fraction"] or ""
    try:
        number = Decimal(f"{match['sign']}{digits}.{fraction or '0'}")
    except InvalidOperation:  # pragma: no cover - the patterns admit only digits
        raise NumberRefused(wrong % {"value": shown}) from None
    if whole and number != number.to_integral_value():
        raise NumberRefused(NOT_A_WHOLE_NUMBER % {"value": shown})
    step = Decimal(1).scaleb(-places)
    if number != number.quantize(step):
        raise NumberRefused(TOO_PRECISE % {"value": shown, "places": places})
    if (low is not None and number < low) or (high is not None and number > high):
        raise NumberRefused(
            OUT_OF_RANGE
            % {
                "low": f"{low:,}" if low is not None else "–",
                "high": f"{high:,}" if high is not None else "–",
            }
        )
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return Decimal(format(number.normalize(), "f"))


def number_text(value: float | int | Decimal) -> str:
    """A number a spreadsheet gave (float) as plain decimal text without exponent:
    1e-05 → "0.00001", 1200.0 → "1200"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if not number.is_finite():
        return str(value)
    if number == number.to_integral_value():
        return format(number.to_integral_value(), "f")
    return format(number.normalize(), "f")
