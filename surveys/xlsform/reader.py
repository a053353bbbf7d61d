"""XLSForm rows -> a plain description of a questionnaire version (FormSpec), or precise problems.

Pure: no database. Every problem names its sheet, row and column, in the active language.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.text import slugify
from django.utils.translation import gettext as _

from surveys import expressions
from surveys.models import QuestionKind, RespondentType, default_stage_names
from surveys.xlsform.columns import (
    NAME_RE,
    Column,
    classify,
    columns_of,
    find_column,
    language_code,
    parse_flag,
)
from surveys.xlsform.problems import Problem
from surveys.xlsform.workbook import Row, Sheet

# Survey columns we model; every other column is carried in Question.extra for the round trip.
SURVEY_KNOWN = {
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "pillar",
    "weight",
    "score",
    "gender_role",
}
CHOICES_KNOWN = {"list_name", "name", "label", "score", "dont_know"}
SETTINGS_KNOWN = {"form_title", "form_id", "default_language", "respondent_type"}
TITLE_PREFIX = "form_title_"  # form_title_en: the title in another language
NUMERIC_KINDS = {QuestionKind.INTEGER, QuestionKind.DECIMAL, QuestionKind.COUNT_BY_SEX}
REF_RE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}$")
MAIN_PILLAR = "main"


@dataclass(slots=True)
class ChoiceSpec:
    value: str
    label: dict[str, str]
    score: float | None
    is_dont_know: bool
    extra: dict[str, str]
    row: int


@dataclass(slots=True)
class QuestionSpec:
    code: str
    kind: str
    row: int
    label: dict[str, str] = field(default_factory=dict)
    hint: dict[str, str] = field(default_factory=dict)
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    weight: float = 1.0
    scoring: dict = field(default_factory=dict)
    gender_role: str = ""
    list_name: str = ""
    group: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    pillar_code: str | None = None
    choices: list[ChoiceSpec] = field(default_factory=list)


@dataclass(slots=True)
class PillarSpec:
    code: str
    name: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    weight: float = 1.0
    order: int = 0
    is_enabler: bool = False


@dataclass(slots=True)
class FormSpec:
    form_id: str
    questionnaire_code: str
    title: dict[str, str]
    respondent_type: str | None
    languages: list[str]
    language_columns: dict[str, str]
    settings: dict[str, str]
    stage_names: dict
    pillars: list[PillarSpec]
    questions: list[QuestionSpec]
    recommendations: list[tuple[str, int, dict[str, str]]]


@dataclass(slots=True)
class _Group:
    row: Row | None
    name: str
    children: list = field(default_factory=list)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class FormReader:
    """Reads the sheets of one workbook; `errors` and `warnings` collect what it finds."""

    def __init__(self, sheets: list[Sheet], filename: str) -> None:
        self.sheets = {sheet.name.strip().lower(): sheet for sheet in sheets}
        self.sheet_names = [sheet.name for sheet in sheets]
        self.filename = filename
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.bare_language = "en"
        self.languages: list[str] = []
        self.language_columns: dict[str, str] = {}
        self.names: dict[str, int] = {}  # every name in the survey sheet -> its row
        self.unlabelled_choice_rows: set[int] = set()

    # --- helpers ---------------------------------------------------------------------------

    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.errors.append(Problem(sheet, row, column, message))

    def warn(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.warnings.append(Problem(sheet, row, column, message))

    def _language_of(self, column: Column) -> str:
        return self.bare_language if column.language == "" else language_code(column.language)

    def texts(self, row: Row, columns: dict[str, Column], base: str) -> dict[str, str]:
        found = {}
        for header, column in columns.items():
            if column.base == base and column.language is not None and row.get(header):
                found[self._language_of(column)] = row.get(header)
        return found

    def _check_expression(self, sheet: str, row: Row, header: str | None) -> str:
        text = row.get(header)
        if not text:
            return ""
        try:
            expressions.parse(text)
        except expressions.ExpressionError as exc:
            self.error(sheet, row.number, header or "", exc.message)
        return text

    # --- the whole file --------------------------------------------------------------------

    def read(self) -> FormSpec | None:
        survey = self.sheets.get("survey")
        if survey is None:
            self.error(
                "",
                None,
                "",
                _("The workbook has no sheet named “survey” (its sheets: %(sheets)s).")
                % {"sheets": ", ".join(self.sheet_names) or "-"},
            )
            return None
        settings = self._read_settings()
        self._collect_languages(settings)
        lists = self._read_choices()
        questions = self._read_survey(survey, lists)
        pillars = self._assign_pillars(survey, questions, settings)
        self._check_references(questions)
        stage_names = self._read_stages()
        recommendations = self._read_recommendations({p.code for p in pillars})
        if not questions and not self.errors:
            self.error("survey", None, "", _("The survey sheet has no question."))
        if self.errors:
            order = ["survey", "choices", "settings", "pillars", "stages", "recommendations"]
            self.errors.sort(
                key=lambda p: (order.index(p.sheet) if p.sheet in order else -1, p.row or 0)
            )
            return None
        title_text = settings.get("form_title") or PurePath(self.filename).stem
        form_id = settings.get("form_id") or PurePath(self.filename).stem
        return FormSpec(
            form_id=settings.get("form_id", ""),
            questionnaire_code=(slugify(form_id) or "questionnaire")[:60],
            title=self._titles(settings, title_text),
            respondent_type=settings.get("respondent_type") or None,
            languages=self.languages,
            language_columns=self.language_columns,
            settings={
                k: v
                for k, v in settings.items()
                if k not in SETTINGS_KNOWN and not k.startswith(TITLE_PREFIX)
            },
            stage_names=stage_names,
            pillars=pillars,
            questions=questions,
            recommendations=recommendations,
        )

    def _titles(self, settings: dict[str, str], title: str) -> dict[str, str]:
        """The form's title in each language: XLSForm has one `form_title` (the default
        language's, which KoboToolbox and ODK show); `form_title_<code>` columns, e.g.
        `form_title_en`, give the others. (A `form_title::English (en)` column would break
        pyxform's XForm, so the title of another language lives in its own plain column.)"""
        titles = dict.fromkeys(self.languages, title)
        for key, value in settings.items():
            code = key[len(TITLE_PREFIX) :] if key.startswith(TITLE_PREFIX) else ""
            if code in titles and value:
                titles[code] = value
        return titles

    def _read_settings(self) -> dict[str, str]:
        sheet = self.sheets.get("settings")
        if sheet is None or not sheet.rows:
            return {}
        row = sheet.rows[0]
        settings = {}
        for header in sheet.headers:
            key = header.strip()
            if key.lower() in SETTINGS_KNOWN | {"version", "style", "instance_name"}:
                key = key.lower()
            if row.get(header):
                settings[key] = row.get(header)
        respondent_type = settings.get("respondent_type", "")
        if respondent_type and respondent_type not in RespondentType.values:
            header = next(h for h in sheet.headers if h.strip().lower() == "respondent_type")
            self.error(
                sheet.name,
                row.number,
                header,
                _("The respondent type must be “organisation” or “individual”, not “%(value)s”.")
                % {"value": respondent_type},
            )
        if settings.get("default_language"):
            self.bare_language = language_code(settings["default_language"])
        return settings

    def _collect_languages(self, settings: dict[str, str]) -> None:
        """Languages of the version, the default first, and their columns as written."""
        seen: list[str] = []
        for sheet_name in ("survey", "choices"):
            sheet = self.sheets.get(sheet_name)
            if sheet is None:
                continue
            by_target: dict[tuple[str, str], str] = {}
            for header, column in columns_of(sheet.headers).items():
                if column.base not in ("label", "hint", "constraint_message"):
                    continue
                if column.language is None:
                    continue
                code = self._language_of(column)
                if (column.base, code) in by_target:
                    self.error(
                        sheet.name,
                        1,
                        header,
                        _("This column gives the same text in the same language as “%(other)s”.")
                        % {"other": by_target[(column.base, code)]},
                    )
                    continue
                by_target[(column.base, code)] = header
                if code not in seen:
                    seen.append(code)
                    self.language_columns[code] = column.language
        if settings.get("default_language"):
            default = language_code(settings["default_language"])
            if default in seen:
                seen.remove(default)
                seen.insert(0, default)
        self.languages = seen or [self.bare_language]

    # --- choices ---------------------------------------------------------------------------

    def _read_choices(self) -> dict[str, list[ChoiceSpec]]:
        sheet = self.sheets.get("choices")
        lists: dict[str, list[ChoiceSpec]] = {}
        if sheet is None:
            return lists
        columns = columns_of(sheet.headers)
        list_header = find_column(columns, "list_name")
        name_header = find_column(columns, "name")
        score_header = find_column(columns, "score")
        dont_know_header = find_column(columns, "dont_know")
        if sheet.rows and (list_header is None or name_header is None):
            self.error(
                sheet.name,
                1,
                "",
                _("The choices sheet needs a “list_name” and a “name” column."),
            )
            return lists
        for row in sheet.rows:
            list_name, value = row.get(list_header), row.get(name_header)
            if not list_name and not value:
                continue
            if not list_name or not value:
                missing = list_header if not list_name else name_header
                self.error(sheet.name, row.number, missing or "", _("This cell is empty."))
                continue
            choices = lists.setdefault(list_name, [])
            if any(choice.value == value for choice in choices):
                self.error(
                    sheet.name,
                    row.number,
                    name_header or "",
                    _("The choice “%(value)s” appears twice in the list “%(list)s”.")
                    % {"value": value, "list": list_name},
                )
                continue
            label = self.texts(row, columns, "label")
            score = self._score_cell(sheet, row, score_header)
            dont_know = parse_flag(row.get(dont_know_header))
            if dont_know is None:
                self.error(
                    sheet.name,
                    row.number,
                    dont_know_header or "",
                    _("Write “yes” or leave the cell empty."),
                )
            extra = {
                header: row.get(header)
                for header, column in columns.items()
                if column.base not in CHOICES_KNOWN and row.get(header)
            }
            choices.append(ChoiceSpec(value, label, score, bool(dont_know), extra, row.number))
        return lists

    def _score_cell(self, sheet: Sheet, row: Row, header: str | None) -> float | None:
        text = row.get(header)
        if not text:
            return None
        score = _number(text)
        if score is None or not 0 <= score <= 1:
            self.error(
                sheet.name,
                row.number,
                header or "",
                _("A score must be a number from 0 to 1, not “%(value)s”.") % {"value": text},
            )
            return None
        return score

    # --- survey ----------------------------------------------------------------------------

    def _tree(self, sheet: Sheet, columns: dict[str, Column]) -> _Group:
        type_header = find_column(columns, "type")
        name_header = find_column(columns, "name")
        root = _Group(None, "")
        stack = [root]
        if type_header is None:
            self.error(sheet.name, 1, "", _("The survey sheet has no “type” column."))
            return root
        for row in sheet.rows:
            type_text = row.get(type_header)
            if not type_text:
                if row.get(name_header):
                    self.error(sheet.name, row.number, type_header, _("This row has no type."))
                continue
            question_type = classify(type_text)
            category = question_type.category
            if category == "begin_group":
                group = _Group(row, row.get(name_header))
                stack[-1].children.append(group)
                stack.append(group)
            elif category == "end_group":
                if len(stack) == 1:
                    self.error(
                        sheet.name,
                        row.number,
                        type_header,
                        _("“end group” without a “begin group” before it."),
                    )
                else:
                    stack.pop()
            elif category == "metadata":
                self.warn(
                    sheet.name,
                    row.number,
                    type_header,
                    _("“%(type)s” is form metadata; it was skipped.") % {"type": type_text},
                )
            elif category == "unsupported":
                if not type_text.strip().lower().startswith("end"):
                    self.error(
                        sheet.name,
                        row.number,
                        type_header,
                        _(
                            "Questions of type “%(type)s” are not collected by this platform "
                            "(only choices, yes/no, numbers, text, dates, notes and groups)."
                        )
                        % {"type": type_text},
                    )
            elif category == "unknown":
                self.error(
                    sheet.name,
                    row.number,
                    type_header,
                    _("Unknown question type “%(type)s”.") % {"type": type_text},
                )
            else:
                stack[-1].children.append((row, question_type))
        for group in stack[1:]:
            self.error(
                sheet.name,
                group.row.number,
                type_header,
                _("The group “%(name)s” is never closed by an “end group”.") % {"name": group.name},
            )
        return root

    def _read_survey(self, sheet: Sheet, lists: dict[str, list[ChoiceSpec]]) -> list[QuestionSpec]:
        self.survey_columns = columns = columns_of(sheet.headers)
        self.h = {base: find_column(columns, base) for base in SURVEY_KNOWN | {"appearance"}}
        root = self._tree(sheet, columns)
        questions: list[QuestionSpec] = []
        self._walk(sheet, root, [], lists, questions)
        return questions

    def _claim_name(self, sheet: Sheet, row: Row) -> str | None:
        header = self.h["name"] or "name"
        name = row.get(self.h["name"])
        if not name:
            self.error(sheet.name, row.number, header, _("This row has no name."))
            return None
        if not NAME_RE.match(name):
            self.error(
                sheet.name,
                row.number,
                header,
                _(
                    "“%(name)s” is not a valid name: use letters, digits and _ , starting with a "
                    "letter."
                )
                % {"name": name},
            )
            return None
        if name in self.names:
            self.error(
                sheet.name,
                row.number,
                header,
                _("The name “%(name)s” is already used on row %(row)s.")
                % {"name": name, "row": self.names[name]},
            )
            return None
        self.names[name] = row.number
        return name

    def _group_info(self, sheet: Sheet, group: _Group) -> dict:
        row = group.row
        info: dict = {"name": group.name}
        for key in ("label", "hint"):
            texts = self.texts(row, self.survey_columns, key)
            if texts:
                info[key] = texts
        if row.get(self.h["pillar"]):
            info["pillar"] = row.get(self.h["pillar"])
        relevant = self._check_expression(sheet.name, row, self.h["relevant"])
        if relevant:
            info["relevant"] = relevant
        extra = self._extra(row)
        if extra:
            info["extra"] = extra
        return info

    def _extra(self, row: Row) -> dict[str, str]:
        return {
            header: row.get(header)
            for header, column in self.survey_columns.items()
            if column.base not in SURVEY_KNOWN and row.get(header)
        }

    def _is_count_by_sex(self, group: _Group) -> bool:
        if len(group.children) != 2 or not all(isinstance(c, tuple) for c in group.children):
            return False
        names = {row.get(self.h["name"]) for row, _type in group.children}
        kinds = {question_type.category for _row, question_type in group.children}
        return (
            bool(group.name)
            and names == {f"{group.name}_f", f"{group.name}_m"}
            and kinds == {"integer"}
        )

    def _walk(self, sheet, group: _Group, path: list[dict], lists, out: list) -> None:
        for child in group.children:
            if isinstance(child, _Group):
                if self._is_count_by_sex(child):
                    question = self._count_by_sex(sheet, child, path)
                    if question:
                        out.append(question)
                    continue
                if self._claim_name(sheet, child.row) is None:
                    continue
                self._walk(sheet, child, [*path, self._group_info(sheet, child)], lists, out)
            else:
                question = self._question(sheet, *child, path, lists)
                if question:
                    out.append(question)

    def _relevant_with_groups(self, own: str, path: list[dict], extra: dict) -> str:
        """Our screens evaluate one `relevant` per question, so a group's condition is folded
        into each question of the group; the question's own one is kept for the export."""
        conditions = [g["relevant"] for g in path if g.get("relevant")]
        if not conditions:
            return own
        extra["_own_relevant"] = own
        return " and ".join(f"({c})" for c in [*conditions, own] if c)

    def _common(self, sheet: Sheet, row: Row, question: QuestionSpec, path: list[dict]) -> None:
        """Fields every kind reads the same way: labels, flags, expressions, weight, pillar."""
        h = self.h
        question.label = self.texts(row, self.survey_columns, "label")
        question.hint = self.texts(row, self.survey_columns, "hint")
        question.constraint_message = self.texts(row, self.survey_columns, "constraint_message")
        if not question.label and (question.kind != QuestionKind.NOTE or not question.hint):
            self.error(sheet.name, row.number, "", _("This question has no label."))
        required = parse_flag(row.get(h["required"]))
        if required is None:
            self.error(
                sheet.name,
                row.number,
                h["required"] or "",
                _("“required” must be “yes” or empty, not “%(value)s”.")
                % {"value": row.get(h["required"])},
            )
        question.required = bool(required)
        own_relevant = self._check_expression(sheet.name, row, h["relevant"])
        question.relevant = self._relevant_with_groups(own_relevant, path, question.extra)
        question.constraint = self._check_expression(sheet.name, row, h["constraint"])
        weight_text = row.get(h["weight"])
        if weight_text:
            weight = _number(weight_text)
            if weight is None or weight < 0:
                self.error(
                    sheet.name,
                    row.number,
                    h["weight"],
                    _("A weight must be a number of 0 or more, not “%(value)s”.")
                    % {"value": weight_text},
                )
            else:
                question.weight = weight
        question.gender_role = row.get(h["gender_role"])
        question.pillar_code = row.get(h["pillar"]) or next(
            (g["pillar"] for g in reversed(path) if g.get("pillar")), None
        )
        question.group = {"path": path} if path else {}
        question.extra.update(self._extra(row))
        if self._extra(row).get(self._header_of("choice_filter") or ""):
            self.warn(
                sheet.name,
                row.number,
                self._header_of("choice_filter"),
                _("The choice filter is kept for the export, but all choices are shown here."),
            )

    def _header_of(self, base: str) -> str | None:
        return find_column(self.survey_columns, base)

    def _question(self, sheet, row: Row, question_type, path, lists) -> QuestionSpec | None:
        code = self._claim_name(sheet, row)
        if code is None:
            return None
        category = question_type.category
        kinds = {
            "integer": QuestionKind.INTEGER,
            "decimal": QuestionKind.DECIMAL,
            "text": QuestionKind.TEXT,
            "date": QuestionKind.DATE,
            "note": QuestionKind.NOTE,
            "select_one": QuestionKind.SINGLE_CHOICE,
            "select_multiple": QuestionKind.MULTIPLE_CHOICE,
        }
        question = QuestionSpec(code=code, kind=kinds[category], row=row.number)
        self._common(sheet, row, question, path)
        type_header = self.h["type"]
        if category in ("select_one", "select_multiple"):
            question.list_name = question_type.list_name
            if question_type.or_other:
                self.error(
                    sheet.name,
                    row.number,
                    type_header,
                    _("“or_other” is not supported: add an “other” choice and a text question."),
                )
            if question_type.list_name not in lists:
                self.error(
                    sheet.name,
                    row.number,
                    type_header,
                    _("The choice list “%(list)s” is not in the choices sheet.")
                    % {"list": question_type.list_name},
                )
                return None
            self._check_choice_labels(lists[question_type.list_name])
            question.choices = [
                ChoiceSpec(c.value, dict(c.label), c.score, c.is_dont_know, dict(c.extra), c.row)
                for c in lists[question_type.list_name]
            ]
            answer_values = {c.value for c in question.choices if not c.is_dont_know}
            if category == "select_one" and answer_values == {"yes", "no"}:
                question.kind = QuestionKind.YES_NO
        question.scoring = self._scoring(sheet, row, question)
        return question

    def _check_choice_labels(self, choices: list[ChoiceSpec]) -> None:
        """Choices of a list that a question uses need a label (unused lists are ignored)."""
        for choice in choices:
            if not choice.label and choice.row not in self.unlabelled_choice_rows:
                self.unlabelled_choice_rows.add(choice.row)
                self.error(
                    "choices",
                    choice.row,
                    "",
                    _(
                        "This choice has no label (choices shown only as pictures are not "
                        "supported)."
                    ),
                )

    def _count_by_sex(self, sheet, group: _Group, path) -> QuestionSpec | None:
        code = self._claim_name(sheet, group.row)
        if code is None:
            return None
        question = QuestionSpec(code=code, kind=QuestionKind.COUNT_BY_SEX, row=group.row.number)
        self._common(sheet, group.row, question, path)
        constraints = {}
        for row, _type in group.children:
            child = row.get(self.h["name"])
            self._claim_name(sheet, row)
            sex = child[-1]
            if parse_flag(row.get(self.h["required"])):
                question.required = True
            constraint = self._check_expression(sheet.name, row, self.h["constraint"])
            if constraint:
                constraints[sex] = constraint
                message = self.texts(row, self.survey_columns, "constraint_message")
                question.constraint_message = question.constraint_message or message
        if constraints:
            question.constraint = constraints.get("m") or constraints.get("f")
            if constraints != {"m": question.constraint}:
                # Kept as written, so the export puts each constraint back on its own field
                # (the usual shape, one constraint on the men's field, needs no note).
                question.extra["_sex_constraints"] = constraints
        question.scoring = self._scoring(sheet, group.row, question)
        return question

    def _scoring(self, sheet: Sheet, row: Row, question: QuestionSpec) -> dict:
        header = self.h["score"]
        text = row.get(header)
        if not text:
            return {}
        if question.kind not in NUMERIC_KINDS:
            if question.kind in (
                QuestionKind.SINGLE_CHOICE,
                QuestionKind.MULTIPLE_CHOICE,
                QuestionKind.YES_NO,
            ):
                message = _(
                    "Scores of a choice question go in the “score” column of the choices sheet."
                )
            else:
                message = _("Only numbers and choices can be scored.")
            self.error(sheet.name, row.number, header, message)
            return {}
        if text.strip().lower().startswith("ratio:"):
            match = REF_RE.match(text.strip()[6:].strip())
            if not match:
                self.error(
                    sheet.name,
                    row.number,
                    header,
                    _("Write a ratio as “ratio:${question}”, not “%(value)s”.") % {"value": text},
                )
                return {}
            return {"ratio_to": match.group(1)}
        thresholds = []
        for part in text.split(";"):
            if not part.strip():
                continue
            at_least, _sep, score = (piece.strip() for piece in part.partition(":"))
            least_number, score_number = _number(at_least), _number(score)
            if least_number is None or score_number is None or not 0 <= score_number <= 1:
                self.error(
                    sheet.name,
                    row.number,
                    header,
                    _(
                        "Write thresholds as “at least:score” pairs with scores from 0 to 1, "
                        "e.g. “0:0;1:0.5;10:1”, not “%(value)s”."
                    )
                    % {"value": text},
                )
                return {}
            thresholds.append([least_number, score_number])
        thresholds.sort()
        if len({least for least, _score in thresholds}) != len(thresholds):
            self.error(sheet.name, row.number, header, _("A threshold is given twice."))
            return {}
        return {"thresholds": thresholds}

    # --- pillars ---------------------------------------------------------------------------

    def _read_pillar_sheet(self) -> list[PillarSpec] | None:
        sheet = self.sheets.get("pillars")
        if sheet is None:
            return None
        columns = columns_of(sheet.headers)
        code_header = find_column(columns, "code")
        if code_header is None:
            self.error(sheet.name, 1, "", _("The pillars sheet needs a “code” column."))
            return []
        pillars: list[PillarSpec] = []
        for index, row in enumerate(sheet.rows, start=1):
            code = row.get(code_header)
            if not code:
                self.error(sheet.name, row.number, code_header, _("This cell is empty."))
                continue
            if any(p.code == code for p in pillars):
                self.error(
                    sheet.name,
                    row.number,
                    code_header,
                    _("The pillar “%(code)s” is given twice.") % {"code": code},
                )
                continue
            pillar = PillarSpec(
                code=code,
                name=self.texts(row, columns, "name"),
                description=self.texts(row, columns, "description"),
                order=index,
            )
            weight_header = find_column(columns, "weight")
            if row.get(weight_header):
                weight = _number(row.get(weight_header))
                if weight is None or weight < 0:
                    self.error(
                        sheet.name,
                        row.number,
                        weight_header,
                        _("A weight must be a number of 0 or more, not “%(value)s”.")
                        % {"value": row.get(weight_header)},
                    )
                else:
                    pillar.weight = weight
            order_header = find_column(columns, "order")
            if row.get(order_header):
                order = _number(row.get(order_header))
                if order is None or order < 0 or not order.is_integer():
                    self.error(
                        sheet.name,
                        row.number,
                        order_header,
                        _("The order must be a whole number, not “%(value)s”.")
                        % {"value": row.get(order_header)},
                    )
                else:
                    pillar.order = int(order)
            enabler_header = find_column(columns, "is_enabler")
            enabler = parse_flag(row.get(enabler_header))
            if enabler is None:
                self.error(
                    sheet.name,
                    row.number,
                    enabler_header or "",
                    _("Write “yes” or leave the cell empty."),
                )
            pillar.is_enabler = bool(enabler)
            if not pillar.name:
                pillar.name = {self.languages[0]: code}
            pillars.append(pillar)
        return pillars

    def _assign_pillars(self, survey: Sheet, questions, settings) -> list[PillarSpec]:
        sheet_pillars = self._read_pillar_sheet()
        by_code = {p.code: p for p in sheet_pillars or []}
        pillars: list[PillarSpec] = list(sheet_pillars or [])
        has_pillar_column = any(q.pillar_code for q in questions)
        if has_pillar_column:
            self._inherit_pillars(questions)
        else:
            self._pillars_from_groups(questions, settings)
        for question in questions:
            code = question.pillar_code
            if code in by_code:
                continue
            if sheet_pillars is not None and has_pillar_column:
                self.error(
                    survey.name,
                    question.row,
                    self.h["pillar"] or "pillar",
                    _("The pillar “%(code)s” is not in the pillars sheet.") % {"code": code},
                )
                by_code[code] = PillarSpec(code=code, name={})
                continue
            pillar = PillarSpec(code=code, name=self._pillar_name(question, settings))
            by_code[code] = pillar
            pillars.append(pillar)
        for index, pillar in enumerate(pillars, start=1):
            pillar.order = pillar.order or index
        return sorted(pillars, key=lambda p: p.order)

    def _pillar_name(self, question: QuestionSpec, settings) -> dict[str, str]:
        path = question.group.get("path", [])
        if path and path[0]["name"] == question.pillar_code:
            return dict(path[0].get("label") or {self.languages[0]: question.pillar_code})
        if question.pillar_code == MAIN_PILLAR:
            title = settings.get("form_title") or PurePath(self.filename).stem
            return dict.fromkeys(self.languages, title)
        return {self.languages[0]: question.pillar_code}

    def _inherit_pillars(self, questions: list[QuestionSpec]) -> None:
        """A question without a pillar (its own cell or its group's) takes the one before it;
        leading questions (an introduction note) take the first pillar that follows."""
        previous = None
        for question in questions:
            question.pillar_code = question.pillar_code or previous
            previous = question.pillar_code
        first = next((q.pillar_code for q in questions if q.pillar_code), None)
        for question in questions:
            question.pillar_code = question.pillar_code or first

    def _pillars_from_groups(self, questions: list[QuestionSpec], settings) -> None:
        """Without a `pillar` column, each top-level group is a pillar; questions outside any
        group form one pillar named after the form."""
        for question in questions:
            path = question.group.get("path", [])
            question.pillar_code = path[0]["name"] if path else MAIN_PILLAR

    # --- references, stages, recommendations -----------------------------------------------

    def _check_references(self, questions: list[QuestionSpec]) -> None:
        known = {q.code for q in questions}
        known |= {
            f"{q.code}_{sex}"
            for q in questions
            if q.kind == QuestionKind.COUNT_BY_SEX
            for sex in "fm"
        }
        kinds = {q.code: q.kind for q in questions}
        for question in questions:
            for base in ("relevant", "constraint"):
                text = getattr(question, base)
                if not text:
                    continue
                try:
                    names = expressions.references(text)
                except expressions.ExpressionError:
                    continue  # already reported where it was read
                for name in sorted(names - known):
                    self.error(
                        "survey",
                        question.row,
                        self.h[base] or base,
                        _("${%(name)s} is not a question of this form.") % {"name": name},
                    )
            ratio_to = question.scoring.get("ratio_to")
            if ratio_to and kinds.get(ratio_to) not in NUMERIC_KINDS:
                self.error(
                    "survey",
                    question.row,
                    self.h["score"] or "score",
                    _("A ratio must refer to a number question; ${%(name)s} is not one.")
                    % {"name": ratio_to},
                )

    def _stage_number(self, sheet: Sheet, row: Row, header: str | None) -> int | None:
        text = row.get(header)
        number = _number(text)
        if number is None or not number.is_integer() or not 1 <= number <= 5:
            self.error(
                sheet.name,
                row.number,
                header or "stage",
                _("A stage is a whole number from 1 to 5, not “%(value)s”.") % {"value": text},
            )
            return None
        return int(number)

    def _read_stages(self) -> dict:
        stage_names = default_stage_names()
        sheet = self.sheets.get("stages")
        if sheet is None:
            return stage_names
        columns = columns_of(sheet.headers)
        header = find_column(columns, "stage")
        seen = set()
        for row in sheet.rows:
            stage = self._stage_number(sheet, row, header)
            if stage is None:
                continue
            if stage in seen:
                self.error(
                    sheet.name,
                    row.number,
                    header,
                    _("The stage %(stage)s is given twice.") % {"stage": stage},
                )
            seen.add(stage)
            stage_names[str(stage)] = {
                **stage_names[str(stage)],
                **self.texts(row, columns, "name"),
            }
        return stage_names

    def _read_recommendations(self, pillar_codes: set[str]) -> list:
        sheet = self.sheets.get("recommendations")
        if sheet is None:
            return []
        columns = columns_of(sheet.headers)
        pillar_header = find_column(columns, "pillar")
        stage_header = find_column(columns, "stage")
        found: dict[tuple[str, int], int] = {}
        recommendations = []
        for row in sheet.rows:
            pillar = row.get(pillar_header)
            if pillar not in pillar_codes:
                self.error(
                    sheet.name,
                    row.number,
                    pillar_header or "pillar",
                    _("“%(code)s” is not a pillar of this form.") % {"code": pillar},
                )
                continue
            stage = self._stage_number(sheet, row, stage_header)
            if stage is None:
                continue
            if (pillar, stage) in found:
                self.error(
                    sheet.name,
                    row.number,
                    stage_header,
                    _("This pillar already has a recommendation for stage %(stage)s (row %(row)s).")
                    % {"stage": stage, "row": found[(pillar, stage)]},
                )
                continue
            found[(pillar, stage)] = row.number
            text = self.texts(row, columns, "text")
            if not text:
                self.error(sheet.name, row.number, "", _("This recommendation has no text."))
            recommendations.append((pillar, stage, text))
        return recommendations
