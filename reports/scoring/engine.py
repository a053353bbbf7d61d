"""The scoring engine: pure pandas, no ORM. The method is documented in README.md ("Scoring
method") and on the product's /reports/method/ page; every step below names the step of that
method it computes.

Inputs are plain DataFrames (see `RoundFrames`), read in one query per table by
reports/scoring/reads.py; outputs are DataFrames whose columns are the fields of reports/models.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveys.scored import CHOICE_KINDS, NUMBER_KINDS, is_scored, is_set

OVERALL = "_overall"  # same constant as reports.models.OVERALL, kept here so this module stays pure
SCORED_STATUSES = ("submitted", "approved")
QUICK_WIN, BUILD_FOUNDATIONS, ON_TRACK = "quick_win", "build_foundations", "on_track"
GAP_FOR_ACTION = 0.5
ENABLER_READY = 3.0
STAFF_ROLE = "staff"  # the gender role every other role is compared to by the parity index
# Floating-point sums such as 1 + 4 * 0.5 must land on their stage, not just below it.
EPSILON = 1e-9


@dataclass
class RoundFrames:
    """Everything one round's scoring reads.

    pillars:    pillar (code), weight, is_enabler, order
    questions:  question_id, code, pillar (code or None), kind, weight, thresholds (list of
                [at_least, score] or None), ratio_to (question code or None), gender_role,
                has_relevant (bool)
    choices:    question_id, value, score (float or NaN), is_dont_know
    responses:  response_id, organisation_id, status, respondent_sex ('' / 'F' / 'M')
    answers:    response_id, question_id, sex ('' / 'F' / 'M'), number (float or NaN),
                choice (one row per chosen value; NaN for a number or an empty selection)
    organisations: organisation_id, path (materialized path), line_ministry_id, kind
    expected:   organisation ids the round targets
    """

    pillars: pd.DataFrame
    questions: pd.DataFrame
    choices: pd.DataFrame
    responses: pd.DataFrame
    answers: pd.DataFrame
    targets: dict[str, float] = field(default_factory=dict)
    organisations: pd.DataFrame | None = None
    expected: list[int] = field(default_factory=list)
    steplen: int = 4


@dataclass
class RoundResults:
    response_scores: pd.DataFrame
    area_aggregates: pd.DataFrame
    gender_indicators: pd.DataFrame
    sex_scores: pd.DataFrame


# --- step 1: each scored answer becomes a value v in [0, 1] --------------------------------


def scored_questions(questions: pd.DataFrame, choices: pd.DataFrame) -> pd.DataFrame:
    """The questions that count, by the one rule (surveys.scored.is_scored): in a pillar, and
    either choices with scores or a number rule."""
    with_choice_score = set(choices.loc[choices["score"].notna(), "question_id"])
    counts = [
        is_scored(
            question.kind,
            in_pillar=bool(pd.notna(question.pillar)),
            has_choice_score=question.question_id in with_choice_score,
            thresholds=question.thresholds,
            ratio_to=question.ratio_to,
        )
        for question in questions.itertuples(index=False)
    ]
    return questions[pd.Series(counts, index=questions.index, dtype=bool)].copy()


def _choice_values(answers: pd.DataFrame, questions: pd.DataFrame, choices: pd.DataFrame):
    """Single choice: the chosen choice's score; multiple choice: the sum, capped at 1.
    A chosen "don't know" makes the answer "don't know" whatever else is chosen."""
    kinds = questions.set_index("question_id")["kind"]
    rows = answers[answers["question_id"].isin(kinds.index[kinds.isin(CHOICE_KINDS)])]
    rows = rows.assign(choice=rows["choice"].astype("string"))
    choices = choices.assign(value=choices["value"].astype("string"))
    rows = rows.merge(
        choices[["question_id", "value", "score", "is_dont_know"]],
        how="left",
        left_on=["question_id", "choice"],
        right_on=["question_id", "value"],
    )
    rows["is_dont_know"] = rows["is_dont_know"].fillna(False).astype(bool)
    grouped = rows.groupby(["response_id", "question_id"], sort=False)
    per_answer = pd.DataFrame(
        {"total": grouped["score"].sum(min_count=1), "dont_know": grouped["is_dont_know"].any()}
    ).reset_index()
    is_multiple = per_answer["question_id"].map(kinds).eq("multiple_choice")
    # An answered multiple choice with nothing scored chosen ("none of these") is worth 0.
    total = per_answer["total"].where(~(is_multiple & per_answer["total"].isna()), 0.0)
    per_answer["value"] = total.clip(upper=1.0).where(~per_answer["dont_know"])
    return per_answer[["response_id", "question_id", "value", "dont_know"]]


def _threshold_value(numbers: pd.Series, thresholds: list) -> pd.Series:
    """The score of the highest threshold the number reaches; 0 below the lowest."""
    ordered = sorted((float(at_least), float(score)) for at_least, score in thresholds)
    bounds = np.array([at_least for at_least, _ in ordered])
    scores = np.array([0.0] + [score for _, score in ordered])
    position = np.searchsorted(bounds, numbers.to_numpy(dtype=float), side="right")
    values = pd.Series(scores[position], index=numbers.index)
    return values.where(numbers.notna())


def _number_values(
    answers: pd.DataFrame, questions: pd.DataFrame, all_questions: pd.DataFrame
) -> pd.DataFrame:
    """Numbers by thresholds or as a ratio to another question of the same response (which
    need not be scored itself); a count by sex counts as women + men. A missing or zero
    denominator leaves the answer out."""
    numbered = all_questions[all_questions["kind"].isin(NUMBER_KINDS)]
    totals = (
        answers[answers["question_id"].isin(numbered["question_id"])]
        .groupby(["response_id", "question_id"], sort=False)["number"]
        .agg(["sum", "count"])
        .reset_index()
    )
    # A count by sex with one sex missing is incomplete: no number, so out of every ratio
    # (as numerator and as denominator), as the sex-disaggregated indicators leave it out.
    by_sex = set(numbered.loc[numbered["kind"].eq("count_by_sex"), "question_id"])
    incomplete = totals["question_id"].isin(by_sex) & totals["count"].lt(2)
    totals["number"] = totals["sum"].where(totals["count"].gt(0) & ~incomplete)
    totals = totals.drop(columns=["sum", "count"])
    code_of = dict(zip(numbered["question_id"], numbered["code"], strict=True))
    totals["code"] = totals["question_id"].map(code_of)
    by_code = totals.set_index(["response_id", "code"])["number"]
    totals["value"] = np.nan
    for question in questions[questions["kind"].isin(NUMBER_KINDS)].itertuples():
        mask = totals["question_id"].eq(question.question_id)
        numbers = totals.loc[mask, "number"]
        if is_set(question.thresholds):
            totals.loc[mask, "value"] = _threshold_value(numbers, question.thresholds)
        elif is_set(question.ratio_to):
            keys = pd.MultiIndex.from_arrays(
                [totals.loc[mask, "response_id"], [question.ratio_to] * int(mask.sum())]
            )
            denominators = by_code.reindex(keys).to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = numbers.to_numpy(dtype=float) / denominators
            ratio[~np.isfinite(ratio) | (denominators == 0)] = np.nan
            totals.loc[mask, "value"] = np.clip(ratio, 0.0, 1.0)
    totals["dont_know"] = False
    totals = totals[totals["question_id"].isin(questions["question_id"])]
    return totals[["response_id", "question_id", "value", "dont_know"]]


def answer_values(frames: RoundFrames) -> pd.DataFrame:
    """Per (response, scored question): status answered / dont_know / skipped / unanswered,
    value v in [0, 1] for answered ones, the question's weight and pillar."""
    questions = scored_questions(frames.questions, frames.choices)
    responses = frames.responses[frames.responses["status"].isin(SCORED_STATUSES)]
    answers = frames.answers[frames.answers["response_id"].isin(responses["response_id"])]
    values = pd.concat(
        [
            _choice_values(answers, questions, frames.choices),
            _number_values(answers, questions, frames.questions),
        ],
        ignore_index=True,
    )
    grid = responses[["response_id"]].merge(
        questions[["question_id", "pillar", "weight", "has_relevant"]], how="cross"
    )
    values["value"] = values["value"].astype(float)
    grid = grid.merge(values, how="left", on=["response_id", "question_id"], indicator=True)
    has_row = grid["_merge"].eq("both")
    dont_know = grid["dont_know"].eq(True)
    status = np.select(
        [dont_know, grid["value"].notna(), ~has_row & grid["has_relevant"]],
        ["dont_know", "answered", "skipped"],
        default="unanswered",
    )
    grid["status"] = status
    return grid.drop(columns=["_merge", "has_relevant", "dont_know"])


# --- steps 2-4: pillar scores, stage, overall, gap, enabler readiness, priority ------------


def stage_of(score: pd.Series) -> pd.Series:
    """Stage of each score (1-5 scale): min(5, floor(S)), with a tolerance of EPSILON so that a
    sum such as 3.9999999999999996 is stage 4. NaN stays <NA>. The one stage rule: every page,
    chart and export takes a stage from here or from `stage_for`."""
    floored = np.floor(score.astype(float) + EPSILON).clip(upper=5)
    return pd.array(floored.to_numpy(), dtype="Int64")


def stage_for(score: float | None) -> int | None:
    """`stage_of` for one score (1-5 scale); None for no score."""
    if score is None or np.isnan(score):
        return None
    return int(min(5, np.floor(score + EPSILON)))


def classify(gap: pd.Series, enabler: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Priority matrix: a gap of at least 0.5 is a quick win where enablers are ready (E >= 3),
    else foundations come first; a smaller gap is on track; no gap (no target or no score): ''."""
    acting = gap.round(9) >= GAP_FOR_ACTION
    ready = enabler.round(9) >= ENABLER_READY
    labels = np.select(
        [gap.isna(), acting & ready, acting], ["", QUICK_WIN, BUILD_FOUNDATIONS], default=ON_TRACK
    )
    priority = gap * (enabler - 1) / 4
    return pd.Series(labels, index=gap.index), priority


def add_gaps(scores: pd.DataFrame, keys: list[str], targets: dict[str, float], pillars):
    """Adds target, gap, enabler readiness, priority class and priority to rows keyed by
    `keys` + pillar with a `score` column (responses, or areas with their mean)."""
    enablers = set(pillars.loc[pillars["is_enabler"], "pillar"])
    enabler = (
        scores[scores["pillar"].isin(enablers)].groupby(keys, sort=False)["score"].mean()
    ).rename("enabler_readiness")
    scores = scores.merge(enabler, how="left", left_on=keys, right_index=True)
    scores["target"] = scores["pillar"].map(lambda code: targets.get(code, np.nan)).astype(float)
    gap = (scores["target"] - scores["score"]).clip(lower=0)
    # A gap within rounding noise of zero (a mean stored as 3.4999999999999996 against 3.5) is 0.
    scores["gap"] = gap.where(gap.isna() | (gap > EPSILON), 0.0)
    scores["priority_class"], scores["priority"] = classify(
        scores["gap"], scores["enabler_readiness"]
    )
    return scores


def response_scores(frames: RoundFrames) -> pd.DataFrame:
    graded = answer_values(frames)
    graded["weighted"] = graded["weight"] * graded["value"]
    graded["scored_weight"] = graded["weight"].where(graded["status"].eq("answered"), 0.0)
    for status in ("answered", "dont_know", "skipped", "unanswered"):
        graded[status] = graded["status"].eq(status).astype(int)
    pillar_rows = (
        graded.groupby(["response_id", "pillar"], sort=False)[
            ["weighted", "scored_weight", "answered", "dont_know", "skipped", "unanswered"]
        ]
        .sum()
        .reset_index()
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        share = pillar_rows["weighted"] / pillar_rows["scored_weight"].replace(0, np.nan)
    pillar_rows["score"] = 1 + 4 * share
    pillar_rows = pillar_rows.drop(columns=["weighted", "scored_weight"])

    # Step 3: overall readiness, pillar scores weighted by pillar weight (over scored pillars).
    weights = frames.pillars.set_index("pillar")["weight"]
    pillar_rows["pillar_weight"] = pillar_rows["pillar"].map(weights).astype(float)
    scored = pillar_rows["score"].notna()
    pillar_rows["weighted"] = (pillar_rows["score"] * pillar_rows["pillar_weight"]).where(scored, 0)
    pillar_rows["scored_weight"] = pillar_rows["pillar_weight"].where(scored, 0.0)
    overall = (
        pillar_rows.groupby("response_id", sort=False)[
            ["weighted", "scored_weight", "answered", "dont_know", "skipped", "unanswered"]
        ]
        .sum()
        .reset_index()
    )
    overall["score"] = overall["weighted"] / overall["scored_weight"].replace(0, np.nan)
    overall["pillar"] = OVERALL
    columns = ["response_id", "pillar", "score", "answered", "dont_know", "skipped", "unanswered"]
    scores = pd.concat([pillar_rows[columns], overall[columns]], ignore_index=True)
    scores["stage"] = stage_of(scores["score"])
    scores = add_gaps(scores, ["response_id"], frames.targets, frames.pillars)
    organisation_of = frames.responses.set_index("response_id")["organisation_id"]
    scores["organisation_id"] = scores["response_id"].map(organisation_of)
    return scores.sort_values(["response_id", "pillar"], ignore_index=True)


# --- step 5: aggregates for every node of the tree and every line ministry -----------------


def memberships(organisations: pd.DataFrame, steplen: int = 4) -> pd.DataFrame:
    """(organisation_id, node_id, axis) for every node an organisation rolls up to: each of its
    ancestors and itself on the tree axis; on the sector axis, its line ministry, and the
    ministry above it for the ministry's own departments."""
    by_path = pd.Series(organisations["organisation_id"].to_numpy(), index=organisations["path"])
    paths = organisations["path"]
    pieces = []
    for depth in range(1, int(paths.str.len().max() // steplen) + 1):
        deep_enough = paths.str.len() >= depth * steplen
        prefixes = paths[deep_enough].str[: depth * steplen]
        pieces.append(
            pd.DataFrame(
                {
                    "organisation_id": organisations.loc[deep_enough, "organisation_id"],
                    "node_id": prefixes.map(by_path),
                }
            )
        )
    tree = pd.concat(pieces, ignore_index=True).dropna()
    tree["node_id"] = tree["node_id"].astype("int64")
    tree["axis"] = "tree"
    ministries = set(organisations.loc[organisations["kind"].eq("ministry"), "organisation_id"])
    own_subtree = tree[tree["node_id"].isin(ministries)][["organisation_id", "node_id"]]
    attached = organisations.loc[
        organisations["line_ministry_id"].notna(), ["organisation_id", "line_ministry_id"]
    ].rename(columns={"line_ministry_id": "node_id"})
    sector = pd.concat([own_subtree, attached], ignore_index=True).drop_duplicates()
    sector["node_id"] = sector["node_id"].astype("int64")
    sector["axis"] = "sector"
    return pd.concat([tree, sector], ignore_index=True)


def _coverage(frames: RoundFrames, members: pd.DataFrame) -> pd.DataFrame:
    responses = frames.responses
    counted = responses[responses["status"].isin(SCORED_STATUSES)]
    per_organisation = pd.DataFrame(
        {
            "submitted": counted.groupby("organisation_id").size(),
            "approved": counted[counted["status"].eq("approved")].groupby("organisation_id").size(),
        }
    )
    per_organisation["expected"] = 0
    expected_ids = pd.Index(sorted(set(frames.expected)))
    per_organisation = per_organisation.reindex(per_organisation.index.union(expected_ids))
    per_organisation.loc[expected_ids, "expected"] = 1
    per_organisation = per_organisation.fillna(0).astype("int64")
    joined = members.merge(per_organisation, left_on="organisation_id", right_index=True)
    return joined.groupby(["axis", "node_id"])[["expected", "submitted", "approved"]].sum()


def area_aggregates(frames: RoundFrames, scores: pd.DataFrame, members: pd.DataFrame):
    scored_members = scores.merge(members, on="organisation_id")
    grouped = scored_members.groupby(["axis", "node_id", "pillar"], sort=False)
    stats = grouped["score"].agg(["count", "mean", "median", "min", "max"])
    counts = grouped[["answered", "dont_know"]].sum()
    stats["dont_know_share"] = counts["dont_know"] / (counts["answered"] + counts["dont_know"])
    stats = stats.rename(columns={"count": "n", "min": "minimum", "max": "maximum"})

    # Every node with a member in the round gets a row per pillar, scored or not, so coverage
    # shows where nothing came in yet.
    coverage = _coverage(frames, members)
    pillar_codes = [*frames.pillars["pillar"], OVERALL]
    grid = pd.MultiIndex.from_tuples(
        [(axis, node, pillar) for axis, node in coverage.index for pillar in pillar_codes],
        names=["axis", "node_id", "pillar"],
    )
    areas = stats.reindex(grid).reset_index()
    areas["n"] = areas["n"].fillna(0).astype("int64")
    areas = areas.merge(coverage, left_on=["axis", "node_id"], right_index=True)
    areas = areas.rename(columns={"mean": "score"})
    areas = add_gaps(areas, ["axis", "node_id"], frames.targets, frames.pillars)
    areas["stage"] = stage_of(areas["score"])
    return areas.rename(columns={"score": "mean", "node_id": "organisation_id"})


# --- step 6: sex-disaggregated indicators --------------------------------------------------


def gender_indicators(frames: RoundFrames, members: pd.DataFrame) -> pd.DataFrame:
    """Counts summed up the tree (never averages of ratios), female share of each gender
    role, parity index against all staff over the responses that reported both."""
    roles = frames.questions[
        frames.questions["kind"].eq("count_by_sex") & frames.questions["gender_role"].map(is_set)
    ][["question_id", "gender_role"]]
    scored = frames.responses[frames.responses["status"].isin(SCORED_STATUSES)]
    counts = frames.answers[
        frames.answers["question_id"].isin(roles["question_id"])
        & frames.answers["response_id"].isin(scored["response_id"])
        & frames.answers["sex"].isin(["F", "M"])
    ].merge(roles, on="question_id")
    columns = ["axis", "organisation_id", "gender_role", "responses", "women", "men"]
    if counts.empty:
        return pd.DataFrame(columns=[*columns, "female_share", "parity_index", "incomplete"])
    wide = counts.pivot_table(
        index=["response_id", "gender_role"], columns="sex", values="number", aggfunc="sum"
    ).reindex(columns=["F", "M"])
    wide = wide.reset_index().rename(columns={"F": "women", "M": "men"})
    # One sex given, the other left empty: incomplete, out of the sums behind the female
    # share (as it is out of the parity index), and counted so the page can say so.
    wide["incomplete"] = (wide["women"].isna() | wide["men"].isna()).astype("int64")
    wide.loc[wide["incomplete"].eq(1), ["women", "men"]] = np.nan
    wide["complete_id"] = wide["response_id"].where(wide["incomplete"].eq(0))
    staff = wide[wide["gender_role"].eq(STAFF_ROLE)].set_index("response_id")
    wide["staff_women"] = wide["response_id"].map(staff["women"])
    wide["staff_men"] = wide["response_id"].map(staff["men"])
    complete = wide[["women", "men", "staff_women", "staff_men"]].notna().all(axis=1)
    for column in ("women", "men", "staff_women", "staff_men"):
        wide[f"paired_{column}"] = wide[column].where(complete, 0.0)
    wide["organisation_id"] = wide["response_id"].map(
        frames.responses.set_index("response_id")["organisation_id"]
    )
    joined = wide.merge(members, on="organisation_id")
    sums = joined.groupby(["axis", "node_id", "gender_role"]).agg(
        responses=("complete_id", "nunique"),
        incomplete=("incomplete", "sum"),
        women=("women", "sum"),
        men=("men", "sum"),
        paired_women=("paired_women", "sum"),
        paired_men=("paired_men", "sum"),
        paired_staff_women=("paired_staff_women", "sum"),
        paired_staff_men=("paired_staff_men", "sum"),
    )
    total = sums["women"] + sums["men"]
    sums["female_share"] = (sums["women"] / total).where(total > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        women_rate = sums["paired_women"] / sums["paired_staff_women"]
        men_rate = sums["paired_men"] / sums["paired_staff_men"]
        parity = women_rate / men_rate
    roles_index = sums.index.get_level_values("gender_role")
    sums["parity_index"] = parity.where(np.isfinite(parity) & (roles_index != STAFF_ROLE))
    sums = sums.reset_index().rename(columns={"node_id": "organisation_id"})
    return sums[[*columns, "female_share", "parity_index", "incomplete"]]


def sex_scores(frames: RoundFrames, scores: pd.DataFrame, members: pd.DataFrame):
    """Individual questionnaires: mean pillar scores of women and of men respondents, and the
    gap women - men, for every node."""
    columns = [
        "axis",
        "organisation_id",
        "pillar",
        "women_n",
        "men_n",
        "women_mean",
        "men_mean",
        "gap",
    ]
    sex_of = frames.responses.set_index("response_id")["respondent_sex"]
    rows = scores.assign(sex=scores["response_id"].map(sex_of))
    rows = rows[rows["sex"].isin(["F", "M"])]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    joined = rows.merge(members, on="organisation_id")
    stats = joined.groupby(["axis", "node_id", "pillar", "sex"])["score"].agg(["count", "mean"])
    wide = stats.unstack("sex").reindex(
        columns=[("count", "F"), ("count", "M"), ("mean", "F"), ("mean", "M")]
    )
    wide.columns = ["women_n", "men_n", "women_mean", "men_mean"]
    wide[["women_n", "men_n"]] = wide[["women_n", "men_n"]].fillna(0).astype("int64")
    wide["gap"] = wide["women_mean"] - wide["men_mean"]
    wide = wide.reset_index().rename(columns={"node_id": "organisation_id"})
    return wide[columns]


def round_score(frames: RoundFrames) -> RoundResults:
    """The whole method for one round (steps 1-6)."""
    scores = response_scores(frames)
    if frames.organisations is None:
        empty = pd.DataFrame()
        return RoundResults(scores, empty, empty, empty)
    relevant_ids = set(frames.expected) | set(frames.responses["organisation_id"])
    members = memberships(frames.organisations, frames.steplen)
    members = members[members["organisation_id"].isin(relevant_ids)]
    return RoundResults(
        response_scores=scores,
        area_aggregates=area_aggregates(frames, scores, members),
        gender_indicators=gender_indicators(frames, members),
        sex_scores=sex_scores(frames, scores, members),
    )
