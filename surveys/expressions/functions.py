"""The functions of the expression subset, one small function each; static/js/expressions.js
implements each the same way (the shared case file and the property test hold them to it).

Each takes the evaluator and the argument nodes (so if() and coalesce() evaluate only what
they need) and returns a bool, a float or a str."""

from __future__ import annotations

import math
from collections.abc import Callable

from surveys.expressions import dates
from surveys.expressions.catalog import choice_name_target
from surveys.expressions.regex import regex_matches
from surveys.expressions.values import XPATH_SPACE, Value, _choices, _to_string, to_bool, to_number


def _numbers(ev, args) -> list[float]:
    return [to_number(ev.value(arg)) for arg in args]


def _text(ev, node) -> str:
    return _to_string(ev.value(node))


def _coalesce(ev, args) -> Value:
    first = ev.value(args[0])
    return first if _to_string(first) != "" else ev.value(args[1])


def _once(ev, args) -> Value:
    """The answer already there (a calculate's stored value) if any, else the argument."""
    return ev.current if _to_string(ev.current) != "" else ev.value(args[0])


def _selected_at(ev, args) -> str:
    chosen = _choices(ev.value(args[0]))
    index = to_number(ev.value(args[1]))
    if not math.isfinite(index):
        return ""
    index = math.trunc(index)
    return chosen[index] if 0 <= index < len(chosen) else ""


def _choice_name(ev, args) -> str:
    value = _text(ev, args[0]).strip(XPATH_SPACE)
    labels = ev.context.choices.get(choice_name_target(args[1]) or "", {}).get(value)
    if not labels:
        return ""
    return labels.get(ev.context.language) or next(iter(labels.values()), "")


def _substr(ev, args) -> str:
    """substr(text, start[, end]): code points from start (0-based) to end (exclusive)."""
    text = list(_text(ev, args[0]))
    start = to_number(ev.value(args[1]))
    end = to_number(ev.value(args[2])) if len(args) > 2 else len(text)
    if math.isnan(start) or math.isnan(end):
        return ""
    start = min(max(start, 0), len(text))
    end = min(max(end, start), len(text))
    return "".join(text[math.trunc(start) : math.trunc(end)])


def _int(value: float) -> float:
    return float(math.trunc(value)) if math.isfinite(value) else value


def _round(ev, args) -> float:
    """round(x[, places]): half up (towards +infinity), as ODK and Math.round do."""
    value = to_number(ev.value(args[0]))
    places = to_number(ev.value(args[1])) if len(args) > 1 else 0.0
    if not math.isfinite(value) or not math.isfinite(places):
        return value if not math.isfinite(value) else math.nan
    places = math.trunc(places)
    if abs(places) > 15:
        return math.nan
    scale = 10.0 ** abs(places)
    if places >= 0:
        return math.floor(value * scale + 0.5) / scale
    return math.floor(value / scale + 0.5) * scale


def _pow(ev, args) -> float:
    """pow(x, y) with JavaScript's answers where C's pow() raises or differs."""
    base, exponent = _numbers(ev, args)
    if math.isnan(exponent) or (abs(base) == 1 and math.isinf(exponent)):
        return math.nan
    odd = math.isfinite(exponent) and exponent == math.trunc(exponent) and exponent % 2 == 1
    try:
        return math.pow(base, exponent)
    except OverflowError:
        return math.copysign(math.inf, base) if odd else math.inf
    except ValueError:  # 0 to a negative power, or a negative base to a fractional one
        if base == 0:
            return math.copysign(math.inf, base) if odd else math.inf
        return math.nan


def _extreme(pick: Callable) -> Callable:
    def call(ev, args) -> float:
        numbers = _numbers(ev, args)
        if any(math.isnan(n) for n in numbers):
            return math.nan
        return pick(numbers)

    return call


def _date(ev, args) -> str:
    value = ev.value(args[0])
    if isinstance(value, str) and dates.parts(value):
        return value.strip(XPATH_SPACE)[:10]
    return dates.date_text(to_number(value))


def _decimal_date_time(ev, args) -> float:
    return to_number(ev.value(args[0]))


def _format_date(ev, args) -> str:
    value = ev.value(args[0])
    if not isinstance(value, str) or dates.parts(value) is None:
        value = to_number(value)
    return dates.format_date(value, _text(ev, args[1]), ev.context.language)


def _string_length(ev, args) -> float:
    return float(len(_text(ev, args[0])))


CALLS: dict[str, Callable] = {
    "not": lambda ev, a: not to_bool(ev.value(a[0])),
    "true": lambda ev, a: True,
    "false": lambda ev, a: False,
    "boolean": lambda ev, a: to_bool(ev.value(a[0])),
    "string": lambda ev, a: _text(ev, a[0]),
    "number": lambda ev, a: to_number(ev.value(a[0])),
    "selected": lambda ev, a: _text(ev, a[1]).strip(XPATH_SPACE) in _choices(ev.value(a[0])),
    "count-selected": lambda ev, a: float(len(_choices(ev.value(a[0])))),
    "selected-at": _selected_at,
    "jr:choice-name": _choice_name,
    "if": lambda ev, a: ev.value(a[1]) if to_bool(ev.value(a[0])) else ev.value(a[2]),
    "coalesce": _coalesce,
    "once": _once,
    "string-length": _string_length,
    "concat": lambda ev, a: "".join(_text(ev, arg) for arg in a),
    "substr": _substr,
    "contains": lambda ev, a: _text(ev, a[1]) in _text(ev, a[0]),
    "starts-with": lambda ev, a: _text(ev, a[0]).startswith(_text(ev, a[1])),
    "ends-with": lambda ev, a: _text(ev, a[0]).endswith(_text(ev, a[1])),
    "regex": lambda ev, a: regex_matches(_text(ev, a[0]), a[1].value),
    "int": lambda ev, a: _int(to_number(ev.value(a[0]))),
    "round": _round,
    "floor": lambda ev, a: _floor_or(math.floor, to_number(ev.value(a[0]))),
    "ceiling": lambda ev, a: _floor_or(math.ceil, to_number(ev.value(a[0]))),
    "abs": lambda ev, a: abs(to_number(ev.value(a[0]))),
    "pow": _pow,
    "sqrt": lambda ev, a: _sqrt(to_number(ev.value(a[0]))),
    "pi": lambda ev, a: math.pi,
    "min": _extreme(min),
    "max": _extreme(max),
    "today": lambda ev, a: ev.context.clock()[:10],
    "now": lambda ev, a: ev.context.clock(),
    "date": _date,
    "decimal-date-time": _decimal_date_time,
    "format-date": _format_date,
}


def _sqrt(value: float) -> float:
    return math.sqrt(value) if value >= 0 else math.nan  # NaN stays NaN


def _floor_or(rounding: Callable, value: float) -> float:
    return float(rounding(value)) if math.isfinite(value) else value
