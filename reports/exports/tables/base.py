"""What every table of an export is made of: columns, the table, the area's reach, and the
labels a table repeats on every row (translated once)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation, OrganisationKind
from readiness.i18n import pick
from reports.anonymity import FEWER_THAN, too_few_respondents
from reports.exports.spec import ExportSpec
from reports.models import OVERALL, Axis, PriorityClass
from surveys.models import AgeBand, Pillar, RespondentType, ResponseStatus, Sex

# A text cell that begins with one of these gets a leading apostrophe in CSV (see csvzip.py).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 5000  # rows fetched per round trip of a server-side cursor
TEXT, NUMBER, INTEGER, DATE, DATETIME = "text", "number", "integer", "date", "datetime"


@dataclass
class Column:
    header: str
    kind: str = TEXT
    width: int = 12


@dataclass
class Table:
    """A table of an export: `rows` is a one-shot generator, `count` its length (for progress)."""

    key: str  # ASCII, for file names inside a zip
    title: str  # in the export's language, the sheet name
    columns: list[Column]
    rows: Iterator[tuple]
    count: int
    notes: list[str] = field(default_factory=list)
    # The same rows as one SQL query and its parameters, each cell already formatted as the CSV
    # writes it: PostgreSQL then writes the CSV by COPY (csvzip.py), without Python per cell.
    copy_sql: tuple[str, list] | None = None


# --- the area ------------------------------------------------------------------------------


def members_q(area: Organisation, prefix: str = "") -> Q:
    """Organisations of an area: its subtree and, for a ministry, the sector offices attached
    to it (the same reach as the access policy's scopes)."""
    condition = Q(**{f"{prefix}path__startswith": area.path})
    if area.kind == OrganisationKind.MINISTRY:
        condition |= Q(**{f"{prefix}line_ministry": area})
    return condition


def area_axis(area: Organisation) -> str:
    """A ministry's results are its sector aggregates (its subtree and its sector offices)."""
    return Axis.SECTOR if area.kind == OrganisationKind.MINISTRY else Axis.TREE


def pillars_of(spec: ExportSpec) -> list[Pillar]:
    return list(Pillar.objects.filter(version=spec.round.version).order_by("order", "code"))


def pillar_label(code: str, pillars: dict[str, str]) -> str:
    return _("Overall readiness") if code == OVERALL else pillars.get(code, code)


def priority_label(value: str) -> str:
    return str(PriorityClass(value).label) if value else ""


def kind_label(value: str) -> str:
    return str(OrganisationKind(value).label) if value in OrganisationKind.values else value


def local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def number(value) -> float | None:
    return None if value is None else float(value)


class Labels:
    """The labels a table repeats on every row, translated once (a national table has tens of
    thousands of rows and a handful of distinct kinds, axes, stages and classes)."""

    def __init__(self, spec: ExportSpec) -> None:
        self.language = spec.language
        self.stage_names = {
            stage: spec.round.version.stage_name(stage, spec.language) for stage in range(1, 6)
        }
        self.kinds = {kind.value: str(kind.label) for kind in OrganisationKind}
        self.axes = {axis.value: str(axis.label) for axis in Axis}
        self.priorities = {c.value: str(c.label) if c.value else "" for c in PriorityClass}
        self.statuses = {status.value: str(status.label) for status in ResponseStatus}
        self.individual = is_individual(spec)
        self._names: dict[str, str] = {}

    def name(self, code: str, labels: dict) -> str:
        name = self._names.get(code)
        if name is None:
            name = self._names[code] = pick(labels, self.language)
        return name

    def area(self, axis: str, code: str, name: dict, kind: str) -> tuple:
        """The first cells of a row of area results (`area_columns`)."""
        return (self.axes[axis], code, self.name(code, name), self.kinds.get(kind, kind))

    def area_result(self, values: tuple) -> tuple:
        """The cells of `area_result_columns` from the values of AREA_RESULT. An individual
        questionnaire's area of too few respondents (reports.anonymity) shows "fewer than 5
        responses" instead of its mean and no other result; its counts stay."""
        n, mean, median, minimum, maximum, stage, target, gap, enabler, *rest = values
        priority_class, priority, expected, submitted, approved, dont_know = rest
        if self.individual and too_few_respondents(n):
            mean, median, minimum, maximum, stage, gap, enabler = str(FEWER_THAN), *[None] * 6
            priority_class, priority, dont_know = "", None, None
        return (
            *(n, mean, median, minimum, maximum, stage),
            self.stage_names.get(stage, "") if stage else "",
            *(target, gap, enabler, self.priorities.get(priority_class, ""), priority),
            *(expected, submitted, approved, submitted / expected if expected else None),
            dont_know,
        )


# The fields of an area's row (AreaResult) that name it, and those of an AreaAggregate that
# `Labels.area_result` turns into the cells of `area_result_columns`.
AREA_FIELDS = ("axis", "organisation__code", "organisation__name", "organisation__kind")
AREA_RESULT = (
    "n", "mean", "median", "minimum", "maximum", "stage", "target", "gap", "enabler_readiness",
    "priority_class", "priority", "expected", "submitted", "approved", "dont_know_share",
)  # fmt: skip
SEX_SCORE_FIELDS = ("women_n", "men_n", "women_mean", "men_mean", "gap")


def area_columns() -> list[Column]:
    """The columns that name an area in the tables of area results."""
    return [
        Column(_("Axis"), TEXT, 14),
        Column(_("Area code"), TEXT, 12),
        Column(_("Area"), TEXT, 28),
        Column(_("Kind"), TEXT, 14),
    ]


def is_individual(spec: ExportSpec) -> bool:
    return spec.round.version.questionnaire.respondent_type == RespondentType.INDIVIDUAL


def sex_label(value: str) -> str:
    return str(Sex(value).label) if value in Sex.values and value else ""


def age_label(value: str) -> str:
    return str(AgeBand(value).label) if value in AgeBand.values else ""


def is_value(value) -> bool:
    return value is not None and value == value  # NaN is not a value


def formula_safe(text: str) -> str:
    """The text as a CSV cell: a leading apostrophe when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def area_result_columns(stage_name_width: int) -> list[Column]:
    """The columns of an area's result for one pillar, as the summary and the results by area
    both write them: member scores, stage, gap and priority, coverage."""
    return [
        Column(_("Scored responses"), INTEGER, 10),
        Column(_("Mean score (1-5)"), NUMBER, 10),
        Column(_("Median"), NUMBER, 9),
        Column(_("Minimum"), NUMBER, 9),
        Column(_("Maximum"), NUMBER, 9),
        Column(_("Stage"), INTEGER, 7),
        Column(_("Stage name"), TEXT, stage_name_width),
        Column(_("Target"), NUMBER, 8),
        Column(_("Gap"), NUMBER, 8),
        Column(_("Enabler readiness"), NUMBER, 10),
        Column(_("Priority class"), TEXT, 18),
        Column(_("Priority"), NUMBER, 9),
        Column(_("Expected responses"), INTEGER, 10),
        Column(_("Submitted responses"), INTEGER, 10),
        Column(_("Approved responses"), INTEGER, 10),
        Column(_("Coverage (share submitted)"), NUMBER, 10),
        Column(_("Share of don't know"), NUMBER, 10),
    ]


def response_columns(*, individual: bool, submitted_at: bool) -> list[Column]:
    """The columns that name a response (and, for an individual questionnaire, its
    respondent), first in the organisation results and the raw answers."""
    columns = [
        Column(_("Response id"), INTEGER, 10),
        Column(_("Organisation code"), TEXT, 14),
        Column(_("Organisation"), TEXT, 30),
        Column(_("Kind"), TEXT, 14),
        Column(_("Status"), TEXT, 12),
    ]
    if submitted_at:
        columns.append(Column(_("Submitted at"), DATETIME, 18))
    if individual:
        columns += [Column(_("Respondent sex"), TEXT, 10), Column(_("Age band"), TEXT, 10)]
    return columns
