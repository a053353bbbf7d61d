"""The panels of an area's dashboard (the national view, a province, a district, a ministry).

`AreaDashboard` reads everything it needs in a fixed number of queries (the selectors), then
each panel method turns frames into a chart and its table. Links drill down: an area with
members below it opens its own dashboard, a single organisation its scorecard.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from organisations.models import Organisation
from reports.dashboards import charts, selectors
from reports.dashboards.panels import (
    COUNT,
    SCORE,
    SHARE,
    TEXT,
    Column,
    Panel,
    VersionTexts,
    pillar_score_columns,
)
from reports.models import OVERALL, PriorityClass
from reports.scoring.engine import stage_for
from surveys.models import Round

ACTION_CLASSES = ("quick_win", "build_foundations")


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    filled = [part for part in parts if not part.empty]
    return pd.concat(filled) if filled else pd.DataFrame(columns=selectors.AREA_COLUMNS)


def area_link(round_: Round, node: Organisation, query: dict | None = None) -> str:
    """The dashboard of an area with members below it; the scorecard of a single organisation."""
    if node.numchild or node.kind == "ministry":
        url = reverse("reports:area", args=[round_.code, node.code])
    else:
        url = reverse("reports:scorecard", args=[round_.code, node.code])
    return f"{url}?{urlencode(query)}" if query else url


@dataclass
class AreaDashboard(VersionTexts):
    round: Round
    area: Organisation
    filters: selectors.Filters

    # --- reads (each once) -------------------------------------------------------------------

    @cached_property
    def groups(self) -> dict[str, list[Organisation]]:
        groups = selectors.area_groups(self.area, self.filters)
        if self.area.kind == "ministry":
            groups["offices"] = selectors.sector_offices(self.area)
        return groups

    @cached_property
    def results(self) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
        return selectors.results_for(self.round, self.area, self.filters, self.groups)

    @property
    def own(self) -> pd.DataFrame:
        return self.results[0]

    def group_rows(self, name: str) -> pd.DataFrame:
        return self.results[1].get(name, pd.DataFrame(columns=selectors.AREA_COLUMNS))

    @cached_property
    def nodes(self) -> dict[int, Organisation]:
        return {node.pk: node for group in self.groups.values() for node in group}

    @property
    def query(self) -> dict:
        """The filters, carried by every drill-down link."""
        query = {}
        if self.filters.kind:
            query["kind"] = self.filters.kind
        if self.filters.sector is not None:
            query["sector"] = self.filters.sector.code
        return query

    def link(self, node_id: int) -> str:
        return area_link(self.round, self.nodes[node_id], self.query)

    # --- the headline ------------------------------------------------------------------------

    @property
    def overall(self) -> dict | None:
        """The area's overall readiness, stage and data availability, or None without data."""
        row = self.overall_row(self.own, "mean")
        if row is None:
            return None
        row["coverage"] = selectors.share(row["n"], row["expected"])
        row["submitted_share"] = selectors.share(row["submitted"], row["expected"])
        return row

    def stage_guide(self) -> list[dict]:
        """What each stage means per pillar, from the questionnaire version: each pillar's
        description and its recommended action at each stage (1-5)."""
        advice = selectors.recommendations(self.round.version)
        return [
            {
                "name": row.name,
                "description": row.description,
                "actions": [advice.get((row.pillar, stage), "") for stage in range(1, 6)],
            }
            for row in self.pillars.itertuples()
        ]

    # --- panels ------------------------------------------------------------------------------

    def pillar_panel(self) -> Panel:
        """Every pillar of the version, with empty cells where the area has no data yet."""
        own = self.own.set_index("pillar").reindex(list(self.pillar_names))
        codes = list(self.pillar_names)
        table = pd.DataFrame(
            {
                "name": [self.pillar_names[c] for c in codes],
                "score": [own.at[c, "mean"] for c in codes],
                "stage": [self._stage_label(own.at[c, "mean"]) for c in codes],
                "target": [own.at[c, "target"] for c in codes],
                "gap": [own.at[c, "gap"] for c in codes],
                "n": [own.at[c, "n"] for c in codes],
                "expected": [own.at[c, "expected"] for c in codes],
                "dont_know_share": [own.at[c, "dont_know_share"] for c in codes],
                "priority_class": [self._class_label(own.at[c, "priority_class"]) for c in codes],
            }
        )
        return Panel(
            name="pillars",
            title=_("Pillar scores against the round's targets"),
            columns=[
                *pillar_score_columns(),
                Column("priority_class", _("Priority class")),
                Column("n", _("Responses scored"), COUNT),
                Column("expected", _("Responses expected"), COUNT),
                Column("dont_know_share", _('Share of "don\'t know"'), SHARE),
            ],
            table=table,
            figure=charts.pillar_scores(table) if table["score"].notna().any() else None,
        )

    def _stage_label(self, score: float) -> str:
        stage = stage_for(score)
        return f"{stage} · {self.stage_names.get(stage, '')}" if stage else ""

    @staticmethod
    def _class_label(code) -> str:
        return str(PriorityClass(code).label) if isinstance(code, str) and code else ""

    def stage_panel(self) -> Panel | None:
        counts = selectors.stage_distribution(self.round, self.area, self.filters)
        if counts.empty:
            return None
        counts = counts[counts["pillar"].isin(self.pillar_names)]
        counts["name"] = counts["pillar"].map(self.pillar_names)
        order = {code: i for i, code in enumerate(self.pillar_names)}
        counts = counts.sort_values(["pillar", "stage"], key=lambda s: s.map(order).fillna(s))
        wide = counts.pivot_table(
            index="pillar", columns="stage", values="organisations", aggfunc="sum", fill_value=0
        ).reindex(columns=range(1, 6), fill_value=0)
        wide = wide.reindex([c for c in self.pillar_names if c in wide.index])
        table = pd.DataFrame({"name": [self.pillar_names[c] for c in wide.index]})
        columns = [Column("name", _("Pillar"))]
        for stage in range(1, 6):
            table[f"stage_{stage}"] = list(wide[stage])
            columns.append(Column(f"stage_{stage}", f"{stage} · {self.stage_names[stage]}", COUNT))
        return Panel(
            name="stages",
            title=_("How many organisations are at each stage"),
            columns=columns,
            table=table,
            figure=charts.to_json(charts.stage_distribution(counts, self.stage_names)),
        )

    def heatmap_panel(self, group: str) -> Panel | None:
        rows = self.group_rows(group)
        if rows.empty:
            return None
        names = {pk: node.label for pk, node in self.nodes.items()}
        nodes = [n for n in self.groups[group] if n.pk in set(rows["node_id"])]
        wide = rows.pivot_table(index="node_id", columns="pillar", values="mean", aggfunc="first")
        codes = list(self.pillar_names)
        table = pd.DataFrame({"area": [names[n.pk] for n in nodes]})
        for code in codes:
            table[code] = [
                wide.at[n.pk, code] if code in wide.columns and n.pk in wide.index else np.nan
                for n in nodes
            ]
        coverage = rows[rows["pillar"].eq(OVERALL)].set_index("node_id")
        table["n"] = [coverage["n"].get(n.pk, 0) for n in nodes]
        table["expected"] = [coverage["expected"].get(n.pk, 0) for n in nodes]
        links = [self.link(n.pk) for n in nodes]
        cells = pd.DataFrame(
            [
                {
                    "row": names[n.pk],
                    "column": self.pillar_names[code],
                    "score": table.at[i, code],
                    "link": links[i],
                }
                for i, n in enumerate(nodes)
                for code in codes
            ]
        )
        figure = charts.heatmap(
            cells, [names[n.pk] for n in nodes], [self.pillar_names[c] for c in codes]
        )
        return Panel(
            name=f"heatmap-{group}",
            title=self._group_title(group),
            columns=[
                Column("area", _("Area")),
                *[Column(code, self.pillar_names[code], SCORE) for code in codes],
                Column("n", _("Responses scored"), COUNT),
                Column("expected", _("Responses expected"), COUNT),
            ],
            table=table,
            # A ministry's offices are too many for a readable heatmap: their table only.
            figure=None if group == "offices" else charts.to_json(figure),
            links=links,
            note=_("Click a cell or a row to open that area. An empty cell: no scored response."),
        )

    def _group_title(self, group: str) -> str:
        if group == "sector":
            return _("Ministries by pillar (each with its offices in the provinces and districts)")
        if group == "offices":
            return _("The ministry's offices in the provinces and districts, by pillar")
        if self.area.is_root():
            return _("Provinces by pillar")
        if self.area.kind == "ministry":
            return _("Departments by pillar")
        return _("Areas and organisations by pillar")

    def coverage_panel(self, group: str) -> Panel | None:
        rows = self.group_rows(group)
        rows = rows[rows["pillar"].eq(OVERALL)]
        if rows.empty:
            return None
        order = {n.pk: i for i, n in enumerate(self.groups[group])}
        rows = rows.sort_values("node_id", key=lambda s: s.map(order))
        table = pd.DataFrame(
            {
                "area": [self.nodes[pk].label for pk in rows["node_id"]],
                "expected": list(rows["expected"]),
                "submitted": list(rows["submitted"]),
                "approved": list(rows["approved"]),
                "n": list(rows["n"]),
            }
        )
        table["coverage"] = [
            selectors.share(s, e)
            for s, e in zip(table["submitted"], table["expected"], strict=True)
        ]
        links = [self.link(pk) for pk in rows["node_id"]]
        table["link"] = links
        return Panel(
            name=f"coverage-{group}",
            title=_("Responses expected, submitted and approved")
            + (" · " + _("ministries") if group == "sector" else ""),
            columns=[
                Column("area", _("Area")),
                Column("expected", _("Expected"), COUNT),
                Column("submitted", _("Submitted"), COUNT),
                Column("approved", _("Approved"), COUNT),
                Column("coverage", _("Submitted share"), SHARE),
                Column("n", _("Responses scored"), COUNT),
            ],
            table=table,
            figure=charts.to_json(charts.coverage(table)),
            links=links,
        )

    @cached_property
    def opportunities(self) -> pd.DataFrame:
        """Every (member area, pillar) with a gap that calls for action, highest priority first:
        area, pillar name, score, stage, target, gap, enabler_readiness, class, priority,
        recommendation (of its pillar and stage), link."""
        parts = [self.group_rows(name) for name in self.groups]
        rows = _concat(parts)
        rows = rows[rows["priority_class"].isin(ACTION_CLASSES) & rows["pillar"].ne(OVERALL)]
        advice = selectors.recommendations(self.round.version)
        table = pd.DataFrame(
            {
                "area": [self.nodes[pk].label for pk in rows["node_id"]],
                "pillar": [self.pillar_names.get(c, c) for c in rows["pillar"]],
                "score": list(rows["mean"]),
                "stage": [self._stage_label(v) for v in rows["mean"]],
                "target": list(rows["target"]),
                "gap": list(rows["gap"]),
                "enabler_readiness": list(rows["enabler_readiness"]),
                "class_code": list(rows["priority_class"]),
                "priority_class": [self._class_label(c) for c in rows["priority_class"]],
                "priority": list(rows["priority"]),
                "recommendation": [
                    advice.get((code, stage_for(mean)), "")
                    for code, mean in zip(rows["pillar"], rows["mean"], strict=True)
                ],
                "link": [self.link(pk) for pk in rows["node_id"]],
            }
        )
        return table.sort_values(
            ["priority", "gap", "area"], ascending=[False, False, True], ignore_index=True
        )

    def priority_panel(self) -> Panel | None:
        table = self.opportunities
        if table.empty:
            return None
        matrix = pd.DataFrame(
            {
                "label": table["area"] + " · " + table["pillar"],
                "enabler_readiness": table["enabler_readiness"],
                "gap": table["gap"],
                "priority_class": table["class_code"],
                "link": table["link"],
            }
        )
        class_names = {c.value: str(c.label) for c in PriorityClass if c.value}
        return Panel(
            name="opportunities",
            title=_("Priority matrix and ranked opportunities"),
            columns=[
                Column("area", _("Area")),
                Column("pillar", _("Pillar")),
                Column("score", _("Score (1-5)"), SCORE),
                Column("stage", _("Stage")),
                Column("gap", _("Gap"), SCORE),
                Column("enabler_readiness", _("Enabler readiness"), SCORE),
                Column("priority_class", _("Priority class")),
                Column("priority", _("Priority"), SCORE),
                Column("recommendation", _("Recommended action"), TEXT),
            ],
            table=table,
            figure=charts.to_json(charts.priority_matrix(matrix, class_names)),
            links=list(table["link"]),
            note=_(
                "Quick win: gap of at least 0.5 where enablers are ready (3 or more); build "
                "foundations: the same gap where enablers are not yet ready. Priority = gap × "
                "(enabler readiness − 1) / 4."
            ),
        )

    def gaps_panel(self) -> Panel | None:
        """The largest gaps to target among the area's members, largest first (every gap,
        on track included)."""
        parts = [self.group_rows(name) for name in self.groups]
        rows = _concat(parts)
        rows = rows[rows["gap"].gt(0) & rows["pillar"].ne(OVERALL)]
        if rows.empty:
            return None
        rows = rows.sort_values(["gap", "node_id"], ascending=[False, True])
        table = pd.DataFrame(
            {
                "area": [self.nodes[pk].label for pk in rows["node_id"]],
                "pillar": [self.pillar_names.get(c, c) for c in rows["pillar"]],
                "score": list(rows["mean"]),
                "target": list(rows["target"]),
                "gap": list(rows["gap"]),
                "n": list(rows["n"]),
            }
        )
        return Panel(
            name="gaps",
            title=_("Largest gaps to target"),
            columns=[
                Column("area", _("Area")),
                Column("pillar", _("Pillar")),
                Column("score", _("Score (1-5)"), SCORE),
                Column("target", _("Target"), SCORE),
                Column("gap", _("Gap"), SCORE),
                Column("n", _("Responses scored"), COUNT),
            ],
            table=table,
            links=[self.link(pk) for pk in rows["node_id"]],
        )

    def panels(self) -> list[Panel]:
        built = [self.pillar_panel(), self.stage_panel()]
        for group in self.groups:
            built.append(self.heatmap_panel(group))
        built += [self.priority_panel(), self.gaps_panel()]
        for group in self.groups:
            built.append(self.coverage_panel(group))
        return [panel for panel in built if panel is not None]
