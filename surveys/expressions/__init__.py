"""The XLSForm expression subset used by `relevant`, `constraint` and `calculation`.

A small recursive-descent parser of our own (never `eval`), mirrored by
`static/js/expressions.js` for live skip logic and calculations in the browser; the server's
answer is the authoritative one, and where the two could not agree the expression is refused
when it is read (tests/surveys/test_expressions_cases.json runs both on the same cases, and
tests/surveys/test_expressions_agree.py on generated ones).

- `syntax.py`: tokens, grammar, `parse`, `references` (nodes in `nodes.py`);
- `catalog.py`: the functions and their argument counts, checks made when reading;
- `values.py`: ODK's values (bool, float, str), conversions, comparisons, arithmetic;
- `functions.py`: one small function per XLSForm function; `dates.py`, `regex.py` their helpers;
- `evaluation.py`: `evaluate`, `evaluate_bool` and their `Context` (clock, language, labels).

Semantics follow ODK (XPath 1.0): an unanswered question is the empty string (so it is NaN as
a number and compares false with any number); `=` compares as booleans if either side is a
boolean, else as numbers if either side is a number, else as strings; `<`, `>`... compare
numbers (a date counts in days since 1970-01-01); a multiple-choice answer is its values
separated by spaces; an empty expression is true (an empty `relevant` means "always shown").
"""

from surveys.expressions.catalog import FUNCTIONS, REPEAT_FUNCTIONS
from surveys.expressions.evaluation import Context, choice_allowed, evaluate, evaluate_bool
from surveys.expressions.nodes import MAX_DEPTH, MAX_LENGTH, ExpressionError, Node
from surveys.expressions.syntax import NUMERIC_STRING_RE, parse, references
from surveys.expressions.values import Value, to_bool, to_number, to_string

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "NUMERIC_STRING_RE",
    "REPEAT_FUNCTIONS",
    "Context",
    "ExpressionError",
    "Node",
    "Value",
    "choice_allowed",
    "evaluate",
    "evaluate_bool",
    "parse",
    "references",
    "to_bool",
    "to_number",
    "to_string",
]
