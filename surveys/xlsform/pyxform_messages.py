"""pyxform's English messages -> our own, in the user's language, naming sheet, row and column
and saying how to fix the form (issue 9, point 6).

pyxform speaks English only, and a Lao administrator should not have to read it. The messages
that real forms hit are recognised by their (stable) wording in pyxform 4.x and rewritten; any
other message keeps a sentence in the user's language with pyxform's text quoted, so nothing is
lost when pyxform words a message we have not seen."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from readiness.imports import Problem
from readiness.tabular import Sheet
from surveys.xlsform.columns import columns_of, find_column

_LEARN_MORE = re.compile(r"\s*Learn more: \S+\s*$")
_AT_ROW = re.compile(r"^\[row : (\d+)\] On the '([^']+)' sheet, the '([^']*)' value(?: '([^']*)')?")
_SPACED_CHOICE = re.compile(
    r"Choice names with spaces cannot be added to multiple choice selects\. "
    r"See \[(.*)\] in \[(.*)\]"
)
_NO_LANGUAGE_CODE = re.compile(
    r"language declarations do not contain valid machine-readable codes: (.*?)\.?$"
)
_MISSING_COLUMNS = re.compile(
    r"^Language '([^']*)' is missing the (\w+) (?:columns (.*?)|(.*?) column)\.?$"
)


def _sheet(sheets: list[Sheet], name: str) -> Sheet | None:
    return next((sheet for sheet in sheets if sheet.name.strip().lower() == name), None)


def _choice_row(sheets: list[Sheet], list_name: str, name: str) -> int | None:
    choices = _sheet(sheets, "choices")
    if choices is None:
        return None
    columns = columns_of(choices.headers)
    list_header, name_header = find_column(columns, "list_name"), find_column(columns, "name")
    for row in choices.rows:
        if row.get(list_header) == list_name and row.get(name_header) == name:
            return row.number
    return None


def _spaced_choice(match: re.Match, sheets: list[Sheet]) -> Problem:
    name, list_name = match.group(1), match.group(2)
    return Problem(
        "choices",
        _choice_row(sheets, list_name, name),
        "name",
        _(
            "The choice name “%(name)s” (list “%(list)s”) has a space, and the list is used by a "
            "multiple-choice question, whose answers are stored separated by spaces. Write the "
            "name without spaces, for example “%(suggestion)s”."
        )
        % {"name": name, "list": list_name, "suggestion": "_".join(name.split())},
    )


def _at_row(match: re.Match, text: str) -> Problem | None:
    row, sheet, column, value = int(match.group(1)), match.group(2), match.group(3), match.group(4)
    if "Choices should have a label" in text:
        message = _("This choice has no label. Write its label in each language column.")
    elif "Column headers must not be empty and must not contain spaces" in text:
        message = _(
            "The column header “%(column)s” is empty or has a space, so the column is ignored. "
            "Rename it without spaces (for example “%(suggestion)s”) or delete the column."
        ) % {"column": column, "suggestion": "_".join(column.split())}
        return Problem(sheet, 1, column, message)
    elif "Choices must have a name" in text:
        message = _("This choice has no name. Write a short name without spaces.")
        column = "name"
    elif "Choice names must be unique for each choice list" in text:
        message = _(
            "This choice's name is already used in the same list. Give each choice of a list "
            "its own name."
        )
        column = "name"
    elif "must be unique within their nearest parent group" in text:
        message = _(
            "The name “%(name)s” is already used by another question or group in the same "
            "group. Give each question its own name."
        ) % {"name": value or ""}
    else:
        return None
    return Problem(sheet, row, column, message)


def _languages_without_code(match: re.Match) -> Problem:
    return Problem(
        "survey",
        1,
        "",
        _(
            "The languages %(languages)s are written without a language code. Write the "
            "column headers like “label::Lao (lo)” and “label::English (en)”."
        )
        % {"languages": match.group(1)},
    )


def _missing_columns(match: re.Match) -> Problem:
    language, sheet = match.group(1), match.group(2)
    columns = match.group(3) or match.group(4)
    return Problem(
        sheet,
        1,
        "",
        _(
            "The language “%(language)s” has no column %(columns)s on this sheet, where another "
            "language has one; those texts will show in another language. Add the columns "
            "to translate them."
        )
        % {"language": language, "columns": columns},
    )


def _translated(text: str, sheets: list[Sheet]) -> Problem | None:
    text = _LEARN_MORE.sub("", text.strip())
    matchers: list[tuple[re.Pattern, Callable[[re.Match], Problem | None]]] = [
        (_SPACED_CHOICE, lambda match: _spaced_choice(match, sheets)),
        (_AT_ROW, lambda match: _at_row(match, text)),
        (_NO_LANGUAGE_CODE, _languages_without_code),
        (_MISSING_COLUMNS, _missing_columns),
    ]
    for pattern, build in matchers:
        match = pattern.search(text)
        if match:
            problem = build(match)
            if problem is not None:
                return problem
    return None


def pyxform_error(text: str, sheets: list[Sheet]) -> Problem:
    """pyxform's refusal as a problem in the user's language."""
    return _translated(text, sheets) or Problem(
        "",
        None,
        "",
        _("The XLSForm converter (pyxform) refused the form; its message, in English: “%(reason)s”")
        % {"reason": _LEARN_MORE.sub("", text.strip())},
    )


def pyxform_warnings(texts: list[str], sheets: list[Sheet]) -> list[Problem]:
    """pyxform's warnings (one may hold several lines) as problems in the user's language."""
    problems = []
    for text in texts:
        for line in (part for part in text.split("\n") if part.strip()):
            problems.append(
                _translated(line, sheets)
                or Problem(
                    "",
                    None,
                    "",
                    _("The XLSForm converter (pyxform) warns, in English: “%(reason)s”")
                    % {"reason": _LEARN_MORE.sub("", line.strip())},
                )
            )
    return problems
