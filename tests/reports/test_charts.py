"""The chart builders are pure (DataFrame in, Plotly JSON out): tested without a database."""

import json

import numpy as np
import pandas as pd
import pytest
from django.utils import translation

from reports.dashboards import charts


def strict_json(figure: dict) -> dict:
    """JSON as the browser parses it: NaN is not JSON, so a figure must never carry one."""
    return json.loads(json.dumps(figure, allow_nan=False))


def test_a_heatmap_leaves_a_cell_without_data_empty_and_carries_its_links():
    cells = pd.DataFrame(
        {
            "row": ["Vientiane", "Vientiane", "Phongsaly"],
            "column": ["Tech", "Policy", "Tech"],
            "score": [3.25, np.nan, 1.0],
            "link": ["/a/vte", "/a/vte", "/a/psl"],
        }
    )
    figure = strict_json(charts.heatmap(cells, ["Vientiane", "Phongsaly"], ["Tech", "Policy"]))
    trace = figure["data"][0]
    assert trace["z"] == [[3.25, None], [1.0, None]]  # empty, never 0
    assert trace["text"] == [["3.2", ""], ["1.0", ""]]
    assert trace["customdata"] == [["/a/vte", "/a/vte"], ["/a/psl", ""]]
    assert (trace["zmin"], trace["zmax"]) == (1, 5)


def test_the_priority_matrix_colours_each_class_and_marks_the_thresholds():
    points = pd.DataFrame(
        {
            "label": ["A · tech", "B · tech", "C · policy"],
            "enabler_readiness": [3.5, 2.0, 4.0],
            "gap": [1.0, 0.8, 0.2],
            "priority_class": ["quick_win", "build_foundations", "on_track"],
            "link": ["/a", "/b", "/c"],
        }
    )
    names = {"quick_win": "Quick win", "build_foundations": "Build", "on_track": "On track"}
    figure = strict_json(charts.priority_matrix(points, names))
    by_name = {trace["name"]: trace for trace in figure["data"]}
    assert by_name["Quick win"]["x"] == [3.5] and by_name["Quick win"]["y"] == [1.0]
    assert by_name["Build"]["marker"]["color"] == charts.CLASS_COLOURS["build_foundations"]
    lines = {(s["x0"], s["y0"]) for s in figure["layout"]["shapes"]}
    assert (0, 0.5) in lines and (3, 0) in lines  # gap 0.5, enablers 3


def test_pillar_scores_show_targets_and_no_bar_for_a_pillar_without_score():
    frame = pd.DataFrame(
        {"name": ["ເຕັກໂນໂລຊີ", "Policy"], "score": [2.5, np.nan], "target": [3.5, 3.0]}
    )
    figure = strict_json(charts.pillar_scores(frame))
    bars, targets = figure["data"]
    assert bars["x"] == [2.5, None] and bars["text"] == ["2.5", ""]
    assert targets["x"] == [3.5, 3.0]
    assert figure["layout"]["xaxis"]["range"][0] == 1  # the 1-5 scale


def test_parity_shades_the_parity_band():
    frame = pd.DataFrame({"area": ["A", "B"], "role": ["ICT", "ICT"], "parity_index": [0.5, 1.0]})
    band = strict_json(charts.parity(frame))["layout"]["shapes"][0]
    assert (band["x0"], band["x1"]) == charts.PARITY_BAND == (0.97, 1.03)


def test_coverage_is_a_share_of_the_expected_responses():
    frame = pd.DataFrame(
        {
            "area": ["A", "B"],
            "expected": [4, 0],
            "submitted": [3, 0],
            "approved": [1, 0],
            "link": ["", ""],
        }
    )
    approved, pending = strict_json(charts.coverage(frame))["data"]
    assert approved["x"] == [0.25, None]  # nothing expected: no bar, not 0%
    assert pending["x"] == [0.5, None]


@pytest.mark.parametrize(("language", "title"), [("lo", "ຄະແນນ (1-5)"), ("en", "Score (1-5)")])
def test_labels_follow_the_active_language(language, title):
    frame = pd.DataFrame({"name": ["x"], "score": [2.0], "target": [3.0]})
    with translation.override(language):
        figure = charts.pillar_scores(frame)
    assert figure["layout"]["xaxis"]["title"]["text"] == title
    assert figure["layout"]["font"]["family"].startswith("Noto Sans Lao")


def test_progress_colours_a_fall_red_and_a_rise_green():
    frame = pd.DataFrame(
        {"name": ["a", "b", "c"], "baseline": [2.0, 3.0, np.nan], "current": [2.5, 2.0, 3.0]}
    )
    trace = strict_json(charts.progress(frame))["data"][0]
    assert trace["x"] == [0.5, -1.0, None]
    assert trace["marker"]["color"][:2] == ["#198754", "#dc3545"]


def test_peers_put_the_organisation_first_and_each_group_beside_it():
    frame = pd.DataFrame(
        {"name": ["Tech", "Policy"], "Village 1": [3.0, np.nan], "Its district": [2.5, 2.0]}
    )
    figure = strict_json(charts.peers(frame, ["Village 1", "Its district"]))
    assert [trace["name"] for trace in figure["data"]] == ["Village 1", "Its district"]
    assert figure["data"][0]["x"] == [3.0, None]
