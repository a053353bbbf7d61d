"""Chart builders: pure functions, DataFrame in, Plotly figure out. No ORM, no request.

A figure is Plotly's own JSON form, a plain dict {"data": [traces], "layout": {...}}: the
dashboards pass it through `json_script` to the locally served plotly.js bundle, the PDF reports
render the same dict to PNG with Kaleido (which takes dicts). Building plotly.graph_objects
instead validated every property and cost about half of a national dashboard's server time.

Labels come in as arguments or through gettext, so a figure is in the language active when it
is built (Lao by default). Scores are on the 1-5 scale; shares on 0-1 (shown as percentages).
Missing values stay missing (an empty cell, never 0).
"""

from __future__ import annotations

import math

import pandas as pd
from django.utils.translation import gettext as _

Figure = dict

FONT = "Noto Sans Lao, Noto Sans, system-ui, sans-serif"
# The priority classes' colours, also used by the page's legend badges.
CLASS_COLOURS = {
    "quick_win": "#198754",
    "build_foundations": "#d63384",
    "on_track": "#0d6efd",
}
STAGE_COLOURS = ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"]
SCORE_SCALE = [
    [0.0, "#d73027"],
    [0.25, "#fc8d59"],
    [0.5, "#fee08b"],
    [0.75, "#91cf60"],
    [1, "#1a9850"],
]
# Women's share: purple where women are few, white at parity, teal where men are few.
SHARE_SCALE = [[0.0, "#762a83"], [0.5, "#f7f7f7"], [1.0, "#1b7837"]]
PARITY_BAND = (0.97, 1.03)


def _figure(traces: list[dict], *, height: int, legend: bool = True, **layout) -> Figure:
    """A figure with the common layout; `layout` adds or overrides keys (xaxis, yaxis ...)."""
    xaxis = {"automargin": True, **layout.pop("xaxis", {})}
    yaxis = {"automargin": True, **layout.pop("yaxis", {})}
    return {
        "data": traces,
        "layout": {
            "font": {"family": FONT, "size": 13},
            "height": height,
            "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "showlegend": legend,
            # Above the plot: below it, the legend ran into the x axis title.
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
            "hoverlabel": {"font": {"family": FONT}},
            "xaxis": xaxis,
            "yaxis": yaxis,
            **layout,
        },
    }


def _nan_to_none(values) -> list:
    """Plain Python numbers, None for missing (JSON has no NaN; plotly.js leaves a gap)."""
    cleaned = []
    for value in values:
        if value is None or value is pd.NA:
            cleaned.append(None)
        elif isinstance(value, int | float) or hasattr(value, "item"):
            number = float(value)
            cleaned.append(None if math.isnan(number) else number)
        else:
            cleaned.append(value)
    return cleaned


def to_json(figure: Figure) -> dict:
    """The figure as JSON data for `json_script` (already plain data)."""
    return figure


def _hline(y: float) -> dict:
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": {"dash": "dot", "color": "#6c757d"},
    }


def _vline(x: float, dash: str = "dot", colour: str = "#6c757d") -> dict:
    return {
        "type": "line",
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "x0": x,
        "x1": x,
        "line": {"dash": dash, "color": colour},
    }


def pillar_scores(frame: pd.DataFrame) -> Figure:
    """Pillar scores against the round's targets.

    frame: name (pillar, in order), score (1-5 or NaN), target (1-5 or NaN)."""
    names = list(frame["name"])
    scores = _nan_to_none(frame["score"])
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": names,
        "x": scores,
        "name": _("Score"),
        "marker": {"color": "#0d6efd"},
        "text": [f"{v:.1f}" if v is not None else "" for v in scores],
        "textposition": "outside",
        "hovertemplate": "%{y}: %{x:.2f}<extra></extra>",
    }
    targets = {
        "type": "scatter",
        "mode": "markers",
        "y": names,
        "x": _nan_to_none(frame["target"]),
        "name": _("Target"),
        "marker": {"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": "#212529"}},
        "hovertemplate": "%{y}: " + _("target") + " %{x:.1f}<extra></extra>",
    }
    return _figure(
        [bars, targets],
        height=90 + 38 * len(names),
        xaxis={"range": [1, 5.4], "dtick": 1, "title": {"text": _("Score (1-5)")}},
        yaxis={"autorange": "reversed"},
    )


def stage_distribution(frame: pd.DataFrame, stage_names: dict[int, str]) -> Figure:
    """How many organisations are at each stage, per pillar (stacked bars).

    frame: name (pillar or overall, in order), stage (1-5), organisations (count)."""
    names = list(dict.fromkeys(frame["name"]))
    traces = []
    for stage in range(1, 6):
        counts = frame[frame["stage"].eq(stage)].set_index("name")["organisations"]
        label = f"{stage} · {stage_names.get(stage, '')}"
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": names,
                "x": [int(counts.get(name, 0)) for name in names],
                "name": label,
                "marker": {"color": STAGE_COLOURS[stage - 1]},
                "hovertemplate": "%{y}: %{x}<extra>" + label + "</extra>",
            }
        )
    return _figure(
        traces,
        height=140 + 34 * len(names),
        barmode="stack",
        xaxis={"title": {"text": _("Organisations")}},
        yaxis={"autorange": "reversed"},
    )


def heatmap(
    frame: pd.DataFrame, rows: list[str], columns: list[str], *, shares: bool = False
) -> Figure:
    """Areas x pillars: the mean score of each cell; an empty cell where there is no data.
    With `shares`, the cells are shares on 0-1 (e.g. women's share), shown as percentages on a
    scale centred on parity (0.5).

    frame: row (area name), column (pillar name), score (1-5, or 0-1 with shares, or NaN),
    link (URL or '')."""
    cells = {
        (row, column): (score, link)
        for row, column, score, link in zip(
            frame["row"], frame["column"], _nan_to_none(frame["score"]), frame["link"], strict=True
        )
    }
    z = [[cells.get((row, column), (None, ""))[0] for column in columns] for row in rows]
    links = [[cells.get((row, column), (None, ""))[1] or "" for column in columns] for row in rows]
    shown = "{:.0%}" if shares else "{:.1f}"
    trace = {
        "type": "heatmap",
        "z": z,
        "x": columns,
        "y": rows,
        "text": [[shown.format(v) if v is not None else "" for v in line] for line in z],
        "texttemplate": "%{text}",
        "customdata": links,
        "zmin": 0 if shares else 1,
        "zmax": 1 if shares else 5,
        "colorscale": SHARE_SCALE if shares else SCORE_SCALE,
        "xgap": 2,
        "ygap": 2,
        "colorbar": {
            "title": {"text": _("Women's share") if shares else _("Score")},
            "thickness": 12,
            **({"tickformat": ".0%"} if shares else {}),
        },
        "hovertemplate": "%{y} · %{x}: %{text}<extra></extra>",
        "hoverongaps": False,
    }
    return _figure(
        [trace],
        height=150 + 26 * len(rows),
        legend=False,
        xaxis={"side": "top", "tickangle": -30},
        yaxis={"autorange": "reversed"},
    )


def priority_matrix(frame: pd.DataFrame, class_names: dict[str, str]) -> Figure:
    """Gap against enabler readiness, one point per (area or organisation, pillar), coloured by
    priority class; the dotted lines mark the method's thresholds (gap 0.5, enablers 3).

    frame: label (area · pillar), enabler_readiness (1-5), gap (>= 0), priority_class, link."""
    traces = []
    for code, colour in CLASS_COLOURS.items():
        part = frame[frame["priority_class"].eq(code)]
        if part.empty:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": _nan_to_none(part["enabler_readiness"]),
                "y": _nan_to_none(part["gap"]),
                "name": class_names.get(code, code),
                "marker": {"color": colour, "size": 10, "opacity": 0.8},
                "text": list(part["label"]),
                "customdata": list(part["link"]),
                "hovertemplate": "%{text}<br>"
                + _("gap")
                + " %{y:.2f} · "
                + _("enablers")
                + " %{x:.2f}<extra></extra>",
            }
        )
    return _figure(
        traces,
        height=380,
        shapes=[_hline(0.5), _vline(3)],
        xaxis={"range": [1, 5], "title": {"text": _("Enabler readiness (1-5)")}},
        yaxis={"rangemode": "tozero", "title": {"text": _("Gap to target")}},
    )


def coverage(frame: pd.DataFrame) -> Figure:
    """Responses expected, submitted and approved by area (shares of expected).

    frame: area, expected, submitted, approved (counts), link."""
    areas = list(frame["area"])
    expected = frame["expected"].astype(float).replace(0, float("nan"))
    approved = frame["approved"].astype(float) / expected
    pending = (frame["submitted"].astype(float) - frame["approved"].astype(float)) / expected
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "y": areas,
            "x": _nan_to_none(values),
            "name": name,
            "marker": {"color": colour},
            "customdata": list(frame["link"]),
            "hovertemplate": "%{y}: %{x:.0%}<extra></extra>",
        }
        for values, name, colour in (
            (approved, _("Approved"), "#198754"),
            (pending, _("Submitted, not yet approved"), "#6ea8fe"),
        )
    ]
    return _figure(
        traces,
        height=120 + 24 * len(areas),
        barmode="stack",
        xaxis={
            "range": [0, 1],
            "tickformat": ".0%",
            "title": {"text": _("Share of expected responses")},
        },
        yaxis={"autorange": "reversed"},
    )


def female_shares(frame: pd.DataFrame) -> Figure:
    """Women's share of each gender role, by area (grouped bars, 0-1 shown as %).

    frame: area, role (name), female_share (0-1 or NaN)."""
    traces = []
    for role in dict.fromkeys(frame["role"]):
        part = frame[frame["role"].eq(role)]
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": list(part["area"]),
                "x": _nan_to_none(part["female_share"]),
                "name": role,
                "hovertemplate": "%{y} · " + role + ": %{x:.0%}<extra></extra>",
            }
        )
    areas = frame["area"].nunique()
    return _figure(
        traces,
        height=140 + 16 * areas * max(1, frame["role"].nunique()),
        barmode="group",
        shapes=[_vline(0.5)],
        xaxis={"range": [0, 1], "tickformat": ".0%", "title": {"text": _("Women's share")}},
        yaxis={"autorange": "reversed"},
    )


def parity(frame: pd.DataFrame) -> Figure:
    """Parity index by area and gender role, with the parity band 0.97-1.03 shaded.

    frame: area, role (name), parity_index (> 0 or NaN)."""
    traces = []
    for role in dict.fromkeys(frame["role"]):
        part = frame[frame["role"].eq(role)]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "y": list(part["area"]),
                "x": _nan_to_none(part["parity_index"]),
                "name": role,
                "marker": {"size": 10},
                "hovertemplate": "%{y} · " + role + ": %{x:.2f}<extra></extra>",
            }
        )
    band = {
        "type": "rect",
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "x0": PARITY_BAND[0],
        "x1": PARITY_BAND[1],
        "fillcolor": "#198754",
        "opacity": 0.15,
        "line": {"width": 0},
    }
    return _figure(
        traces,
        height=140 + 26 * frame["area"].nunique(),
        shapes=[band],
        xaxis={"title": {"text": _("Parity index (1 = parity)")}},
        yaxis={"autorange": "reversed"},
    )


def sex_scores(frame: pd.DataFrame) -> Figure:
    """Individual questionnaires: women's and men's mean scores side by side, per pillar.

    frame: name (pillar), women_mean, men_mean (1-5 or NaN)."""
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "y": list(frame["name"]),
            "x": _nan_to_none(frame[column]),
            "name": name,
            "marker": {"color": colour},
        }
        for column, name, colour in (
            ("women_mean", _("Women"), "#d63384"),
            ("men_mean", _("Men"), "#0d6efd"),
        )
    ]
    return _figure(
        traces,
        height=120 + 44 * len(frame),
        barmode="group",
        xaxis={"range": [1, 5], "title": {"text": _("Score (1-5)")}},
        yaxis={"autorange": "reversed"},
    )


def progress(frame: pd.DataFrame) -> Figure:
    """Change of the mean score per pillar since the baseline round.

    frame: name (pillar or overall), baseline, current (1-5 or NaN)."""
    change = _nan_to_none(frame["current"].astype(float) - frame["baseline"].astype(float))
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": list(frame["name"]),
        "x": change,
        "marker": {"color": ["#198754" if (v or 0) >= 0 else "#dc3545" for v in change]},
        "text": [f"{v:+.2f}" if v is not None else "" for v in change],
        "textposition": "outside",
        "hovertemplate": "%{y}: %{x:+.2f}<extra></extra>",
    }
    return _figure(
        [trace],
        height=90 + 38 * len(frame),
        legend=False,
        shapes=[_vline(0, dash="solid", colour="#212529")],
        xaxis={"title": {"text": _("Change since the baseline round")}},
        yaxis={"autorange": "reversed"},
    )


def peers(frame: pd.DataFrame, groups: list[str]) -> Figure:
    """An organisation's pillar scores beside its peers' means (grouped bars, one per group).

    frame: name (pillar), then one column per group label in `groups` (1-5 or NaN); the first
    group is the organisation itself."""
    colours = ["#0d6efd", "#adb5bd", "#6c757d", "#ced4da", "#495057"]
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "y": list(frame["name"]),
            "x": _nan_to_none(frame[group]),
            "name": group,
            "marker": {"color": colours[index % len(colours)]},
            "hovertemplate": "%{y} · " + group + ": %{x:.2f}<extra></extra>",
        }
        for index, group in enumerate(groups)
    ]
    return _figure(
        traces,
        height=120 + 18 * len(frame) * max(1, len(groups)),
        barmode="group",
        xaxis={"range": [1, 5], "title": {"text": _("Score (1-5)")}},
        yaxis={"autorange": "reversed"},
    )
