"""The stages and recommendations sheets.

Part of FormReader: it uses the reader's `error`, `warn`, `texts` and the state set in its
`__init__`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from surveys.models import default_stage_names
from surveys.xlsform.columns import (
    columns_of,
    find_column,
)
from surveys.xlsform.specs import (
    finite_number,
)
from surveys.xlsform.workbook import Row, Sheet


class StagesSheet:
    def _stage_number(self, sheet: Sheet, row: Row, header: str | None) -> int | None:
        text = row.get(header)
        number = finite_number(text)
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
