"""Evaluation of a parsed expression over a response's values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys.expressions.functions import CALLS
from surveys.expressions.nodes import (
    Binary,
    Call,
    Column,
    Current,
    ExpressionError,
    Literal,
    Negate,
    Node,
    Ref,
)
from surveys.expressions.syntax import SPACES, parse
from surveys.expressions.values import (
    Value,
    _arithmetic,
    _compare,
    _from_python,
    _lookup,
    to_bool,
    to_number,
)


@dataclass(frozen=True, slots=True)
class Context:
    """What an expression sees besides the answers: the clock of today() and now() (ISO text
    with its offset, e.g. "2026-12-01T09:30:00.000+07:00"; empty: the server's local time), the
    language of format-date() and jr:choice-name(), and the choice labels of the questions
    ({code: {value: {language: label}}})."""

    now: str = ""
    language: str = "en"
    choices: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)

    def clock(self) -> str:
        if self.now:
            return self.now
        local = timezone.localtime()
        return local.isoformat(timespec="milliseconds")


class Evaluator:
    def __init__(
        self,
        values: Mapping[str, object],
        current: Value,
        context: Context,
        row: Mapping[str, str] | None = None,
    ) -> None:
        self.values = values
        self.current = current
        self.context = context
        self.row = row or {}  # the choice a choice_filter is evaluated for

    def value(self, node: Node) -> Value:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Ref):
            return _lookup(node.name, self.values)
        if isinstance(node, Current):
            return self.current
        if isinstance(node, Negate):
            return -to_number(self.value(node.operand))
        if isinstance(node, Binary):
            return self._binary(node)
        if isinstance(node, Call):
            return CALLS[node.name](self, node.args)
        if isinstance(node, Column):
            return self.row.get(node.name, "")
        raise ExpressionError(_("The expression is not understood."))

    def _binary(self, node: Binary) -> Value:
        if node.op == "and":
            return to_bool(self.value(node.left)) and to_bool(self.value(node.right))
        if node.op == "or":
            return to_bool(self.value(node.left)) or to_bool(self.value(node.right))
        left, right = self.value(node.left), self.value(node.right)
        if node.op in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(node.op, left, right)
        return _arithmetic(node.op, left, right)


def evaluate(
    expr_or_node: str | Node,
    values: Mapping[str, object] | None = None,
    current: object = None,
    *,
    context: Context | None = None,
) -> Value:
    """The value of an expression: a bool, a float or a str. An empty expression is True.

    `values`: question code -> answer (numbers, text, lists for multiple choice, dates);
    `current`: the answer `.` stands for; raises ExpressionError for what cannot be read."""
    if isinstance(expr_or_node, str) and not expr_or_node.strip(SPACES):
        return True
    node = expr_or_node if isinstance(expr_or_node, Node) else parse(expr_or_node)
    return Evaluator(values or {}, _from_python(current), context or Context()).value(node)


def choice_allowed(
    choice_filter: str,
    values: Mapping[str, object],
    row: Mapping[str, str],
    *,
    context: Context | None = None,
) -> bool:
    """Whether a choice (`row`: its columns, "name" its value) passes a choice_filter over the
    answers `values`; an empty filter lets every choice through."""
    if not choice_filter.strip(SPACES):
        return True
    node = parse(choice_filter, columns=True)
    return to_bool(Evaluator(values, "", context or Context(), row).value(node))


def evaluate_bool(
    expr_or_node: str | Node,
    values: Mapping[str, object] | None = None,
    current: object = None,
    *,
    context: Context | None = None,
) -> bool:
    """XPath's boolean() of the value: what `relevant` and `constraint` need."""
    return to_bool(evaluate(expr_or_node, values, current, context=context))
