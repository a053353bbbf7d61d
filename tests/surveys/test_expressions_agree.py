"""The server's evaluator and the browser's agree (issue 15, point 2): hypothesis writes
expressions with every supported function and values with Lao and other non-ASCII digits and
letters, curly quotes inside straight-quoted text, empty answers and NaN; each batch runs
through surveys/expressions in Python and static/js/expressions.js in node, and any
difference (a value, or one refusing what the other takes) fails the test."""

import json
import math
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.expressions import FUNCTIONS, Context, ExpressionError, evaluate
from tests.surveys.test_expressions import NODE, NOW, SCRIPTS, normalise

pytestmark = pytest.mark.skipif(not Path(NODE).exists(), reason="node is not installed")

NAMES = ["a", "b", "c", "m", "d"]
# Few letters, so that texts often meet (contains, starts-with, =), with Lao and other
# non-ASCII digits and letters, curly quotes, and spaces XPath does and does not know.
LETTERS = [*"a1 .-", "ລ", "ວ", "໑", "٣", "१", "é", "’", "‘", "“", "\u00a0", "\t"]
TEXT = st.text(alphabet=st.sampled_from(LETTERS), max_size=4)
ANSWER = st.one_of(
    st.none(),
    st.just(""),
    st.just(math.nan),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    TEXT,
    st.sampled_from(["2026-12-01", "1969-12-31T23:00:00.000+07:00", "2026-02-30", "12", " 3.5 "]),
    st.lists(st.sampled_from(["web", "email", "ລາວ", "x"]), max_size=3),
)
CONTEXT = {
    "now": NOW,
    "language": "lo",
    "choices": {"a": {"web": {"lo": "ເວັບ", "en": "Web"}, "x": {"en": "Ex"}}},
}


def _quoted(text: str) -> str:
    """Text in the quotes that can hold it: straight quotes around curly ones, as authors do."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "''"


# A text and a piece of it, so contains(), starts-with(), ends-with(), substr() and selected()
# meet their true and their false cases.
PIECES = st.tuples(
    st.sampled_from(["contains", "starts-with", "ends-with", "selected", "=", "substr"]),
    TEXT.filter(lambda t: "'" not in t and '"' not in t),
    st.integers(-1, 4),
    st.booleans(),
).map(
    lambda t: (
        f"substr({_quoted(t[1])}, {t[2]})"
        if t[0] == "substr"
        else f"{t[0]}({_quoted(t[1])}, {_quoted(t[1][t[2] :] if t[3] else t[1][: t[2]])})"
        if t[0] != "="
        else f"({_quoted(t[1])} = {_quoted(t[1][t[2] :] if t[3] else t[1][: t[2]])})"
    )
)

ATOM = st.one_of(
    PIECES,
    st.integers(0, 10**6).map(str),
    st.decimals(0, 1000, places=3).map(str),
    TEXT.map(_quoted),
    st.sampled_from([f"${{{name}}}" for name in NAMES]),
    st.just("."),
    st.sampled_from(["'^[0-9]+$'", "'ລາວ'", "'a.c'", "'(?:x|y)$'", "'[ສ-ຫ]'", "'%Y %b %a %H'"]),
)


def _call(name: str, args: list[str]) -> str:
    least, most = FUNCTIONS[name]
    return f"{name}({', '.join(args[: min(max(least, len(args)), most)])})"


def _expressions(children):
    binary = st.tuples(
        children,
        st.sampled_from(
            ["=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod", "and", "or"]
        ),
        children,
    ).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    calls = st.tuples(
        st.sampled_from(sorted(FUNCTIONS)), st.lists(children, min_size=0, max_size=3)
    ).map(lambda t: _call(*t))
    return st.one_of(binary, calls, children.map(lambda e: f"-{e}"))


EXPRESSION = st.one_of(
    st.recursive(ATOM, _expressions, max_leaves=8),
    # Every function straight over answers and literals, where its own result is compared.
    st.tuples(st.sampled_from(sorted(FUNCTIONS)), st.lists(ATOM, max_size=3)).map(
        lambda t: _call(*t)
    ),
    PIECES,
)
CASE = st.fixed_dictionaries(
    {
        "expr": EXPRESSION,
        "values": st.dictionaries(st.sampled_from(NAMES), ANSWER, max_size=5),
        "current": ANSWER,
    }
)

NODE_SCRIPT = r"""
globalThis.window = globalThis;
for (const file of process.argv.slice(1)) require(file);
const nan = (v) => (v === "__NaN__" ? NaN : Array.isArray(v) ? v.map(nan) : v);
const {cases, context} = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = cases.map((c) => {
  const values = {};
  for (const k of Object.keys(c.values)) values[k] = nan(c.values[k]);
  try {
    const v = window.ReadinessExpr.evaluate(c.expr, values, nan(c.current), context);
    if (typeof v === "number") {
      if (Number.isNaN(v)) return "NaN";
      if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
      return v;
    }
    return v;
  } catch (e) {
    if (e.name !== "ExpressionError") return {crash: String(e)};
    return {error: true};
  }
});
process.stdout.write(JSON.stringify(out));
"""


def _encoded(value):
    if isinstance(value, float) and math.isnan(value):
        return "__NaN__"
    if isinstance(value, list):
        return [_encoded(item) for item in value]
    return value


def _python(case):
    try:
        value = evaluate(case["expr"], case["values"], case["current"], context=Context(**CONTEXT))
    except ExpressionError:
        return {"error": True}
    return "NaN" if isinstance(value, float) and math.isnan(value) else value


def _same(python, browser) -> bool:
    if isinstance(python, float) and isinstance(browser, int | float):
        if math.isinf(python):
            return normalise(python) == normalise(browser)
        return math.isclose(python, browser, rel_tol=1e-12, abs_tol=1e-12)
    return normalise(python) == browser if isinstance(python, float) else python == browser


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(CASE, min_size=40, max_size=40))
def test_python_and_the_browser_agree_on_generated_expressions(cases):
    encoded = [
        {
            "expr": c["expr"],
            "values": {k: _encoded(v) for k, v in c["values"].items()},
            "current": _encoded(c["current"]),
        }
        for c in cases
    ]
    completed = subprocess.run(
        [NODE, "-e", NODE_SCRIPT, *SCRIPTS],
        input=json.dumps({"cases": encoded, "context": CONTEXT}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    browser = json.loads(completed.stdout)
    disagreements = [
        (case["expr"], case["values"], case["current"], python, got)
        for case, got in zip(cases, browser, strict=True)
        if not _same(python := _python(case), got)
    ]
    assert disagreements == []
