"""The content of the PDF reports and of the master-plan input (PDF and Word), read from the
precomputed results through the dashboards' selectors, with charts from the dashboards' figure
builders. Everything is in the export's language (the caller activates it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organisations.models import Organisation
from readiness.i18n import pick
from reports.anonymity import FEWER_THAN, sexes_withheld
from reports.dashboards import charts, selectors
from reports.exports.errors import BuildError
from reports.exports.spec import ExportSpec
from reports.exports.tables import gender_role_labels
from reports.models import OVERALL, ExportWhat, PriorityClass, RoundScoring
from reports.scoring.engine import stage_for

NO_FILTER = selectors.Filters()
TOP_OPPORTUNITIES = 20  # ranked rows printed; the full list is the workbook's "Results by area"
LARGEST_GAPS = 5
# Areas per chart image, so that an image fits on an A4 page with its heading.
HEATMAP_ROWS = 32
GENDER_AREAS = 12
GENDER_CHART_AREAS = 24


def number(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"


def percent(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    return f"{100 * value:.0f}%"


@dataclass
class Context:
    """What every document of a round and area reads once."""

    spec: ExportSpec
    pillars: pd.DataFrame = field(init=False)
    stage_names: dict[int, str] = field(init=False)
    class_names: dict[str, str] = field(init=False)
    advice: dict[tuple[str, int], str] = field(init=False)

    def __post_init__(self) -> None:
        version = self.spec.round.version
        self.pillars = selectors.pillars_frame(version)
        self.stage_names = selectors.stage_names(version)
        self.class_names = {c.value: str(c.label) for c in PriorityClass if c.value}
        self.advice = selectors.recommendations(version)

    @property
    def pillar_names(self) -> dict[str, str]:
        return {
            OVERALL: _("Overall readiness"),
            **dict(zip(self.pillars["pillar"], self.pillars["name"], strict=True)),
        }

    def stage_label(self, score) -> str:
        stage = stage_for(None if score is None or pd.isna(score) else float(score))
        return f"{stage} · {self.stage_names.get(stage, '')}" if stage else "–"

    def header(self, title: str) -> dict:
        scoring = RoundScoring.objects.filter(round=self.spec.round).first()
        computed = scoring.computed_at if scoring else None
        return {
            "title": title,
            "round": pick(self.spec.round.name),
            "area": pick(self.spec.area.name),
            "area_code": self.spec.area.code,
            "computed_at": date_format(timezone.localtime(computed), "DATETIME_FORMAT")
            if computed
            else "–",
            "printed_on": date_format(timezone.localdate(), "DATE_FORMAT"),
            "language": self.spec.language,
        }


def _frame_by_pillar(frame: pd.DataFrame) -> dict[str, dict]:
    return {row["pillar"]: row for row in frame.to_dict("records")}


def pillar_rows(ctx: Context, frame: pd.DataFrame, score_column: str = "mean") -> list[dict]:
    """The overall row then one row per pillar: score, stage, target, gap, priority class."""
    by_pillar = _frame_by_pillar(frame)
    rows = []
    for code in [OVERALL, *ctx.pillars["pillar"]]:
        row = by_pillar.get(code)
        if row is None:
            continue
        score = row.get(score_column)
        rows.append(
            {
                "code": code,
                "name": ctx.pillar_names.get(code, code),
                # An individual questionnaire's area of too few respondents (reports.anonymity)
                "score": str(FEWER_THAN) if row.get("withheld") else number(score),
                "raw_score": score,
                "stage": ctx.stage_label(score),
                "target": number(row.get("target")),
                "gap": number(row.get("gap")),
                "raw_gap": row.get("gap"),
                "priority_class": ctx.class_names.get(row.get("priority_class") or "", ""),
                "is_overall": code == OVERALL,
            }
        )
    return rows


def _require_results(frame: pd.DataFrame, spec: ExportSpec) -> None:
    if frame.empty:
        raise BuildError(
            _("%(area)s has no scored response in this round: there is nothing to report.")
            % {"area": pick(spec.area.name)}
        )


def _score_chart(ctx: Context, rows: list[dict]) -> str:
    from reports.exports.pdf import chart_png

    frame = pd.DataFrame(
        [
            {"name": row["name"], "score": row["raw_score"], "target": _target(row), "link": ""}
            for row in rows
        ]
    )
    return chart_png(charts.pillar_scores(frame))


def _target(row: dict) -> float:
    try:
        return float(row["target"])
    except ValueError:
        return np.nan


# --- groups of an area (provinces and ministries of the nation, children of other nodes) ----


def group_frames(ctx: Context) -> list[tuple[str, pd.DataFrame, dict[int, Organisation]]]:
    spec = ctx.spec
    result = []
    for name, nodes in selectors.area_groups(spec.area, NO_FILTER).items():
        if not nodes:
            continue
        # Ministries are read on the sector axis, every other node on the tree axis.
        axis = selectors.axis_of(nodes[0])
        frame = selectors.area_results(spec.round, nodes, axis)
        if not frame.empty:
            result.append((name, frame, {node.pk: node for node in nodes}))
    return result


def group_title(name: str) -> str:
    return {"tree": _("By area"), "sector": _("By ministry")}.get(name, name)


def heatmap_section(ctx: Context, name: str, frame, nodes) -> dict:
    from reports.exports.pdf import chart_png

    columns = [ctx.pillar_names[code] for code in ctx.pillars["pillar"]]
    rows = [nodes[node_id].label for node_id in dict.fromkeys(frame["node_id"])]
    cells = pd.DataFrame(
        {
            "row": frame["node_id"].map(lambda node_id: nodes[node_id].label),
            "column": frame["pillar"].map(ctx.pillar_names),
            "score": frame["mean"],
            "link": "",
        }
    ).dropna(subset=["column"])
    cells = cells[cells["column"].isin(columns)]
    # A district's villages would make one image taller than a page: one image per slice.
    images = [
        chart_png(charts.heatmap(cells[cells["row"].isin(part)], part, columns))
        for part in chunks(rows, HEATMAP_ROWS)
    ]
    return {"title": group_title(name), "charts": images}


def chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def coverage_rows(frame: pd.DataFrame, nodes: dict) -> list[dict]:
    overall = frame[frame["pillar"].eq(OVERALL)]
    rows = []
    for row in overall.to_dict("records"):
        expected = row["expected"]
        rows.append(
            {
                "area": nodes[row["node_id"]].label,
                "expected": int(expected),
                "submitted": int(row["submitted"]),
                "approved": int(row["approved"]),
                "share": percent(row["submitted"] / expected if expected else np.nan),
                "raw": (row["submitted"] / expected) if expected else np.nan,
            }
        )
    return rows


def opportunities(ctx: Context, groups) -> tuple[list[dict], int]:
    """(area, pillar) pairs with a gap, by priority (gap x enabler readiness) then gap."""
    rows = []
    for _name, frame, nodes in groups:
        part = frame[~frame["pillar"].eq(OVERALL) & frame["gap"].gt(0)]
        for row in part.to_dict("records"):
            stage = stage_for(row["mean"])
            rows.append(
                {
                    "area": nodes[row["node_id"]].label,
                    "pillar": ctx.pillar_names.get(row["pillar"], row["pillar"]),
                    "score": number(row["mean"]),
                    "gap": number(row["gap"]),
                    "raw_gap": row["gap"],
                    "enablers": number(row["enabler_readiness"]),
                    "priority": row["priority"] if pd.notna(row["priority"]) else -1,
                    "class": ctx.class_names.get(row["priority_class"] or "", ""),
                    "class_code": row["priority_class"],
                    "action": ctx.advice.get((row["pillar"], stage), "") if stage else "",
                }
            )
    rows.sort(key=lambda row: (-row["priority"], -row["raw_gap"]))
    return rows, len(rows)


def matrix_chart(ctx: Context, groups) -> str | None:
    from reports.exports.pdf import chart_png

    points = []
    for _name, frame, nodes in groups:
        part = frame[~frame["pillar"].eq(OVERALL) & frame["gap"].notna()]
        for row in part.to_dict("records"):
            pillar = ctx.pillar_names.get(row["pillar"])
            points.append(
                {
                    "label": f"{nodes[row['node_id']].label} · {pillar}",
                    "enabler_readiness": row["enabler_readiness"],
                    "gap": row["gap"],
                    "priority_class": row["priority_class"],
                    "link": "",
                }
            )
    if not points:
        return None
    return chart_png(charts.priority_matrix(pd.DataFrame(points), ctx.class_names))


def gender_section(ctx: Context, groups) -> dict | None:
    from reports.exports.pdf import chart_png

    spec = ctx.spec
    own = selectors.gender_rows(spec.round, [spec.area], selectors.axis_of(spec.area))
    if own.empty:
        return None
    roles = gender_role_labels(spec)
    rows = [
        {
            "role": roles.get(row["gender_role"], row["gender_role"]),
            "women": number(row["women"], 0),
            "men": number(row["men"], 0),
            "total": number(row["women"] + row["men"], 0),
            "share": percent(row["female_share"]),
            "parity": number(row["parity_index"], 2),
        }
        for row in own.to_dict("records")
    ]
    chart, too_many = [], 0
    tree = next((g for g in groups if g[0] == "tree"), None)
    if tree is not None:
        nodes = tree[2]
        shares = selectors.gender_rows(spec.round, list(nodes.values()), "tree")
        shares = shares[shares["gender_role"].ne("staff")]
        if not shares.empty:
            frame = pd.DataFrame(
                {
                    "area": shares["node_id"].map(lambda node_id: nodes[node_id].label),
                    "role": shares["gender_role"].map(lambda r: roles.get(r, r)),
                    "female_share": shares["female_share"],
                }
            )
            areas = list(dict.fromkeys(frame["area"]))
            # A bar per area and role: beyond a province's districts (a district's villages)
            # the chart would fill pages; the workbook's gender sheet has every area.
            if len(areas) <= GENDER_CHART_AREAS:
                chart = [
                    chart_png(charts.female_shares(frame[frame["area"].isin(part)]))
                    for part in chunks(areas, GENDER_AREAS)
                ]
            else:
                too_many = len(areas)
    return {"rows": rows, "chart": chart, "too_many": too_many}


def sex_score_section(ctx: Context) -> dict | None:
    """Individual questionnaires: mean pillar scores of women and men respondents of the area
    (the scoring leaves a mean out for a group under the minimum number of respondents)."""
    from reports.exports.pdf import chart_png

    spec = ctx.spec
    rows = selectors.sex_score_rows(spec.round, [spec.area], selectors.axis_of(spec.area))
    if rows.empty:
        return None
    by_pillar = _frame_by_pillar(rows)
    codes = [code for code in [OVERALL, *ctx.pillars["pillar"]] if code in by_pillar]
    table = [
        {
            "name": ctx.pillar_names.get(code, code),
            "women_n": int(by_pillar[code]["women_n"]),
            "men_n": int(by_pillar[code]["men_n"]),
            "women": _group_mean(by_pillar[code], "women"),
            "men": _group_mean(by_pillar[code], "men"),
            "gap": number(by_pillar[code]["gap"]),
        }
        for code in codes
    ]
    frame = pd.DataFrame(
        {
            "name": [ctx.pillar_names.get(code, code) for code in codes],
            "women_mean": [by_pillar[code]["women_mean"] for code in codes],
            "men_mean": [by_pillar[code]["men_mean"] for code in codes],
        }
    )
    return {"rows": table, "chart": chart_png(charts.sex_scores(frame))}


def _group_mean(row: dict, sex: str) -> str:
    """A sex's mean score, or "fewer than 5 responses" when either sex has too few respondents
    (reports.anonymity.sexes_withheld)."""
    if sexes_withheld(row["women_n"], row["men_n"]):
        return str(FEWER_THAN)
    return number(row[f"{sex}_mean"])


def stage_chart(ctx: Context) -> str | None:
    from reports.exports.pdf import chart_png

    counts = selectors.stage_distribution(ctx.spec.round, ctx.spec.area, NO_FILTER)
    if counts.empty:
        return None
    counts["name"] = counts["pillar"].map(ctx.pillar_names)
    order = {name: index for index, name in enumerate(ctx.pillar_names.values())}
    counts = counts.dropna(subset=["name"]).sort_values(by="name", key=lambda s: s.map(order))
    return chart_png(charts.stage_distribution(counts, ctx.stage_names))


def method_annex(ctx: Context) -> dict:
    return {
        "stages": [(stage, name) for stage, name in sorted(ctx.stage_names.items())],
        "enablers": [
            name
            for name, enabler in zip(ctx.pillars["name"], ctx.pillars["is_enabler"], strict=True)
            if enabler
        ],
    }


# --- the three documents ---------------------------------------------------------------------


def report_context(spec: ExportSpec, progress) -> dict:
    ctx = Context(spec)
    own = selectors.area_results(spec.round, [spec.area], selectors.axis_of(spec.area))
    _require_results(own, spec)
    rows = pillar_rows(ctx, own)
    overall = _frame_by_pillar(own).get(OVERALL, {})
    progress(0.15, _("Drawing the charts"), force=True)
    groups = group_frames(ctx)
    ranked, total = opportunities(ctx, groups)
    title = (
        _("National digital readiness report")
        if spec.area.is_root()
        else _("Digital readiness report: %(area)s") % {"area": pick(spec.area.name)}
    )
    context = {
        "doc": ctx.header(title),
        "overall": {
            "score": number(overall.get("mean")),
            "stage": ctx.stage_label(overall.get("mean")),
            "expected": int(overall.get("expected") or 0),
            "submitted": int(overall.get("submitted") or 0),
            "approved": int(overall.get("approved") or 0),
            "n": int(overall.get("n") or 0),
            "coverage": percent(
                overall["submitted"] / overall["expected"] if overall.get("expected") else np.nan
            ),
            "dont_know": percent(overall.get("dont_know_share")),
            # An individual questionnaire's responses are staff, not the organisations the
            # round expects: their count is not a share of the expected.
            "individual": spec.round.version.questionnaire.respondent_type == "individual",
        },
        "pillars": rows,
        "score_chart": _score_chart(ctx, rows),
        "stage_chart": stage_chart(ctx),
    }
    progress(0.45, _("Drawing the charts"), force=True)
    context["heatmaps"] = [
        heatmap_section(ctx, name, frame, nodes) for name, frame, nodes in groups
    ]
    context["coverage"] = [
        {"title": group_title(name), "rows": coverage_rows(frame, nodes)}
        for name, frame, nodes in groups
    ]
    progress(0.65, _("Drawing the charts"), force=True)
    context["gender"] = gender_section(ctx, groups)
    context["sex_scores"] = sex_score_section(ctx)
    context["matrix_chart"] = matrix_chart(ctx, groups)
    context["opportunities"] = ranked[:TOP_OPPORTUNITIES]
    context["opportunities_total"] = total
    context["method"] = method_annex(ctx)
    return context


def scorecard_context(spec: ExportSpec, progress) -> dict:
    ctx = Context(spec)
    scores = selectors.organisation_scores(spec.round, spec.area)
    _require_results(scores, spec)
    rows = pillar_rows(ctx, scores, score_column="score")
    by_pillar = _frame_by_pillar(scores)
    peers = _frame_by_pillar(selectors.kind_means(spec.round, spec.area.kind))
    for row in rows:
        stored = by_pillar[row["code"]]
        stage = stage_for(row["raw_score"] if pd.notna(row["raw_score"]) else None)
        row["action"] = ctx.advice.get((row["code"], stage), "") if stage else ""
        row["peers"] = number(peers.get(row["code"], {}).get("mean"))
        row["answered"] = int(stored["answered"])
        row["dont_know"] = int(stored["dont_know"])
    progress(0.4, _("Drawing the charts"), force=True)
    return {
        "doc": ctx.header(
            _("Digital readiness scorecard: %(organisation)s")
            % {"organisation": pick(spec.area.name)}
        ),
        "kind": spec.area.get_kind_display(),
        "pillars": rows,
        "overall": rows[0] if rows and rows[0]["is_overall"] else None,
        "score_chart": _score_chart(ctx, rows),
        "method": method_annex(ctx),
    }


def masterplan_context(spec: ExportSpec, progress) -> dict:
    """By pillar: the area's gap, where it is largest, the quick wins and the foundations to
    build (the areas in each class) and the recommended actions by stage."""
    ctx = Context(spec)
    own = selectors.area_results(spec.round, [spec.area], selectors.axis_of(spec.area))
    _require_results(own, spec)
    groups = group_frames(ctx)
    by_pillar = _frame_by_pillar(own)
    sections = []
    for code in ctx.pillars["pillar"]:
        row = by_pillar.get(code)
        if row is None:
            continue
        sections.append(_masterplan_pillar(ctx, code, row, groups))
    sections.sort(key=lambda s: -(s["raw_gap"] if pd.notna(s["raw_gap"]) else -1))
    progress(0.5, _("Writing the document"), force=True)
    title = (
        _("Input to the National Digital Government Master Plan")
        if spec.area.is_root()
        else _("Master-plan input: %(area)s") % {"area": pick(spec.area.name)}
    )
    return {
        "doc": ctx.header(title),
        "summary": pillar_rows(ctx, own),
        "sections": sections,
        "method": method_annex(ctx),
    }


def _masterplan_pillar(ctx: Context, code: str, row: dict, groups) -> dict:
    members = []
    for _name, frame, nodes in groups:
        part = frame[frame["pillar"].eq(code)]
        for record in part.to_dict("records"):
            members.append({**record, "area": nodes[record["node_id"]].label})
    with_gap = sorted(
        (m for m in members if pd.notna(m["gap"]) and m["gap"] > 0), key=lambda m: -m["gap"]
    )
    stage = stage_for(row["mean"] if pd.notna(row["mean"]) else None)
    by_stage: dict[int, list[str]] = {}
    for member in with_gap:
        member_stage = stage_for(member["mean"] if pd.notna(member["mean"]) else None)
        if member_stage:
            by_stage.setdefault(member_stage, []).append(member["area"])
    return {
        "code": code,
        "name": ctx.pillar_names[code],
        "score": number(row["mean"]),
        "stage": ctx.stage_label(row["mean"]),
        "target": number(row["target"]),
        "gap": number(row["gap"]),
        "raw_gap": row["gap"],
        "enablers": number(row["enabler_readiness"]),
        "class": ctx.class_names.get(row["priority_class"] or "", ""),
        "action": ctx.advice.get((code, stage), "") if stage else "",
        "largest": [
            {"area": m["area"], "score": number(m["mean"]), "gap": number(m["gap"])}
            for m in with_gap[:LARGEST_GAPS]
        ],
        "quick_wins": [m["area"] for m in with_gap if m["priority_class"] == "quick_win"],
        "foundations": [m["area"] for m in with_gap if m["priority_class"] == "build_foundations"],
        "actions": [
            {
                "stage": ctx.stage_label(float(s)),
                "areas": names,
                "action": ctx.advice.get((code, s), ""),
            }
            for s, names in sorted(by_stage.items())
        ],
    }


TEMPLATES = {
    ExportWhat.REPORT: ("reports/exports/pdf/report.html", report_context),
    ExportWhat.SCORECARD: ("reports/exports/pdf/scorecard.html", scorecard_context),
    ExportWhat.MASTERPLAN: ("reports/exports/pdf/masterplan.html", masterplan_context),
}


def write_pdf(spec: ExportSpec, path: Path, progress) -> int:
    from reports.exports.pdf import render_pdf

    template, build_context = TEMPLATES[spec.what]
    context = build_context(spec, progress)
    progress(0.8, _("Laying out the pages"), force=True)
    return render_pdf(template, context, path)


def write_docx(spec: ExportSpec, path: Path, progress) -> int:
    from reports.exports.docx import write_masterplan

    context = masterplan_context(spec, progress)
    return write_masterplan(context, path)
