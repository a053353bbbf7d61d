"""Secondary suppression of the scores by respondent sex (reports.anonymity.sexes_withheld):
when one sex of a group has too few respondents, the other sex's mean is withheld too, since
with the group's overall mean (shown) it would give the small group's mean back. The same
rule in the dashboards, the Excel/CSV table, the PDF/Word tables and the API (tested there:
tests/api/test_api.py)."""

import numpy as np
import pandas as pd
import pytest
from django.utils import translation

from reports.anonymity import sexes_withheld
from reports.dashboards.selectors import suppress_small_groups
from reports.exports.documents import _group_mean
from reports.exports.tables.results import _sex_score_cells


@pytest.mark.parametrize(
    ("women", "men", "withheld"),
    [(5, 5, False), (4, 9, True), (9, 4, True), (0, 12, True), (None, 8, True), (12, 30, False)],
)
def test_either_sex_under_the_minimum_withholds_both(women, men, withheld, settings):
    settings.MIN_GROUP_SIZE = 5
    assert sexes_withheld(women, men) is withheld


def test_the_dashboards_blank_both_means_and_the_gap(settings):
    frame = pd.DataFrame(
        {
            "node_id": [1, 2],
            "pillar": ["_overall", "_overall"],
            "women_n": [3.0, 6.0],
            "men_n": [6.0, 6.0],
            "women_mean": [2.5, 2.0],
            "men_mean": [3.5, 3.0],
            "gap": [-1.0, -1.0],
        }
    )
    shown = suppress_small_groups(frame, 5)
    assert np.isnan(shown.loc[0, ["women_mean", "men_mean", "gap"]].astype(float)).all()
    assert shown.loc[1, ["women_mean", "men_mean", "gap"]].tolist() == [2.0, 3.0, -1.0]
    assert shown["women_n"].tolist() == [3.0, 6.0]  # counts stay


def test_the_export_tables_say_fewer_than_for_both_sexes(settings):
    settings.MIN_GROUP_SIZE = 5
    with translation.override("en"):
        cells = _sex_score_cells(3, 6, 2.5, 3.5, -1.0)
        assert cells == (3, 6, "fewer than 5 responses", "fewer than 5 responses", None)
        assert _sex_score_cells(5, 6, 2.5, 3.5, -1.0) == (5, 6, 2.5, 3.5, -1.0)
        row = {"women_n": 8, "men_n": 2, "women_mean": 3.25, "men_mean": 1.0}
        assert _group_mean(row, "women") == _group_mean(row, "men") == "fewer than 5 responses"
