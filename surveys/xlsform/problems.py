"""What the importer reports: problems that refuse a file, and warnings that do not."""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    """One precise problem: where (sheet, row as Excel numbers it, column header) and why.

    The message is already translated into the language active when the file was read."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = " · ".join(
            part for part in (self.sheet, str(self.row) if self.row else "", self.column) if part
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass(slots=True)
class ImportResult:
    version: object | None = None  # QuestionnaireVersion when the file was imported
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.version is not None and not self.errors
