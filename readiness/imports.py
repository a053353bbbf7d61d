"""What every importer reports (organisations, XLSForm, responses): one `Problem` naming the
place in the file as the user sees it, and one `ImportResult` with the counts, the problems that
refuse the file and the warnings that do not. Neutral: both apps import it, it imports neither."""

from dataclasses import dataclass, field

from django.utils.translation import gettext


@dataclass(frozen=True, slots=True)
class Problem:
    """One precise problem: where (sheet, line as the user's spreadsheet numbers it, column
    header) and why. A CSV has no sheet (""); a problem of the whole file has no line (None).

    The message is already translated into the language active when the file was read."""

    sheet: str = ""
    line: int | None = None
    column: str = ""
    message: str = ""

    def __str__(self) -> str:
        """The place then the message, in the active language; parts the file lacks are left out."""
        if self.sheet:
            line = str(self.line) if self.line else ""
            where = " · ".join(part for part in (self.sheet, line, self.column) if part)
            return f"{where}: {self.message}"
        if self.line and self.column:
            return gettext("line %(line)s, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        if self.line:
            return gettext("Line %(line)d: %(message)s") % {
                "line": self.line,
                "message": self.message,
            }
        return f"{self.column}: {self.message}" if self.column else str(self.message)


@dataclass(slots=True)
class ImportResult:
    """What an import did: rows created, updated and unchanged; `problems` refuse the file (then
    nothing was written), `warnings` do not. Importer-specific fields: `version` (the
    QuestionnaireVersion an XLSForm import wrote), `ignored_columns` and `not_carried` (the
    responses import's columns it did not read and questions the file has no column for)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    version: object | None = None
    ignored_columns: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing refused the file."""
        return not self.problems

    def summary(self) -> str:
        """'N created, N updated, N unchanged.' in the active language."""
        return gettext("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
