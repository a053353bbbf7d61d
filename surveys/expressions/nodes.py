"""The syntax tree of an expression, its limits and its error."""

from __future__ import annotations

import re
from dataclasses import dataclass

REF_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")
MAX_LENGTH = 4000
# Deep trees would exhaust Python's recursion limit in the parser or the evaluator; no real
# `relevant` comes close to this.
MAX_DEPTH = 60


class ExpressionError(ValueError):
    """The expression cannot be parsed or uses something outside the supported subset."""

    def __init__(self, message: str, position: int | None = None) -> None:
        # Made into text now, in the language active where the expression was read, not later
        # wherever the lazy message happens to be shown.
        message = str(message)
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Node:
    depth: int


@dataclass(frozen=True, slots=True)
class Literal(Node):
    value: float | str


@dataclass(frozen=True, slots=True)
class Ref(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Current(Node):
    pass


@dataclass(frozen=True, slots=True)
class Negate(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Column(Node):
    """A bare name in a choice_filter: the column of the choice being filtered."""

    name: str
