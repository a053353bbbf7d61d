"""The choices sheet: answer lists, their labels and scores.

Part of FormReader: it uses the reader's `error`, `warn`, `texts` and the state set in its
`__init__`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from surveys.xlsform.columns import (
    columns_of,
    find_column,
    parse_flag,
)
from surveys.xlsform.specs import (
    CHOICES_KNOWN,
    ChoiceSpec,
    finite_number,
)
from surveys.xlsform.workbook import Row, Sheet


class ChoicesSheet:
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
        score = finite_number(text)
        if score is None or not 0 <= score <= 1:
            self.error(
                sheet.name,
                row.number,
                header or "",
                _("A score must be a number from 0 to 1, not “%(value)s”.") % {"value": text},
            )
            return None
        return score

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
