"""The functions of the expression subset: how many arguments each takes, and the checks made
when an expression is read (so that what the server and the browser would evaluate differently
is refused at import, with its place)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from surveys.expressions.nodes import REF_RE, ExpressionError, Literal, Node
from surveys.expressions.regex import translate

MANY = 1000
# name -> (least, most) number of arguments; the same table is in static/js/expressions.js.
FUNCTIONS: dict[str, tuple[int, int]] = {
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "boolean": (1, 1),
    "string": (1, 1),
    "number": (1, 1),
    "selected": (2, 2),
    "count-selected": (1, 1),
    "selected-at": (2, 2),
    "jr:choice-name": (2, 2),
    "if": (3, 3),
    "coalesce": (2, 2),
    "once": (1, 1),
    "string-length": (1, 1),
    "concat": (0, MANY),
    "substr": (2, 3),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "regex": (2, 2),
    "int": (1, 1),
    "round": (1, 2),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "abs": (1, 1),
    "sqrt": (1, 1),
    "pi": (0, 0),
    "pow": (2, 2),
    "min": (1, MANY),
    "max": (1, MANY),
    "today": (0, 0),
    "now": (0, 0),
    "date": (1, 1),
    "decimal-date-time": (1, 1),
    "format-date": (2, 2),
}
# Functions over a repeat's instances: refused with their own message until repeats are taken.
REPEAT_FUNCTIONS = {"sum", "count", "position", "indexed-repeat"}
# ODK's functions whose last digit differs between the server's maths library and the
# browser's (sqrt is exact in both and taken): refused, never evaluated two ways.
ROUNDING_FUNCTIONS = {
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "atan2",
    "exp",
    "exp10",
    "log",
    "log10",
}


def choice_name_target(node: Node) -> str | None:
    """The question a jr:choice-name() names in its second argument ('${q}'), else None."""
    if isinstance(node, Literal) and isinstance(node.value, str):
        match = REF_RE.fullmatch(node.value.strip())
        return match.group(1) if match else None
    return None


def check_call(name: str, args: list[Node], position: int) -> None:
    """Raises ExpressionError for a call the two evaluators could not agree on."""
    if name == "regex":
        pattern = args[1]
        if not isinstance(pattern, Literal) or not isinstance(pattern.value, str):
            raise ExpressionError(
                _(
                    "The pattern of regex() must be written in quotes, not computed (at "
                    "character %(position)s)."
                )
                % {"position": position + 1},
                position,
            )
        try:
            translate(pattern.value)
        except ValueError as exc:
            raise ExpressionError(
                _("The pattern of regex() cannot be used: %(reason)s (at character %(position)s).")
                % {"reason": exc.args[0], "position": position + 1},
                position,
            ) from None
    if name == "jr:choice-name" and choice_name_target(args[1]) is None:
        raise ExpressionError(
            _(
                "jr:choice-name() takes the question as its second argument in quotes, e.g. "
                "jr:choice-name(${district}, '${district}') (at character %(position)s)."
            )
            % {"position": position + 1},
            position,
        )
