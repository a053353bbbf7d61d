"""XLSForm rows -> a plain description of a questionnaire version (FormSpec), or precise problems.

Pure: no database. Every problem names its sheet, row and column, in the active language.
Each sheet is read by its own class in surveys/xlsform/sheets/; FormReader holds the shared state
and reads the whole file in order.
"""

from __future__ import annotations

from pathlib import PurePath

from django.utils.text import slugify
from django.utils.translation import gettext as _

from readiness.imports import Problem
from surveys import expressions
from surveys.xlsform.columns import (
    Column,
    language_code,
)
from surveys.xlsform.sheets.choices import ChoicesSheet
from surveys.xlsform.sheets.pillars import PillarsSheet
from surveys.xlsform.sheets.settings import SettingsSheet
from surveys.xlsform.sheets.stages import StagesSheet
from surveys.xlsform.sheets.survey import SurveySheet
from surveys.xlsform.specs import (
    SETTINGS_KNOWN,
    TITLE_PREFIX,
    FormSpec,
)
from surveys.xlsform.workbook import Row, Sheet


class FormReader(SettingsSheet, ChoicesSheet, SurveySheet, PillarsSheet, StagesSheet):
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
        self._init_names()  # sheets/names.py
        self.unlabelled_choice_rows: set[int] = set()

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

    def read(self) -> FormSpec | None:
        survey = self.sheets.get("survey")
        if survey is None and len(self.sheet_names) == 1:
            # pyxform reads the only sheet of a workbook as the survey, whatever its name.
            survey = self.sheets["survey"] = self.sheets[self.sheet_names[0].strip().lower()]
            self.warn(
                survey.name,
                None,
                "",
                _("The only sheet, “%(sheet)s”, is read as the survey sheet.")
                % {"sheet": survey.name},
            )
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
                key=lambda p: (order.index(p.sheet) if p.sheet in order else -1, p.line or 0)
            )
            return None
        title_text = settings.get("form_title") or PurePath(self.filename).stem
        form_id = settings.get("form_id") or PurePath(self.filename).stem
        return FormSpec(
            # Without a form_id the file's name is the id, as in pyxform; kept so the export
            # names the same questionnaire.
            form_id=form_id,
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
