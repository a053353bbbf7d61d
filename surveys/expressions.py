"""The XLSForm expression subset used by `relevant` and `constraint`, parsed and evaluated here.

A small recursive-descent parser of our own (never `eval`), mirrored line for line by
`static/js/expressions.js` for live skip logic in the browser; the server's answer is the
authoritative one. The grammar, lowest precedence first:

    or      := and ("or" and)*
    and     := compare ("and" compare)*
    compare := sum (("=" | "!=" | "<" | "<=" | ">" | ">=") sum)*
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "div" | "mod") unary)*
    unary   := "-" unary | primary
    primary := number | string | ${name} | "." | function "(" [or ("," or)*] ")" | "(" or ")"

Strings take straight ('...', "...") or typographic (‘...’, “...”) quotes. Functions: not,
true, false, selected, count-selected, if, string-length, number, coalesce.

Semantics follow ODK (XPath 1.0): an unanswered question is the empty string (so it is NaN as
a number and compares false with any number); `=` compares as booleans if either side is a
boolean, else as numbers if either side is a number, else as strings; `<`, `>`... compare
numbers; a multiple-choice answer is its values separated by spaces; an empty expression is
true (an empty `relevant` means "always shown").
"""

from __future__ import annotations

import datetime
import decimal
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

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


# name -> (least, most) number of arguments
FUNCTIONS: dict[str, tuple[int, int]] = {
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "selected": (2, 2),
    "count-selected": (1, 1),
    "if": (3, 3),
    "string-length": (1, 1),
    "number": (1, 1),
    "coalesce": (2, 2),
}

QUOTES = {"'": "'‘’", "‘": "'‘’", "’": "'‘’", '"': '"“”', "“": '"“”', "”": '"“”'}
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
REF_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")
NUMBER_RE = re.compile(r"\d+(?:\.\d*)?|\.\d+")
NUMERIC_STRING_RE = re.compile(r"\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*")
OPERATORS = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "(", ")", ",")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # number, string, ref, dot, name, op, end
    text: str
    position: int


def _ref_token(text: str, i: int) -> Token:
    match = REF_RE.match(text, i)
    if not match:
        raise ExpressionError(
            _("A reference must look like ${question_name} (at character %(position)s).")
            % {"position": i + 1},
            i,
        )
    return Token("ref", match.group(1), i)


def _string_token(text: str, i: int) -> Token:
    closing = QUOTES[text[i]]
    end = i + 1
    while end < len(text) and text[end] not in closing:
        end += 1
    if end >= len(text):
        raise ExpressionError(
            _("A text in quotes is not closed (at character %(position)s).") % {"position": i + 1},
            i,
        )
    return Token("string", text[i + 1 : end], i)


def _other_token(text: str, i: int) -> Token:
    """A number, ".", a name (function or keyword; the parser decides what it means) or an
    operator."""
    match = NUMBER_RE.match(text, i)
    if match:
        return Token("number", match.group(0), i)
    if text[i] == ".":
        if text.startswith("..", i):
            raise ExpressionError(
                _("“..” is not supported (at character %(position)s).") % {"position": i + 1}, i
            )
        return Token("dot", ".", i)
    match = NAME_RE.match(text, i)
    if match:
        return Token("name", match.group(0), i)
    for operator in OPERATORS:
        if text.startswith(operator, i):
            return Token("op", operator, i)
    raise ExpressionError(
        _("Unexpected character “%(char)s” at character %(position)s.")
        % {"char": text[i], "position": i + 1},
        i,
    )


def _token_end(token: Token) -> int:
    if token.kind == "ref":
        return token.position + len(token.text) + 3  # ${…}
    if token.kind == "string":
        return token.position + len(token.text) + 2  # the quotes
    return token.position + len(token.text)


def _tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if char == "$":
            token = _ref_token(text, i)
        elif char in QUOTES:
            token = _string_token(text, i)
        else:
            token = _other_token(text, i)
        tokens.append(token)
        i = _token_end(token)
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.nesting = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def _advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _is(self, kind: str, *texts: str) -> bool:
        token = self.token
        return token.kind == kind and (not texts or token.text in texts)

    def _expect(self, text: str) -> None:
        if not self._is("op", text):
            self._fail_here()
        self._advance()

    def _fail_here(self) -> None:
        token = self.token
        if token.kind == "end":
            raise ExpressionError(_("The expression ends too early."), token.position)
        raise ExpressionError(
            _("Unexpected “%(token)s” at character %(position)s.")
            % {"token": token.text, "position": token.position + 1},
            token.position,
        )

    @staticmethod
    def _binary(op: str, left: Node, right: Node, position: int) -> Node:
        depth = max(left.depth, right.depth) + 1
        if depth > MAX_DEPTH:
            raise ExpressionError(_("The expression is too deeply nested."), position)
        return Binary(depth, op, left, right)

    def parse(self) -> Node:
        node = self._or()
        if not self._is("end"):
            self._fail_here()
        return node

    def _or(self) -> Node:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise ExpressionError(_("The expression is too deeply nested."), self.token.position)
        node = self._and()
        while self._is("name", "or"):
            position = self._advance().position
            node = self._binary("or", node, self._and(), position)
        self.nesting -= 1
        return node

    def _and(self) -> Node:
        node = self._compare()
        while self._is("name", "and"):
            position = self._advance().position
            node = self._binary("and", node, self._compare(), position)
        return node

    def _compare(self) -> Node:
        node = self._sum()
        while self._is("op", "=", "!=", "<", "<=", ">", ">="):
            token = self._advance()
            node = self._binary(token.text, node, self._sum(), token.position)
        return node

    def _sum(self) -> Node:
        node = self._product()
        while self._is("op", "+", "-"):
            token = self._advance()
            node = self._binary(token.text, node, self._product(), token.position)
        return node

    def _product(self) -> Node:
        node = self._unary()
        while self._is("op", "*") or self._is("name", "div", "mod"):
            token = self._advance()
            node = self._binary(token.text, node, self._unary(), token.position)
        return node

    def _unary(self) -> Node:
        if self._is("op", "-"):
            position = self._advance().position
            self.nesting += 1
            if self.nesting > MAX_DEPTH:
                raise ExpressionError(_("The expression is too deeply nested."), position)
            operand = self._unary()
            self.nesting -= 1
            return Negate(operand.depth + 1, operand)
        return self._primary()

    def _primary(self) -> Node:
        token = self.token
        if token.kind == "number":
            self._advance()
            return Literal(1, float(token.text))
        if token.kind == "string":
            self._advance()
            return Literal(1, token.text)
        if token.kind == "ref":
            self._advance()
            return Ref(1, token.text)
        if token.kind == "dot":
            self._advance()
            return Current(1)
        if self._is("op", "("):
            self._advance()
            node = self._or()
            self._expect(")")
            return node
        if token.kind == "name":
            return self._call()
        self._fail_here()
        raise AssertionError("unreachable")  # pragma: no cover - _fail_here always raises

    def _call(self) -> Node:
        token = self._advance()
        name = token.text
        if not self._is("op", "("):
            raise ExpressionError(
                _(
                    "“%(name)s” is not understood here (at character %(position)s); write "
                    "${%(name)s} to refer to a question."
                )
                % {"name": name, "position": token.position + 1},
                token.position,
            )
        if name not in FUNCTIONS:
            raise ExpressionError(
                _("The function “%(name)s()” is not supported (at character %(position)s).")
                % {"name": name, "position": token.position + 1},
                token.position,
            )
        self._advance()
        args: list[Node] = []
        if not self._is("op", ")"):
            args.append(self._or())
            while self._is("op", ","):
                self._advance()
                args.append(self._or())
        self._expect(")")
        least, most = FUNCTIONS[name]
        if not least <= len(args) <= most:
            raise ExpressionError(
                _("The function “%(name)s()” takes %(count)s argument(s), not %(given)s.")
                % {"name": name, "count": least, "given": len(args)},
                token.position,
            )
        depth = max((arg.depth for arg in args), default=0) + 1
        if depth > MAX_DEPTH:
            raise ExpressionError(_("The expression is too deeply nested."), token.position)
        return Call(depth, name, tuple(args))


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str) -> Node:
    return _Parser(text).parse()


def parse(expr: str) -> Node:
    """The syntax tree of `expr`, or ExpressionError with a message in the active language."""
    if not isinstance(expr, str):
        raise ExpressionError(_("An expression must be text."))
    if len(expr) > MAX_LENGTH:
        raise ExpressionError(
            _("The expression is longer than %(limit)s characters.") % {"limit": MAX_LENGTH}
        )
    if not expr.strip():
        raise ExpressionError(_("The expression is empty."))
    return _parse_cached(expr)


def references(expr: str | Node) -> set[str]:
    """The question names an expression refers to as ${name}."""
    node = parse(expr) if isinstance(expr, str) else expr
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Ref):
            found.add(current.name)
        elif isinstance(current, Negate):
            stack.append(current.operand)
        elif isinstance(current, Binary):
            stack.extend((current.left, current.right))
        elif isinstance(current, Call):
            stack.extend(current.args)
    return found


# --- values -------------------------------------------------------------------------------

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
    return math.nan


def _to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value == int(value) and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return value


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


def _choices(value: Value) -> list[str]:
    return _to_string(value).split()


def _call(node: Call, values: Mapping[str, object], current: Value) -> Value:
    name, args = node.name, node.args

    def arg(index: int) -> Value:
        return _eval(args[index], values, current)

    if name == "not":
        return not to_bool(arg(0))
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "selected":
        return _to_string(arg(1)).strip() in _choices(arg(0))
    if name == "count-selected":
        return float(len(_choices(arg(0))))
    if name == "if":
        return arg(1) if to_bool(arg(0)) else arg(2)
    if name == "string-length":
        return float(len(_to_string(arg(0))))
    if name == "number":
        return to_number(arg(0))
    # coalesce: the first argument that is not empty
    first = arg(0)
    return first if _to_string(first) != "" else arg(1)


def _eval(node: Node, values: Mapping[str, object], current: Value) -> Value:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        return _lookup(node.name, values)
    if isinstance(node, Current):
        return current
    if isinstance(node, Negate):
        return -to_number(_eval(node.operand, values, current))
    if isinstance(node, Binary):
        if node.op == "and":
            return to_bool(_eval(node.left, values, current)) and to_bool(
                _eval(node.right, values, current)
            )
        if node.op == "or":
            return to_bool(_eval(node.left, values, current)) or to_bool(
                _eval(node.right, values, current)
            )
        left = _eval(node.left, values, current)
        right = _eval(node.right, values, current)
        if node.op in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(node.op, left, right)
        return _arithmetic(node.op, left, right)
    if isinstance(node, Call):
        return _call(node, values, current)
    raise ExpressionError(_("The expression is not understood."))


def evaluate(
    expr_or_node: str | Node, values: Mapping[str, object] | None = None, current: object = None
) -> Value:
    """The value of an expression: a bool, a float or a str. An empty expression is True."""
    if isinstance(expr_or_node, str) and not expr_or_node.strip():
        return True
    node = expr_or_node if isinstance(expr_or_node, Node) else parse(expr_or_node)
    return _eval(node, values or {}, _from_python(current))


def evaluate_bool(
    expr_or_node: str | Node, values: Mapping[str, object] | None = None, current: object = None
) -> bool:
    """XPath's boolean() of the value: what `relevant` and `constraint` need."""
    return to_bool(evaluate(expr_or_node, values, current))
