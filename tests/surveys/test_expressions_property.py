"""Property tests: arbitrary text and arbitrary values never crash the evaluator; it answers or
refuses with ExpressionError."""

import decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.expressions import ExpressionError, evaluate, parse, references

TOKENS = [
    "and",
    "or",
    "div",
    "mod",
    "not(",
    "selected(",
    "count-selected(",
    "if(",
    "${a}",
    "${b}",
    "true()",
    "false()",
    "string-length(",
    "number(",
    "coalesce(",
    ".",
]
ALPHABET = st.sampled_from([*"${}().,'\"‘’“”=!<>+-*/ _abcdfgnorstx0123456789ລາວ\n\t", *TOKENS])
answer = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.decimals(allow_nan=True),
    st.lists(st.text(max_size=5), max_size=4),
    st.integers(min_value=10**300, max_value=10**320),
)
VALUES = st.dictionaries(st.sampled_from(["a", "b", "c", "a_f", "a_m", "x"]), answer, max_size=6)


def _refuses_or_answers(text, values, current):
    try:
        node = parse(text)
    except ExpressionError:
        return
    references(node)
    result = evaluate(node, values, current)
    assert isinstance(result, bool | float | str)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), VALUES, answer)
def test_arbitrary_text_never_crashes(text, values, current):
    _refuses_or_answers(text, values, current)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=60).map("".join), VALUES, answer)
def test_expression_like_text_never_crashes(text, values, current):
    _refuses_or_answers(text, values, current)


@settings(max_examples=200, deadline=None)
@given(VALUES, answer)
def test_valid_expressions_evaluate_on_any_values(values, current):
    for text in (
        "${a} = 'yes' and not(selected(${b}, 'x'))",
        "count-selected(${b}) + ${c} div ${x}",
        ". <= 10000 or ${a} mod 0 > 1",
        "${a} >= ${a_f} - -${a_m}",
        "string-length(${c}) > 2",
        "if(${a}, ${b}, coalesce(${c}, number(${x})))",
    ):
        assert isinstance(evaluate(text, values, current), bool | float | str)


def test_a_decimal_signalling_nan_is_only_not_a_number():
    assert evaluate("${a} = 1", {"a": decimal.Decimal("sNaN")}) is False
