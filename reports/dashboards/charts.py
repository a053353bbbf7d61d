"""Chart builders: pure functions, DataFrame in, Plotly figure out. No ORM, no request.

The dashboards pass the figures as JSON to the locally served plotly.js bundle; the PDF reports
render the same figures to PNG with Kaleido. Labels come in as arguments or through gettext, so a
figure is in the language active when it is built (Lao by default). Scores are on the 1-5 scale;
shares on 0-1 (shown as percentages). Missing values stay missing (an empty cell, never 0).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from django.utils.translation import gettext as _

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
PARITY_BAND = (0.97, 1.03)


def _layout(figure: go.Figure, *, height: int, legend: bool = True) -> go.Figure:
    figure.update_layout(
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    figure.update_yaxes(automargin=True)
    figure.update_xaxes(automargin=True)
    return figure


def _nan_to_none(values) -> list:
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in values]


def to_json(figure: go.Figure) -> dict:
    """The figure as plain JSON data for `json_script` (numpy arrays become lists)."""
    return json.loads(pio.to_json(figure, validate=False))


def pillar_scores(frame: pd.DataFrame) -> go.Figure:
    """Pillar scores against the round's targets.

    frame: name (pillar, in order), score (1-5 or NaN), target (1-5 or NaN), link (URL or '')."""
    names = list(frame["name"])
    figure = go.Figure()
    figure.add_bar(
        y=names,
        x=_nan_to_none(frame["score"]),
        orientation="h",
        name=_("Score"),
        marker_color="#0d6efd",
        text=[f"{v:.1f}" if pd.notna(v) else "" for v in frame["score"]],
        textposition="outside",
        hovertemplate="%{y}: %{x:.2f}<extra></extra>",
    )
    figure.add_scatter(
        y=names,
        x=_nan_to_none(frame["target"]),
        mode="markers",
        name=_("Target"),
        marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": "#212529"}},
        hovertemplate="%{y}: " + _("target") + " %{x:.1f}<extra></extra>",
    )
    figure.update_xaxes(range=[1, 5.4], dtick=1, title_text=_("Score (1-5)"))
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, height=90 + 38 * len(names))


def stage_distribution(frame: pd.DataFrame, stage_names: dict[int, str]) -> go.Figure:
    """How many organisations are at each stage, per pillar (stacked bars).

    frame: name (pillar or overall, in order), stage (1-5), organisations (count)."""
    names = list(dict.fromkeys(frame["name"]))
    figure = go.Figure()
    for stage in range(1, 6):
        counts = frame[frame["stage"].eq(stage)].set_index("name")["organisations"]
        figure.add_bar(
            y=names,
            x=[int(counts.get(name, 0)) for name in names],
            orientation="h",
            name=f"{stage} · {stage_names.get(stage, '')}",
            marker_color=STAGE_COLOURS[stage - 1],
            hovertemplate="%{y}: %{x}<extra>" + f"{stage} · {stage_names.get(stage, '')}</extra>",
        )
    figure.update_layout(barmode="stack")
    figure.update_xaxes(title_text=_("Organisations"))
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, height=140 + 34 * len(names))


def heatmap(frame: pd.DataFrame, rows: list[str], columns: list[str]) -> go.Figure:
    """Areas x pillars: the mean score of each cell; an empty cell where there is no data.

    frame: row (area name), column (pillar name), score (1-5 or NaN), link (URL or '')."""
    cells = frame.set_index(["row", "column"])
    z, text, links = [], [], []
    for row in rows:
        z.append([_cell(cells, row, column, "score") for column in columns])
        text.append([f"{v:.1f}" if v is not None else "" for v in z[-1]])
        links.append([_cell(cells, row, column, "link") or "" for column in columns])
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=rows,
            text=text,
            texttemplate="%{text}",
            customdata=links,
            zmin=1,
            zmax=5,
            colorscale=SCORE_SCALE,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": _("Score")}, "thickness": 12},
            hovertemplate="%{y} · %{x}: %{z:.2f}<extra></extra>",
            hoverongaps=False,
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(side="top", tickangle=-30)
    return _layout(figure, height=150 + 26 * len(rows), legend=False)


def _cell(cells: pd.DataFrame, row: str, column: str, field: str):
    try:
        value = cells.at[(row, column), field]
    except KeyError:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def priority_matrix(frame: pd.DataFrame, class_names: dict[str, str]) -> go.Figure:
    """Gap against enabler readiness, one point per (area or organisation, pillar), coloured by
    priority class; the lines mark the method's thresholds (gap 0.5, enablers 3).

    frame: label (area · pillar), enabler_readiness (1-5), gap (>= 0), priority_class, link."""
    figure = go.Figure()
    for code, colour in CLASS_COLOURS.items():
        part = frame[frame["priority_class"].eq(code)]
        if part.empty:
            continue
        figure.add_scatter(
            x=list(part["enabler_readiness"]),
            y=list(part["gap"]),
            mode="markers",
            name=class_names.get(code, code),
            marker={"color": colour, "size": 10, "opacity": 0.8},
            text=list(part["label"]),
            customdata=list(part["link"]),
            hovertemplate="%{text}<br>"
            + _("gap")
            + " %{y:.2f} · "
            + _("enablers")
            + " %{x:.2f}<extra></extra>",
        )
    figure.add_hline(y=0.5, line_dash="dot", line_color="#6c757d")
    figure.add_vline(x=3, line_dash="dot", line_color="#6c757d")
    figure.update_xaxes(range=[1, 5], title_text=_("Enabler readiness (1-5)"))
    figure.update_yaxes(rangemode="tozero", title_text=_("Gap to target"))
    return _layout(figure, height=380)


def coverage(frame: pd.DataFrame) -> go.Figure:
    """Responses expected, submitted and approved by area (shares of expected).

    frame: area, expected, submitted, approved (counts), link."""
    areas = list(frame["area"])
    expected = frame["expected"].replace(0, np.nan)
    figure = go.Figure()
    figure.add_bar(
        y=areas,
        x=_nan_to_none(list(frame["approved"] / expected)),
        orientation="h",
        name=_("Approved"),
        marker_color="#198754",
        customdata=list(frame["link"]),
        hovertemplate="%{y}: %{x:.0%}<extra></extra>",
    )
    figure.add_bar(
        y=areas,
        x=_nan_to_none(list((frame["submitted"] - frame["approved"]) / expected)),
        orientation="h",
        name=_("Submitted, not yet approved"),
        marker_color="#6ea8fe",
        customdata=list(frame["link"]),
        hovertemplate="%{y}: %{x:.0%}<extra></extra>",
    )
    figure.update_layout(barmode="stack")
    figure.update_xaxes(range=[0, 1], tickformat=".0%", title_text=_("Share of expected responses"))
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, height=120 + 24 * len(areas))


def female_shares(frame: pd.DataFrame) -> go.Figure:
    """Women's share of each gender role, by area (grouped bars, 0-1 shown as %).

    frame: area, role (name), female_share (0-1 or NaN)."""
    figure = go.Figure()
    for role in dict.fromkeys(frame["role"]):
        part = frame[frame["role"].eq(role)]
        figure.add_bar(
            y=list(part["area"]),
            x=_nan_to_none(list(part["female_share"])),
            orientation="h",
            name=role,
            hovertemplate="%{y} · " + role + ": %{x:.0%}<extra></extra>",
        )
    figure.add_vline(x=0.5, line_dash="dot", line_color="#6c757d")
    figure.update_layout(barmode="group")
    figure.update_xaxes(range=[0, 1], tickformat=".0%", title_text=_("Women's share"))
    figure.update_yaxes(autorange="reversed")
    areas = frame["area"].nunique()
    return _layout(figure, height=140 + 16 * areas * max(1, frame["role"].nunique()))


def parity(frame: pd.DataFrame) -> go.Figure:
    """Parity index by area and gender role, with the parity band 0.97-1.03 shaded.

    frame: area, role (name), parity_index (> 0 or NaN)."""
    figure = go.Figure()
    for role in dict.fromkeys(frame["role"]):
        part = frame[frame["role"].eq(role)]
        figure.add_scatter(
            y=list(part["area"]),
            x=_nan_to_none(list(part["parity_index"])),
            mode="markers",
            name=role,
            marker={"size": 10},
            hovertemplate="%{y} · " + role + ": %{x:.2f}<extra></extra>",
        )
    figure.add_vrect(
        x0=PARITY_BAND[0], x1=PARITY_BAND[1], fillcolor="#198754", opacity=0.15, line_width=0
    )
    figure.update_xaxes(title_text=_("Parity index (1 = parity)"))
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, height=140 + 26 * frame["area"].nunique())


def sex_scores(frame: pd.DataFrame) -> go.Figure:
    """Individual questionnaires: women's and men's mean scores side by side, per pillar.

    frame: name (pillar), women_mean, men_mean (1-5 or NaN)."""
    figure = go.Figure()
    figure.add_bar(
        y=list(frame["name"]),
        x=_nan_to_none(list(frame["women_mean"])),
        orientation="h",
        name=_("Women"),
        marker_color="#d63384",
    )
    figure.add_bar(
        y=list(frame["name"]),
        x=_nan_to_none(list(frame["men_mean"])),
        orientation="h",
        name=_("Men"),
        marker_color="#0d6efd",
    )
    figure.update_layout(barmode="group")
    figure.update_xaxes(range=[1, 5], title_text=_("Score (1-5)"))
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, height=120 + 44 * len(frame))


def progress(frame: pd.DataFrame) -> go.Figure:
    """Change of the mean score per pillar since the baseline round.

    frame: name (pillar or overall), baseline, current (1-5 or NaN)."""
    change = frame["current"] - frame["baseline"]
    figure = go.Figure()
    figure.add_bar(
        y=list(frame["name"]),
        x=_nan_to_none(list(change)),
        orientation="h",
        marker_color=["#198754" if v >= 0 else "#dc3545" for v in change.fillna(0)],
        text=[f"{v:+.2f}" if pd.notna(v) else "" for v in change],
        textposition="outside",
        hovertemplate="%{y}: %{x:+.2f}<extra></extra>",
    )
    figure.add_vline(x=0, line_color="#212529")
    figure.update_xaxes(title_text=_("Change since the baseline round"))
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, height=90 + 38 * len(frame), legend=False)
