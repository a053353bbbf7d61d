"""Names on the survey sheet, as pyxform takes them: unique within their group, a note without a
name gets `generated_note_name_<row>`, and a name reused in another group is kept when the
answers stay unambiguous.

Our answers are stored by question code, one code per version. A name reused in a different
group (which pyxform accepts) becomes the code `<group>_<name>` when that code is free; the name
as written is kept in `Question.extra["_name"]` so the export writes it back. A `${name}` that
refers to a reused name is ambiguous and refuses the file with the rows and a new name to use.

Part of FormReader (uses its `error` and the state set in its `__init__`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from surveys.xlsform.columns import NAME_RE
from surveys.xlsform.workbook import Row, Sheet

GENERATED_NOTE_PREFIX = "generated_note_name_"  # pyxform's own prefix


class SurveyNames:
    def _init_names(self) -> None:
        self.names: dict[str, int] = {}  # question code -> its row
        self.container_names: dict[tuple[str, ...], dict[str, int]] = {}
        self.reused: dict[str, list[int]] = {}  # a name written on several rows -> the rows

    def _claim_name(
        self, sheet: Sheet, row: Row, container: tuple[str, ...], *, note: bool = False
    ) -> str | None:
        """The name of the row, checked and unique within its group (`container`: the names of
        the groups around it), or None after an error."""
        header = self.h["name"] or "name"
        name = row.get(self.h["name"])
        if not name and note:
            name = f"{GENERATED_NOTE_PREFIX}{row.number}"
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
        siblings = self.container_names.setdefault(container, {})
        if name in siblings:
            self.error(
                sheet.name,
                row.number,
                header,
                _("The name “%(name)s” is already used on row %(row)s.")
                % {"name": name, "row": siblings[name]},
            )
            return None
        siblings[name] = row.number
        return name

    def _question_code(self, sheet: Sheet, row: Row, name: str, container: tuple[str, ...]):
        """The code a question is stored under: its name, or `<group>_<name>` when the name is
        already a question of another group. Returns (code, name as written or "")."""
        if name not in self.names:
            self.names[name] = row.number
            return name, ""
        first = self.names[name]
        code = f"{container[-1]}_{name}" if container else ""
        if not code or code in self.names or not NAME_RE.match(code):
            self.error(
                sheet.name,
                row.number,
                self.h["name"] or "name",
                _(
                    "The name “%(name)s” is already used on row %(row)s, in another group; "
                    "answers are stored by name, so rename one of them (e.g. “%(suggestion)s”)."
                )
                % {"name": name, "row": first, "suggestion": f"{name}_{row.number}"},
            )
            return None, ""
        self.reused.setdefault(name, [first]).append(row.number)
        self.names[code] = row.number
        return code, name

    def _ambiguous_reference(self, name: str) -> str | None:
        """The message for a ${name} that names a question reused in several groups."""
        rows = self.reused.get(name)
        if not rows:
            return None
        return _(
            "${%(name)s} is ambiguous: the name is used on rows %(rows)s, in different groups. "
            "Rename the questions so that each name is used once."
        ) % {"name": name, "rows": ", ".join(str(r) for r in rows)}
