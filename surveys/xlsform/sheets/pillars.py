"""The pillars sheet, or pillars from the survey's `pillar` column and groups.

Part of FormReader: it uses the reader's `error`, `warn`, `texts` and the state set in its
`__init__`."""

from __future__ import annotations

from pathlib import PurePath

from django.utils.translation import gettext as _

from surveys.xlsform.columns import (
    Column,
    columns_of,
    find_column,
    parse_flag,
)
from surveys.xlsform.specs import (
    MAIN_PILLAR,
    PillarSpec,
    QuestionSpec,
    finite_number,
)
from surveys.xlsform.workbook import Row, Sheet


class PillarsSheet:
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
            self._pillar_numbers(sheet, row, columns, pillar)
            if not pillar.name:
                pillar.name = {self.languages[0]: code}
            pillars.append(pillar)
        return pillars

    def _pillar_numbers(
        self, sheet: Sheet, row: Row, columns: dict[str, Column], pillar: PillarSpec
    ) -> None:
        """The weight, order and enabler flag of one row of the pillars sheet."""
        weight_header = find_column(columns, "weight")
        if row.get(weight_header):
            weight = finite_number(row.get(weight_header))
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
            order = finite_number(row.get(order_header))
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
