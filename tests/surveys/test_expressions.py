"""The expression subset: the same cases through Python and through the browser mirror (node)."""

import decimal
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from surveys.expressions import (
    Context,
    ExpressionError,
    evaluate,
    evaluate_bool,
    parse,
    references,
)

CASES = json.loads((Path(__file__).parent / "test_expressions_cases.json").read_text("utf-8"))
NODE = shutil.which("node") or "/usr/bin/node"
# The browser's evaluator: its two helpers first, as the pages load them.
SCRIPTS = [
    str(settings.BASE_DIR / "static" / "js" / name)
    for name in ("expression_regex.js", "expression_dates.js", "expressions.js")
]
# The clock of today() and now() in every case (a case may give its own "context").
NOW = "2026-12-01T09:30:00.000+07:00"


def normalise(value):
    """Results as JSON can carry them: NaN and infinities as text, numbers rounded."""
    if isinstance(value, bool | str):
        return value
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return round(float(value), 9)


def context_of(case) -> Context:
    given = case.get("context") or {}
    return Context(
        now=given.get("now", NOW),
        language=given.get("language", "en"),
        choices=given.get("choices", {}),
    )


def python_result(case):
    try:
        return normalise(
            evaluate(case["expr"], case["values"], case.get("current"), context=context_of(case))
        )
    except ExpressionError:
        return {"error": True}


def expected(case):
    return {"error": True} if case.get("error") else normalise(case["expected"])


@pytest.mark.parametrize("case", CASES, ids=[c["expr"] or "(empty)" for c in CASES])
def test_python_evaluates_each_case_as_odk_does(case):
    assert python_result(case) == expected(case)


NODE_SCRIPT = r"""
globalThis.window = globalThis;
for (const file of process.argv.slice(1)) require(file);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = cases.map((c) => {
  try {
    const current = c.current === undefined ? null : c.current;
    const v = window.ReadinessExpr.evaluate(c.expr, c.values, current, c.context || {now: NOW});
    if (typeof v === "number") {
      if (Number.isNaN(v)) return "NaN";
      if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
      return Math.round(v * 1e9) / 1e9;
    }
    return v;
  } catch (e) {
    if (e.name !== "ExpressionError") throw e;
    return {error: true};
  }
});
process.stdout.write(JSON.stringify(out));
""".replace("NOW", json.dumps("2026-12-01T09:30:00.000+07:00"))


@pytest.mark.skipif(not Path(NODE).exists(), reason="node is not installed")
def test_the_browser_mirror_gives_the_same_results_as_python():
    completed = subprocess.run(
        [NODE, "-e", NODE_SCRIPT, *SCRIPTS],
        input=json.dumps(CASES),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    browser = json.loads(completed.stdout)
    mismatches = [
        (case["expr"], got, expected(case))
        for case, got in zip(CASES, browser, strict=True)
        if got != expected(case)
    ]
    assert mismatches == []


def test_references_lists_every_question_named():
    assert references("${a} = 'x' and selected(${b}, 'y') or not(${a} > ${c_f})") == {
        "a",
        "b",
        "c_f",
    }


def test_numbers_come_as_decimals_from_the_database():
    assert evaluate_bool("${n} >= 2.5", {"n": decimal.Decimal("2.5000")})


def test_an_empty_relevant_is_always_true():
    assert evaluate_bool("   ", {}) is True


def test_errors_say_where_in_the_active_language():
    with translation.override("en"), pytest.raises(ExpressionError) as caught:
        parse("${a} = 'yes' and @")
    assert "character 18" in caught.value.message
    assert caught.value.position == 17


def test_a_deeply_nested_expression_is_refused_not_crashed():
    with pytest.raises(ExpressionError):
        parse("(" * 5000 + "1" + ")" * 5000)
    with pytest.raises(ExpressionError):
        parse(" + ".join(["1"] * 1500))
    with pytest.raises(ExpressionError):
        parse("-" * 3000 + "1")
