"""Values of the expression subset as ODK (XPath 1.0) sees them: bool, float or str, and the
conversions, comparisons and arithmetic between them."""

from __future__ import annotations

import datetime
import decimal
import math
import re
from collections.abc import Mapping

from surveys.expressions.dates import date_number
from surveys.expressions.syntax import NUMERIC_STRING_RE

Value = bool | float | str


def _to_float(number: object) -> float:
    try:
        return float(number)  # type: ignore[arg-type]
    except OverflowError:
        return math.inf if number > 0 else -math.inf  # type: ignore[operator]
    except (ValueError, TypeError, decimal.InvalidOperation):
        return math.nan


def _from_python(raw: object) -> Value:
    """An answer as the expression sees it (ODK keeps every answer as text in the instance)."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float | decimal.Decimal):
        return _to_float(raw)
    if isinstance(raw, str):
        return raw
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    if isinstance(raw, list | tuple | set | frozenset):
        return " ".join(_to_string(_from_python(item)) for item in raw)
    try:
        return str(raw)
    except Exception:  # an odd object's __str__ must not crash a page
        return ""


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if NUMERIC_STRING_RE.fullmatch(value):
        return float(value)
    # A date (or date and time) counts in days since 1970-01-01, as ODK compares dates.
    return date_number(value)


def _to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return _number_text(value)
    return value


def _number_text(value: float) -> str:
    """A finite number as JavaScript's String(n) writes it (the browser's mirror must store
    the same text): the shortest digits that read back, plain from 1e-6 to 1e21."""
    if value == 0:
        return "0"
    digits_tuple = decimal.Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(str(d) for d in digits_tuple.digits)
    k = len(digits)
    n = digits_tuple.exponent + k  # where the decimal point goes
    sign = "-" if value < 0 else ""
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    exponent = n - 1
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{mantissa}e{'+' if exponent > 0 else '-'}{abs(exponent)}"


def to_string(value: Value) -> str:
    """XPath's string() of a value: what a calculate stores."""
    return _to_string(value)


def to_bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return len(value) > 0


def _lookup(name: str, values: Mapping[str, object]) -> Value:
    if name in values:
        return _from_python(values[name])
    # A count-by-sex question `q` is stored as q_f and q_m; `${q}` is their total.
    women, men = values.get(f"{name}_f"), values.get(f"{name}_m")
    if women is None and men is None:
        return ""
    total = 0.0
    for part in (women, men):
        if part is not None:
            total += to_number(_from_python(part))
    return total


def _compare(op: str, left: Value, right: Value) -> bool:
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = to_bool(left) == to_bool(right)
        elif isinstance(left, float) or isinstance(right, float):
            equal = to_number(left) == to_number(right)
        else:
            equal = left == right
        return equal if op == "=" else not equal
    a, b = to_number(left), to_number(right)
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _arithmetic(op: str, left: Value, right: Value) -> float:
    a, b = to_number(left), to_number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        if b == 0:
            if a == 0 or math.isnan(a):
                return math.nan
            return math.copysign(math.inf, a) * math.copysign(1.0, b)
        return a / b
    # XPath's mod keeps the sign of the dividend, like C's fmod and JavaScript's %.
    if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
        return math.nan
    if math.isinf(b):
        return a
    return math.fmod(a, b)


XPATH_SPACE = " \t\n\r"


def _choices(value: Value) -> list[str]:
    """The values of a multiple choice answer (separated by XPath's whitespace only)."""
    text = _to_string(value).strip(XPATH_SPACE)
    return re.split(r"[ \t\n\r]+", text) if text else []
