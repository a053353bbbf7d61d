"""A dashboard is a list of panels: a title, a chart (Plotly JSON) and the data table behind it.

The page shows the table behind a toggle and offers it as CSV and XLSX; the download view builds
the same panels and sends one table, so the chart, the table on the page and the file can never
disagree. Table values stay typed (scores 1-5, shares 0-1, counts); `Panel.rows` formats them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from reports.anonymity import FEWER_THAN, too_few_respondents
from reports.dashboards import selectors
from reports.models import OVERALL
from reports.scoring.engine import stage_for

if TYPE_CHECKING:
    from surveys.models import Round

# How a column of a panel's table is shown on the page.
SCORE, SHARE, COUNT, TEXT, SIGNED = "score", "share", "count", "text", "signed"


@dataclass
class Column:
    key: str
    header: str
    kind: str = TEXT


@dataclass
class Panel:
    """name: the slug of its table download; table: one row per line, keyed by Column.key;
    links: a drill-down URL per row ('' for none); figure: Plotly JSON or None."""

    name: str
    title: str
    columns: list[Column]
    table: pd.DataFrame
    figure: dict | None = None
    links: list[str] = field(default_factory=list)
    note: str = ""
    description: str = ""

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    @property
    def numeric(self) -> list[bool]:
        """Per column: right-aligned numbers, or text."""
        return [column.kind != TEXT for column in self.columns]

    def rows(self, start: int = 0, stop: int | None = None) -> list[tuple[str, list[str]]]:
        """(link, [cell text]) for rows start..stop; an empty cell where a value is missing."""
        links = self.links or [""] * len(self.table)
        stop = len(self.table) if stop is None else min(stop, len(self.table))
        # One conversion of the page's slice: a Series per row (`iloc[i]`) cost most of the
        # national page's time.
        records = self.table.iloc[start:stop].to_dict("records")
        shown = []
        for position, record in zip(range(start, stop), records, strict=True):
            cells = [(_cell(record, column), column.kind != TEXT) for column in self.columns]
            shown.append((links[position], cells))
        return shown

    def download_frame(self) -> pd.DataFrame:
        """The table with its headers in the active language, values as numbers."""
        frame = self.table[[column.key for column in self.columns]].copy()
        frame.columns = self.headers
        return frame


# The mean of women (men) respondents beside their count, in the sex score tables.
SEX_COUNTS = {"women_mean": "women_n", "men_mean": "men_n"}


def _cell(record: dict, column: Column) -> str:
    """A cell's text; "fewer than 5 responses" for a score an individual questionnaire's group
    of too few respondents withholds (an area's `withheld` row, or one sex's count)."""
    value = record[column.key]
    if column.kind == SCORE and pd.isna(value):
        counted = SEX_COUNTS.get(column.key)
        if record.get("withheld") or (counted and too_few_respondents(record.get(counted))):
            return str(FEWER_THAN)
    return format_value(value, column.kind)


def pillar_score_columns() -> list[Column]:
    """The first columns of a pillar-scores table: pillar, score, stage, target, gap."""
    return [
        Column("name", _("Pillar")),
        Column("score", _("Score (1-5)"), SCORE),
        Column("stage", _("Stage")),
        Column("target", _("Target"), SCORE),
        Column("gap", _("Gap"), SCORE),
    ]


def format_value(value, kind: str) -> str:
    """A table cell as text in the active language's number format; '' for no data."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    # Rounded here (half away from zero, like Python's format): number_format only cuts.
    if kind == SCORE:
        return number_format(f"{value:.2f}", 2)
    if kind == SIGNED:
        text = number_format(f"{abs(value):.2f}", 2)
        return ("+" if value >= 0 else "−") + text
    if kind == SHARE:
        return number_format(f"{100 * value:.0f}", 0) + "%"
    if kind == COUNT:
        return number_format(int(value), 0, force_grouping=True)
    return str(value)


def pillar_order(pillars: pd.DataFrame) -> dict[str, str]:
    """{pillar code: name} in the version's order, with the overall readiness last."""
    names = dict(zip(pillars["pillar"], pillars["name"], strict=True))
    names[OVERALL] = _("Overall readiness")
    return names


class VersionTexts:
    """The questionnaire version's pillars and stage names, read once per page, for a page
    object with a `round`."""

    round: Round

    @cached_property
    def pillars(self) -> pd.DataFrame:
        return selectors.pillars_frame(self.round.version)

    @cached_property
    def pillar_names(self) -> dict[str, str]:
        return pillar_order(self.pillars)

    @cached_property
    def stage_names(self) -> dict[int, str]:
        return selectors.stage_names(self.round.version)

    def overall_row(self, rows: pd.DataFrame, score: str) -> dict | None:
        """The OVERALL row of per-pillar rows as a dict (None for NaN), with the stage of its
        `score` column and the stage's name; None when there is no such row."""
        rows = rows[rows["pillar"].eq(OVERALL)]
        if rows.empty:
            return None
        row = {
            key: None if isinstance(value, float) and np.isnan(value) else value
            for key, value in rows.iloc[0].to_dict().items()
        }
        row["stage"] = stage = stage_for(row[score])
        row["stage_name"] = self.stage_names.get(stage, "") if stage else ""
        return row
