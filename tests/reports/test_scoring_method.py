"""The scoring method on hand-computed cases (pure functions, no database).

Each expected number is worked out in the comment above it, from README.md "Scoring method"."""

import math

import pandas as pd
import pytest

from reports.scoring import engine
from reports.scoring.engine import OVERALL, round_score
from tests.reports.frames import (
    by_sex,
    choice,
    chosen,
    frames,
    number,
    organisation,
    question,
    response,
)

LEVELS = [
    choice(1, "none", 0.0),
    choice(1, "some", 0.5),
    choice(1, "full", 1.0),
    choice(1, "dk", None, dont_know=True),
]


def levels(qid):
    return [{**c, "question_id": qid} for c in LEVELS]


def row(result, response_id, pillar):
    scores = result.response_scores
    found = scores[(scores["response_id"] == response_id) & (scores["pillar"] == pillar)]
    assert len(found) == 1
    return found.iloc[0]


def test_it_leaves_dont_know_and_skipped_questions_out_of_the_mean_and_counts_them():
    data = frames(
        pillar_specs=[("tech", 1.0, True)],
        questions=[
            question(1, "q1", "tech", "single_choice"),
            question(2, "q2", "tech", "single_choice", relevant=True),  # skipped by relevant
            question(3, "q3", "tech", "single_choice"),  # no answer, no relevant
            question(4, "q4", "tech", "single_choice"),  # "don't know"
        ],
        choices=levels(1) + levels(2) + levels(3) + levels(4),
        responses=[response(1)],
        answers=[chosen(1, 1, "some"), chosen(1, 4, "dk")],
    )
    result = round_score(data)
    tech = row(result, 1, "tech")
    # Only q1 counts: S = 1 + 4 * 0.5 / 1 = 3.0 (not 1 + 4 * 0.5 / 4 = 1.5).
    assert tech["score"] == pytest.approx(3.0)
    assert tech["stage"] == 3
    assert (tech["answered"], tech["dont_know"], tech["skipped"], tech["unanswered"]) == (
        1,
        1,
        1,
        1,
    )


def test_a_pillar_with_only_dont_know_has_no_score_rather_than_one():
    data = frames(
        pillar_specs=[("tech", 1.0, True)],
        questions=[question(1, "q1", "tech", "single_choice")],
        choices=levels(1),
        responses=[response(1)],
        answers=[chosen(1, 1, "dk")],
    )
    tech = row(round_score(data), 1, "tech")
    assert math.isnan(tech["score"])
    assert tech["stage"] is None or str(tech["stage"]) == "<NA>"


@pytest.mark.parametrize(
    ("picked", "expected_score", "expected_stage"),
    [
        # 0.4 + 0.4 + 0.4 = 1.2, capped at 1: S = 1 + 4 = 5.0, stage 5.
        (("web", "email", "sms"), 5.0, 5),
        # 0.4 + 0.4 = 0.8: S = 1 + 3.2 = 4.2, stage 4.
        (("web", "email"), 4.2, 4),
        # an answered empty selection is worth 0: S = 1.0, stage 1.
        ((), 1.0, 1),
    ],
)
def test_multiple_choice_sums_chosen_scores_capped_at_one(picked, expected_score, expected_stage):
    data = frames(
        pillar_specs=[("tech", 1.0, True)],
        questions=[question(1, "services", "tech", "multiple_choice")],
        choices=[choice(1, "web", 0.4), choice(1, "email", 0.4), choice(1, "sms", 0.4)],
        responses=[response(1)],
        answers=[chosen(1, 1, *picked)],
    )
    tech = row(round_score(data), 1, "tech")
    assert tech["score"] == pytest.approx(expected_score)
    assert tech["stage"] == expected_stage


@pytest.mark.parametrize(
    ("computers", "expected_score"),
    # thresholds [[1, 0.5], [10, 1]]: below 1 -> 0 (S=1), 1..9 -> 0.5 (S=3), 10+ -> 1 (S=5).
    [(0, 1.0), (1, 3.0), (9, 3.0), (10, 5.0), (250, 5.0)],
)
def test_numbers_are_scored_by_the_highest_threshold_reached(computers, expected_score):
    data = frames(
        pillar_specs=[("tech", 1.0, True)],
        questions=[question(1, "computers", "tech", "integer", thresholds=[[10, 1.0], [1, 0.5]])],
        responses=[response(1)],
        answers=[number(1, 1, computers)],
    )
    assert row(round_score(data), 1, "tech")["score"] == pytest.approx(expected_score)


def test_ratio_questions_divide_by_the_referenced_count_of_women_and_men():
    data = frames(
        pillar_specs=[("skills", 1.0, True)],
        questions=[
            question(1, "staff", "skills", "count_by_sex", gender_role="staff"),
            question(2, "trained", "skills", "count_by_sex", ratio_to="staff"),
        ],
        responses=[response(1), response(2), response(3)],
        answers=[
            # trained 2 + 3 = 5 of staff 6 + 4 = 10: v = 0.5, S = 1 + 4 * 0.5 = 3.0
            by_sex(1, 1, 6, 4),
            by_sex(1, 2, 2, 3),
            # more trained than staff: v capped at 1, S = 5.0
            by_sex(2, 1, 1, 1),
            by_sex(2, 2, 3, 3),
            # zero staff: no denominator, the answer is left out (no score)
            by_sex(3, 1, 0, 0),
            by_sex(3, 2, 1, 0),
        ],
    )
    result = round_score(data)
    assert row(result, 1, "skills")["score"] == pytest.approx(3.0)
    assert row(result, 2, "skills")["score"] == pytest.approx(5.0)
    third = row(result, 3, "skills")
    assert math.isnan(third["score"])
    assert third["unanswered"] == 1  # the staff count itself is not a scored question


def test_question_and_pillar_weights_weigh_the_means():
    data = frames(
        pillar_specs=[("tech", 3.0, True), ("policy", 1.0, False)],
        questions=[
            question(1, "q1", "tech", "single_choice", weight=2.0),
            question(2, "q2", "tech", "single_choice", weight=1.0),
            question(3, "q3", "policy", "single_choice"),
        ],
        choices=levels(1) + levels(2) + levels(3),
        responses=[response(1)],
        answers=[chosen(1, 1, "full"), chosen(1, 2, "none"), chosen(1, 3, "some")],
    )
    result = round_score(data)
    # tech: (2 * 1 + 1 * 0) / 3 = 2/3, S = 1 + 8/3 = 3.667, stage 3
    assert row(result, 1, "tech")["score"] == pytest.approx(1 + 8 / 3)
    assert row(result, 1, "tech")["stage"] == 3
    # policy: S = 3.0; overall = (3 * 3.667 + 1 * 3.0) / 4 = 3.5
    assert row(result, 1, "policy")["score"] == pytest.approx(3.0)
    assert row(result, 1, OVERALL)["score"] == pytest.approx((3 * (1 + 8 / 3) + 3.0) / 4)
    assert row(result, 1, OVERALL)["answered"] == 3


def test_gaps_enabler_readiness_and_the_priority_matrix():
    data = frames(
        pillar_specs=[
            ("tech", 1.0, True),
            ("skills", 1.0, True),
            ("service", 1.0, False),
            ("collab", 1.0, False),
        ],
        questions=[
            question(i, f"q{i}", p, "single_choice")
            for i, p in enumerate(["tech", "skills", "service", "collab"], start=1)
        ],
        choices=levels(1) + levels(2) + levels(3) + levels(4),
        responses=[response(1), response(2)],
        answers=[
            # response 1: tech 5, skills 3 -> E = 4; service 1 (gap 3.5 - 1 = 2.5) -> quick win,
            # priority = 2.5 * (4 - 1) / 4 = 1.875; collab 3 (gap 3.2 - 3 = 0.2) -> on track.
            chosen(1, 1, "full"),
            chosen(1, 2, "some"),
            chosen(1, 3, "none"),
            chosen(1, 4, "some"),
            # response 2: tech 1, skills 3 -> E = 2; service 1, gap 2.5 -> build foundations,
            # priority = 2.5 * (2 - 1) / 4 = 0.625.
            chosen(2, 1, "none"),
            chosen(2, 2, "some"),
            chosen(2, 3, "none"),
        ],
        targets={"tech": 3.0, "skills": 3.0, "service": 3.5, "collab": 3.2},
    )
    result = round_score(data)
    service = row(result, 1, "service")
    assert service["enabler_readiness"] == pytest.approx(4.0)
    assert service["gap"] == pytest.approx(2.5)
    assert service["priority_class"] == "quick_win"
    assert service["priority"] == pytest.approx(1.875)
    assert row(result, 1, "collab")["priority_class"] == "on_track"
    assert row(result, 1, "collab")["gap"] == pytest.approx(0.2)
    assert row(result, 1, "tech")["gap"] == 0  # above target: no negative gap
    assert row(result, 2, "service")["priority_class"] == "build_foundations"
    assert row(result, 2, "service")["priority"] == pytest.approx(0.625)
    # response 2 did not answer collab: no score, no gap, no class.
    assert row(result, 2, "collab")["priority_class"] == ""


TREE = [
    organisation(1, "0001", "national"),
    organisation(2, "00010001", "province"),
    organisation(3, "000100010001", "district"),
    organisation(4, "0001000100010001", "village"),
    organisation(5, "000100010002", "district_office", line_ministry_id=7),
    organisation(6, "00010002", "province"),
    organisation(7, "00010003", "ministry"),
    organisation(8, "000100030001", "department"),
    organisation(9, "000100020001", "district"),
]


def test_aggregates_roll_up_three_levels_of_the_tree_and_the_sector_axis():
    # One pillar; a response's score is set by one question: none 1, some 3, full 5.
    data = frames(
        pillar_specs=[("tech", 1.0, True)],
        questions=[question(1, "q1", "tech", "single_choice")],
        choices=levels(1),
        responses=[
            response(1, organisation_id=4),  # village: 5
            response(2, organisation_id=3),  # district: 1
            response(3, organisation_id=5),  # district health office (sector: ministry 7): 3
            response(4, organisation_id=8),  # department of ministry 7: 5
            response(5, organisation_id=9, status="approved"),  # other province's district: 3
            response(6, organisation_id=7, status="draft"),  # ministry: not submitted
        ],
        answers=[
            chosen(1, 1, "full"),
            chosen(2, 1, "none"),
            chosen(3, 1, "some"),
            chosen(4, 1, "full"),
            chosen(5, 1, "some"),
            chosen(6, 1, "full"),
        ],
        targets={"tech": 4.0},
        organisations=TREE,
        expected=[3, 4, 5, 7, 8, 9],
    )
    areas = round_score(data).area_aggregates
    tech = areas[areas["pillar"] == "tech"].set_index(["axis", "organisation_id"])

    province = tech.loc[("tree", 2)]  # members 3, 4, 5: scores 1, 5, 3
    assert (province["n"], province["mean"], province["median"]) == (3, 3.0, 3.0)
    assert (province["minimum"], province["maximum"]) == (1.0, 5.0)
    assert (province["expected"], province["submitted"], province["approved"]) == (3, 3, 0)
    # gap = 4 - 3 = 1; E = 3 (tech is the enabler) -> quick win, priority 1 * 2 / 4 = 0.5
    assert province["gap"] == pytest.approx(1.0)
    assert province["priority_class"] == "quick_win"
    assert province["priority"] == pytest.approx(0.5)

    nation = tech.loc[("tree", 1)]  # every scored response: 5, 1, 3, 5, 3
    assert (nation["n"], nation["mean"], nation["median"]) == (5, 3.4, 3.0)
    assert (nation["expected"], nation["submitted"], nation["approved"]) == (6, 5, 1)

    district = tech.loc[("tree", 3)]  # the district and its village: 1, 5
    assert (district["n"], district["mean"]) == (2, 3.0)

    # the ministry on the tree axis: its department only (the draft is not counted)
    assert tech.loc[("tree", 7)]["mean"] == 5.0
    assert tech.loc[("tree", 7)]["expected"] == 2
    # the sector axis adds the district health office: 5 and 3
    sector = tech.loc[("sector", 7)]
    assert (sector["n"], sector["mean"], sector["expected"], sector["submitted"]) == (2, 4.0, 3, 2)


def test_dont_know_share_sums_counts_over_members():
    data = frames(
        pillar_specs=[("tech", 1.0, True)],
        questions=[
            question(1, "q1", "tech", "single_choice"),
            question(2, "q2", "tech", "single_choice"),
        ],
        choices=levels(1) + levels(2),
        responses=[response(1, organisation_id=4), response(2, organisation_id=3)],
        # response 1: 1 answered + 1 don't know; response 2: 2 answered -> 1 / 4 = 0.25
        answers=[
            chosen(1, 1, "some"),
            chosen(1, 2, "dk"),
            chosen(2, 1, "full"),
            chosen(2, 2, "full"),
        ],
        organisations=TREE,
    )
    areas = round_score(data).area_aggregates
    district = areas[
        (areas["organisation_id"] == 3) & (areas["pillar"] == "tech") & (areas["axis"] == "tree")
    ].iloc[0]
    assert district["dont_know_share"] == pytest.approx(0.25)


def test_gender_indicators_sum_counts_up_the_tree_and_compute_the_parity_index():
    data = frames(
        pillar_specs=[("skills", 1.0, True)],
        questions=[
            question(1, "staff", "skills", "count_by_sex", gender_role="staff"),
            question(2, "skilled", "skills", "count_by_sex", gender_role="staff_digital_skills"),
        ],
        responses=[
            response(1, organisation_id=4),
            response(2, organisation_id=3),
            response(3, organisation_id=5),
        ],
        answers=[
            by_sex(1, 1, 10, 20),
            by_sex(1, 2, 2, 10),
            by_sex(2, 1, 30, 20),
            by_sex(2, 2, 12, 10),
            # response 3 gives staff but not skills: counted in staff, left out of parity
            by_sex(3, 1, 5, 5),
        ],
        organisations=TREE,
    )
    indicators = round_score(data).gender_indicators.set_index(
        ["axis", "organisation_id", "gender_role"]
    )
    staff = indicators.loc[("tree", 2, "staff")]  # province: 10+30+5 women, 20+20+5 men
    assert (staff["women"], staff["men"]) == (45, 45)
    assert staff["female_share"] == pytest.approx(0.5)
    assert math.isnan(staff["parity_index"])
    skilled = indicators.loc[("tree", 2, "staff_digital_skills")]
    assert (skilled["women"], skilled["men"]) == (14, 20)
    assert skilled["female_share"] == pytest.approx(14 / 34)
    # women: (2 + 12) / (10 + 30) = 0.35; men: (10 + 10) / (20 + 20) = 0.5 -> parity 0.7
    # (a mean of the two ratios would give ((0.2/0.5) + (0.4/0.5)) / 2 = 0.6: never that).
    assert skilled["parity_index"] == pytest.approx(0.7)
    village = indicators.loc[("tree", 4, "staff_digital_skills")]
    assert village["parity_index"] == pytest.approx((2 / 10) / (10 / 20))


def test_individual_questionnaires_give_scores_by_respondent_sex_and_the_gap():
    data = frames(
        pillar_specs=[("skills", 1.0, True)],
        questions=[question(1, "q1", "skills", "single_choice")],
        choices=levels(1),
        responses=[
            response(1, organisation_id=4, sex="F"),
            response(2, organisation_id=4, sex="F"),
            response(3, organisation_id=4, sex="M"),
        ],
        # women: 3 and 1 -> 2.0; men: 5 -> gap 2 - 5 = -3
        answers=[chosen(1, 1, "some"), chosen(2, 1, "none"), chosen(3, 1, "full")],
        organisations=TREE,
    )
    by_sex_rows = round_score(data).sex_scores.set_index(["axis", "organisation_id", "pillar"])
    district = by_sex_rows.loc[("tree", 3, "skills")]
    assert (district["women_n"], district["men_n"]) == (2, 1)
    assert (district["women_mean"], district["men_mean"], district["gap"]) == (2.0, 5.0, -3.0)


def test_scoring_twice_gives_identical_results():
    data = frames(
        pillar_specs=[("tech", 1.0, True)],
        questions=[question(1, "q1", "tech", "single_choice")],
        choices=levels(1),
        responses=[response(1, organisation_id=4), response(2, organisation_id=9)],
        answers=[chosen(1, 1, "some"), chosen(2, 1, "full")],
        organisations=TREE,
    )
    first, second = round_score(data), round_score(data)
    assert first.response_scores.equals(second.response_scores)
    assert first.area_aggregates.equals(second.area_aggregates)


@pytest.mark.parametrize(
    ("score", "stage"),
    [
        (1.9999999999999998, 2),
        (3.9999999999999996, 4),
        (3.999999, 3),
        (4.0, 4),
        (5.0, 5),
        (1.0, 1),
        (None, None),
        (float("nan"), None),
    ],
)
def test_one_stage_rule_for_a_score_and_a_column(score, stage):
    """The stage of a score is min(5, floor(S)) with a tolerance for floating-point sums; the
    scalar rule (pages) and the column rule (engine) agree."""
    assert engine.stage_for(score) == stage
    column = engine.stage_of(pd.Series([score], dtype=float))
    assert (None if pd.isna(column[0]) else int(column[0])) == stage


def test_a_gap_within_rounding_noise_is_stored_as_zero():
    pillars = pd.DataFrame([{"pillar": "p", "weight": 1.0, "is_enabler": False, "order": 1}])
    scores = pd.DataFrame(
        {"response_id": [1, 2], "pillar": ["p", "p"], "score": [3.5 - 4e-16, 3.0]}
    )
    gaps = engine.add_gaps(scores, ["response_id"], {"p": 3.5}, pillars)["gap"].tolist()
    assert gaps == [0.0, 0.5]
