"""The gender view and the progress between rounds of an area (panels, as in area.py)."""

from __future__ import annotations

import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _

from readiness.i18n import pick
from reports.dashboards import charts, selectors
from reports.dashboards.area import AreaDashboard
from reports.dashboards.panels import COUNT, SCORE, SHARE, SIGNED, Column, Panel
from reports.models import OVERALL
from reports.scoring.engine import STAFF_ROLE
from surveys.models import Question, QuestionKind


def known_role_names() -> dict[str, str]:
    """Short names of the gender roles of the built-in questionnaires (the XLSForm column
    `gender_role`); another role is named by its question's label."""
    return {
        "staff": _("All staff"),
        "staff_digital_skills": _("Basic digital skills"),
        "ict_staff": _("ICT staff"),
        "staff_trained_12m": _("Trained in the last 12 months"),
        "managers": _("Managers"),
    }


def gender_role_names(version) -> dict[str, str]:
    """{gender role: its short name}, in the version's order."""
    questions = (
        Question.objects.filter(version=version, kind=QuestionKind.COUNT_BY_SEX)
        .exclude(gender_role="")
        .order_by("pillar__order", "order")
    )
    known = known_role_names()
    return {
        q.gender_role: known.get(q.gender_role) or pick(q.label) or q.gender_role for q in questions
    }


class GenderView(AreaDashboard):
    """Women's share of each gender role and the parity index, by area; for individual
    questionnaires, the scores of women and men respondents. Counts are summed up the tree
    by the engine (never averages of ratios); each figure shows the responses behind it."""

    def _rows(self) -> pd.DataFrame:
        parts = [selectors.gender_rows(self.round, [self.area], selectors.axis_of(self.area))]
        for name, group in self.groups.items():
            axis = "sector" if name == "sector" else "tree"
            parts.append(selectors.gender_rows(self.round, group, axis))
        rows = pd.concat([p for p in parts if not p.empty] or [parts[0]], ignore_index=True)
        names = {self.area.pk: self.area.label, **{pk: n.label for pk, n in self.nodes.items()}}
        rows["area"] = rows["node_id"].map(names)
        return rows

    def share_panel(self) -> Panel | None:
        rows = self._rows()
        roles = gender_role_names(self.round.version)
        rows = rows[rows["gender_role"].isin(roles)]
        if rows.empty:
            return None
        rows = rows.assign(role=rows["gender_role"].map(roles))
        order = {role: i for i, role in enumerate(roles)}
        places = {self.area.pk: -1, **{pk: i for i, pk in enumerate(self.nodes)}}
        rows = (
            rows.assign(_place=rows["node_id"].map(places), _role=rows["gender_role"].map(order))
            .sort_values(["_place", "_role"])
            .drop(columns=["_place", "_role"])
        )
        table = rows[
            [
                "area",
                "role",
                "women",
                "men",
                "female_share",
                "parity_index",
                "responses",
                "incomplete",
            ]
        ].reset_index(drop=True)
        links = [self.link(pk) if pk in self.nodes else "" for pk in rows["node_id"]]
        return Panel(
            name="gender",
            title=_("Women's share and parity index by area"),
            columns=[
                Column("area", _("Area")),
                Column("role", _("Staff group")),
                Column("women", _("Women"), COUNT),
                Column("men", _("Men"), COUNT),
                Column("female_share", _("Women's share"), SHARE),
                Column("parity_index", _("Parity index"), SCORE),
                Column("responses", _("Responses"), COUNT),
                Column("incomplete", _("Left out: one sex not given"), COUNT),
            ],
            table=table,
            figure=self._share_heatmap(table, rows),
            links=links,
            note=_(
                "Counts are summed over the responses, never averaged ratios. A count given "
                "for one sex only is left out of the shares and the parity index (the last "
                "column says how many). Parity index = (women in the group / all women staff) "
                "÷ (men in the group / all men staff); 0.97 to 1.03 is the usual parity band."
            ),
        )

    def _share_heatmap(self, table: pd.DataFrame, rows: pd.DataFrame) -> dict:
        """Areas x staff groups, each cell the women's share (a clickable area)."""
        links = {pk: self.link(pk) if pk in self.nodes else "" for pk in rows["node_id"]}
        cells = pd.DataFrame(
            {
                "row": table["area"],
                "column": table["role"],
                "score": table["female_share"],
                "link": [links[pk] for pk in rows["node_id"]],
            }
        )
        return charts.heatmap(
            cells,
            list(dict.fromkeys(table["area"])),
            list(dict.fromkeys(table["role"])),
            shares=True,
        )

    def parity_panel(self) -> Panel | None:
        rows = self._rows()
        roles = gender_role_names(self.round.version)
        rows = rows[rows["gender_role"].isin(roles) & rows["gender_role"].ne(STAFF_ROLE)]
        rows = rows[rows["parity_index"].notna()]
        if rows.empty:
            return None
        table = rows.assign(role=rows["gender_role"].map(roles))[
            ["area", "role", "parity_index", "responses"]
        ].reset_index(drop=True)
        return Panel(
            name="parity",
            title=_("Parity index (the shaded band is parity, 0.97 to 1.03)"),
            columns=[
                Column("area", _("Area")),
                Column("role", _("Staff group")),
                Column("parity_index", _("Parity index"), SCORE),
                Column("responses", _("Responses"), COUNT),
            ],
            table=table,
            figure=charts.to_json(charts.parity(table)),
        )

    def sex_score_panel(self) -> Panel | None:
        rows = selectors.sex_score_rows(self.round, [self.area], selectors.axis_of(self.area))
        if rows.empty:
            return None
        rows = rows[rows["pillar"].isin(self.pillar_names)]
        order = {code: i for i, code in enumerate(self.pillar_names)}
        rows = rows.sort_values("pillar", key=lambda s: s.map(order))
        panel = self._sex_score_table(
            "sex-scores",
            _("Scores of women and men respondents"),
            Column("name", _("Pillar")),
            [self.pillar_names[c] for c in rows["pillar"]],
            rows,
        )
        panel.figure = charts.sex_scores(panel.table)
        return panel

    def _sex_score_table(
        self, name: str, title: str, first: Column, labels: list[str], rows: pd.DataFrame
    ) -> Panel:
        """Women's and men's means side by side, the gap and the respondents behind them."""
        table = pd.DataFrame({first.key: labels}).assign(
            **{
                column: list(rows[column])
                for column in ("women_mean", "men_mean", "gap", "women_n", "men_n")
            }
        )
        return Panel(
            name=name,
            title=title,
            columns=[
                first,
                Column("women_mean", _("Women (1-5)"), SCORE),
                Column("men_mean", _("Men (1-5)"), SCORE),
                Column("gap", _("Gap (women − men)"), SIGNED),
                Column("women_n", _("Women respondents"), COUNT),
                Column("men_n", _("Men respondents"), COUNT),
            ],
            table=table,
            note=self._small_group_note(),
        )

    @staticmethod
    def _small_group_note() -> str:
        return _(
            "A score is shown only for a group of at least %(minimum)s respondents, so that no "
            "one can be recognised; an empty cell means fewer answered."
        ) % {"minimum": settings.MIN_GROUP_SIZE}

    def sex_score_area_panel(self) -> Panel | None:
        """Overall readiness of women and men respondents in each part of the area."""
        parts = []
        for name, group in self.groups.items():
            axis = "sector" if name == "sector" else "tree"
            parts.append(selectors.sex_score_rows(self.round, group, axis))
        rows = pd.concat([p for p in parts if not p.empty] or [parts[0]], ignore_index=True)
        rows = rows[rows["pillar"].eq(OVERALL)]
        if rows.empty:
            return None
        order = {pk: i for i, pk in enumerate(self.nodes)}
        rows = rows.sort_values("node_id", key=lambda s: s.map(order), ignore_index=True)
        panel = self._sex_score_table(
            "sex-scores-areas",
            _("Overall readiness of women and men respondents by area"),
            Column("area", _("Area")),
            [self.nodes[pk].label for pk in rows["node_id"]],
            rows,
        )
        panel.links = [self.link(pk) for pk in rows["node_id"]]
        return panel

    def panels(self) -> list[Panel]:
        built = [
            self.share_panel(),
            self.parity_panel(),
            self.sex_score_panel(),
            self.sex_score_area_panel(),
        ]
        return [panel for panel in built if panel is not None]


class ProgressView(AreaDashboard):
    """Change since the round's baseline: per pillar for the area and its parts, and how many
    organisations moved up a stage, stayed or fell (with the organisations behind each count)."""

    def change_panel(self) -> Panel | None:
        baseline = self.round.baseline
        before = selectors.area_results(baseline, [self.area], selectors.axis_of(self.area))
        if before.empty or self.own.empty:
            return None
        before = before.set_index("pillar")["mean"]
        now = self.own.set_index("pillar")["mean"]
        codes = [c for c in self.pillar_names if c in now.index or c in before.index]
        table = pd.DataFrame(
            {
                "name": [self.pillar_names[c] for c in codes],
                "baseline": [before.get(c) for c in codes],
                "current": [now.get(c) for c in codes],
            }
        ).astype({"baseline": float, "current": float})
        table["change"] = table["current"] - table["baseline"]
        return Panel(
            name="progress",
            title=_("Change per pillar since the baseline round"),
            columns=_change_columns(Column("name", _("Pillar"))),
            table=table,
            figure=charts.to_json(charts.progress(table)),
        )

    def area_change_panel(self) -> Panel | None:
        baseline = self.round.baseline
        rows = []
        for name, group in self.groups.items():
            axis = "sector" if name == "sector" else "tree"
            before = selectors.area_results(baseline, group, axis)
            now = self.group_rows(name)
            for frame, column in ((before, "baseline"), (now, "current")):
                part = frame[frame["pillar"].eq(OVERALL)][["node_id", "mean"]]
                rows.append(part.rename(columns={"mean": column}))
        if not rows:
            return None
        merged = pd.concat(rows).groupby("node_id")[["baseline", "current"]].first().reset_index()
        if merged.empty:
            return None
        order = {pk: i for i, pk in enumerate(self.nodes)}
        merged = merged.sort_values("node_id", key=lambda s: s.map(order), ignore_index=True)
        merged["area"] = [self.nodes[pk].label for pk in merged["node_id"]]
        merged["change"] = merged["current"] - merged["baseline"]
        return Panel(
            name="progress-areas",
            title=_("Change of overall readiness by area"),
            columns=_change_columns(Column("area", _("Area"))),
            table=merged,
            links=[self.link(pk) for pk in merged["node_id"]],
        )

    @property
    def transitions(self) -> pd.DataFrame:
        return selectors.stage_transitions(self.round, self.round.baseline, self.area, self.filters)

    def transition_table(self) -> dict:
        """{"rows": [(stage before, name, [count to stage 1..5], up, same, down)],
        "moved_up", "stayed", "fell", "total"}."""
        frame = self.transitions
        counts = frame.groupby(["before", "after"]).size() if not frame.empty else pd.Series()
        rows = []
        for before in range(1, 6):
            cells = [int(counts.get((before, after), 0)) for after in range(1, 6)]
            rows.append((before, self.stage_names[before], cells))
        return {
            "rows": rows,
            "stages": [(s, self.stage_names[s]) for s in range(1, 6)],
            "moved_up": int((frame["after"] > frame["before"]).sum()),
            "stayed": int((frame["after"] == frame["before"]).sum()),
            "fell": int((frame["after"] < frame["before"]).sum()),
            "total": len(frame),
        }

    def panels(self) -> list[Panel]:
        built = [self.change_panel(), self.area_change_panel()]
        return [panel for panel in built if panel is not None]


def _change_columns(first: Column) -> list[Column]:
    """The columns of a change since the baseline round: `first` (what changed), the baseline
    and this round's scores (1-5) and their difference."""
    return [
        first,
        Column("baseline", _("Baseline (1-5)"), SCORE),
        Column("current", _("This round (1-5)"), SCORE),
        Column("change", _("Change"), SIGNED),
    ]
