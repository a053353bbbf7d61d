"""The parser of the expression subset: tokens, syntax tree, `parse` and `references`.

The grammar, lowest precedence first:

    or      := and ("or" and)*
    and     := compare ("and" compare)*
    compare := sum (("=" | "!=" | "<" | "<=" | ">" | ">=") sum)*
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "div" | "mod") unary)*
    unary   := "-" unary | primary
    primary := number | string | ${name} | "." | ".." | function "(" [or ("," or)*] ")"
             | "(" or ")"

Strings take straight ('...', "...") or typographic (‘...’, “...”) quotes."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from surveys.expressions.catalog import (
    FUNCTIONS,
    REPEAT_FUNCTIONS,
    ROUNDING_FUNCTIONS,
    check_call,
    choice_name_target,
)
from surveys.expressions.nodes import (
    MAX_DEPTH,
    MAX_LENGTH,
    REF_RE,
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

# A straight quote closes only on itself (so 'it’s' is one text, as in ODK); a typographic one
# (Excel's autocorrect) on any quote of its family.
QUOTES = {"'": "'", "‘": "'‘’", "’": "'‘’", '"': '"', "“": '"“”', "”": '"“”'}
# XPath's whitespace, and the no-break space Excel puts in; the same list in expressions.js.
SPACES = " \t\n\r\u00a0"
NAME_RE = re.compile(r"(?:jr:)?[A-Za-z_][A-Za-z0-9_.\-]*")
# ASCII digits only: a Lao digit (໑) is text, in Python as in the browser.
NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
NUMERIC_STRING_RE = re.compile(r"[ \t\n\r]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\n\r]*")
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
        if char in SPACES:
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
    def __init__(self, text: str, columns: bool = False) -> None:
        self.columns = columns  # a choice_filter: bare names are the choice's columns
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
        if not self._is("op", "(") and self.columns:
            return Column(1, name)
        if not self._is("op", "("):
            raise ExpressionError(
                _(
                    "“%(name)s” is not understood here (at character %(position)s); write "
                    "${%(name)s} to refer to a question."
                )
                % {"name": name, "position": token.position + 1},
                token.position,
            )
        if name in REPEAT_FUNCTIONS:
            raise ExpressionError(
                _(
                    "The function “%(name)s()” works over a repeat, and this platform does not "
                    "take repeats yet (at character %(position)s)."
                )
                % {"name": name, "position": token.position + 1},
                token.position,
            )
        if name in ROUNDING_FUNCTIONS:
            raise ExpressionError(
                _(
                    "The function “%(name)s()” is not taken: the server and the browser "
                    "compute it with a different last digit, so a form could behave differently "
                    "on each (at character %(position)s)."
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
        check_call(name, args, token.position)
        depth = max((arg.depth for arg in args), default=0) + 1
        if depth > MAX_DEPTH:
            raise ExpressionError(_("The expression is too deeply nested."), token.position)
        return Call(depth, name, tuple(args))


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str, columns: bool) -> Node:
    return _Parser(text, columns).parse()


def parse(expr: str, *, columns: bool = False) -> Node:
    """The syntax tree of `expr`, or ExpressionError with a message in the active language.
    With `columns` (a choice_filter) a bare name is a column of the choice being filtered."""
    if not isinstance(expr, str):
        raise ExpressionError(_("An expression must be text."))
    if len(expr) > MAX_LENGTH:
        raise ExpressionError(
            _("The expression is longer than %(limit)s characters.") % {"limit": MAX_LENGTH}
        )
    if not expr.strip(SPACES):
        raise ExpressionError(_("The expression is empty."))
    return _parse_cached(expr, columns)


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
            if current.name == "jr:choice-name":
                found.add(choice_name_target(current.args[1]))
    return found
