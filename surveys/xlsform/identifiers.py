"""The names of an XLSForm as users think of them (issue 9, point 4), checked before the form
itself is read.

Question names, list names, choice names and the form id are identifiers: one that carries an
invisible or format character (a zero-width space after `no`, a no-break space, a bidi mark)
looks right on screen and silently breaks every rule that compares it (`${has_plan} = 'no'`
is never true, an import row `no` is refused). Such a name refuses the file, naming sheet, row,
column and the character. Two names that differ only in letter case (`Staff` and `staff`, two
choices `Yes` and `yes` in one list) are the same name to the people who type them and refuse
the file too. Labels and hints keep their text but lose stray zero-width characters and spaces
at their ends."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from readiness.identifiers import identifier_problem, label_trim
from readiness.imports import Problem
from surveys.xlsform.columns import classify, columns_of, find_column
from surveys.xlsform.workbook import Sheet

CASE_TWIN = {
    "question": _(
        "The question name “%(name)s” differs from “%(earlier)s” on row %(row)s only in letter "
        "case. People read them as the same name: use one spelling, or two different names."
    ),
    "list": _(
        "The list name “%(name)s” differs from “%(earlier)s” on row %(row)s only in letter "
        "case. People read them as the same list: use one spelling."
    ),
    "choice": _(
        "The choice name “%(name)s” differs from “%(earlier)s” on row %(row)s of the same list "
        "only in letter case. People read them as the same answer: keep one of them."
    ),
}
LABEL_BASES = {"label", "hint", "constraint_message", "required_message", "guidance_hint"}


def _sheet(sheets: list[Sheet], name: str) -> Sheet | None:
    return next((sheet for sheet in sheets if sheet.name.strip().lower() == name), None)


def _invisible(sheet: Sheet, header: str | None, text: str, row: int) -> Problem | None:
    problem = identifier_problem(text) if header and text else None
    return Problem(sheet.name, row, header or "", problem) if problem else None


def _case_twin(sheet, header, seen: dict[str, tuple[str, int]], name: str, row: int, kind: str):
    """A problem when `name` differs from an earlier name only in letter case."""
    key = name.casefold()
    earlier = seen.get(key)
    if earlier is None:
        seen[key] = (name, row)
        return None
    if earlier[0] == name:
        return None  # an exact repeat: the reader reports it in its own words
    return Problem(
        sheet.name,
        row,
        header or "",
        str(CASE_TWIN[kind]) % {"name": name, "earlier": earlier[0], "row": earlier[1]},
    )


def _survey_problems(survey: Sheet) -> list[Problem]:
    columns = columns_of(survey.headers)
    name_header, type_header = find_column(columns, "name"), find_column(columns, "type")
    problems: list[Problem | None] = []
    names: dict[str, tuple[str, int]] = {}
    for row in survey.rows:
        name = row.get(name_header)
        problems.append(_invisible(survey, name_header, name, row.number))
        if name and not identifier_problem(name):
            problems.append(_case_twin(survey, name_header, names, name, row.number, "question"))
        question_type = row.get(type_header)
        if question_type and classify(question_type).list_name:
            problems.append(_invisible(survey, type_header, question_type, row.number))
    return [problem for problem in problems if problem]


def _choices_problems(choices: Sheet) -> list[Problem]:
    columns = columns_of(choices.headers)
    list_header, name_header = find_column(columns, "list_name"), find_column(columns, "name")
    problems: list[Problem | None] = []
    lists: dict[str, tuple[str, int]] = {}
    names_by_list: dict[str, dict[str, tuple[str, int]]] = {}
    for row in choices.rows:
        list_name, name = row.get(list_header), row.get(name_header)
        problems.append(_invisible(choices, list_header, list_name, row.number))
        problems.append(_invisible(choices, name_header, name, row.number))
        if list_name and not identifier_problem(list_name):
            problems.append(_case_twin(choices, list_header, lists, list_name, row.number, "list"))
        if list_name and name and not identifier_problem(name):
            seen = names_by_list.setdefault(list_name.casefold(), {})
            problems.append(_case_twin(choices, name_header, seen, name, row.number, "choice"))
    return [problem for problem in problems if problem]


def _settings_problems(settings: Sheet) -> list[Problem]:
    header = next((h for h in settings.headers if h.strip().lower() == "form_id"), None)
    if header is None or not settings.rows:
        return []
    row = settings.rows[0]
    problem = _invisible(settings, header, row.get(header), row.number)
    return [problem] if problem else []


def identifier_problems(sheets: list[Sheet]) -> list[Problem]:
    """Every name of the form that carries an invisible character or differs from another only
    in letter case, with its sheet, row and column."""
    problems: list[Problem] = []
    for name, check in (
        ("settings", _settings_problems),
        ("survey", _survey_problems),
        ("choices", _choices_problems),
    ):
        sheet = _sheet(sheets, name)
        if sheet is not None:
            problems.extend(check(sheet))
    return problems


def labels_trim(sheets: list[Sheet]) -> None:
    """Labels and hints of the survey and choices sheets lose stray zero-width characters and
    spaces at their ends (their text is otherwise kept as written)."""
    for name in ("survey", "choices"):
        sheet = _sheet(sheets, name)
        if sheet is None:
            continue
        headers = [h for h, c in columns_of(sheet.headers).items() if c.base in LABEL_BASES]
        for row in sheet.rows:
            for header in headers:
                if header in row.cells:
                    trimmed = label_trim(row.cells[header])
                    if trimmed:
                        row.cells[header] = trimmed
                    else:
                        del row.cells[header]
