"""Reads of the precomputed results (reports/models.py) into DataFrames for the dashboards,
scorecards and their chart tables. Nothing here reads answers, except the one organisation's
answers on its scorecard; nothing here writes.

Scores are on UNDP's 1-5 scale, shares on 0-1; an area or pillar without data is NaN (shown as an
empty cell), never 0. Every function runs a fixed number of queries, whatever the size of the
area (tested in tests/reports/test_dashboard_queries.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Avg, Count, Q

from organisations.models import Organisation, OrganisationKind
from readiness.i18n import pick
from reports.anonymity import sexes_withheld, too_few_respondents
from reports.models import (
    AGGREGATE_SCORE_COLUMNS,
    OVERALL,
    RESPONSE_SCORE_COLUMNS,
    AreaAggregate,
    Axis,
    GenderIndicator,
    ResponseScore,
    SexScore,
)
from reports.scoring.engine import RoundFrames, area_aggregates, memberships
from surveys.models import QuestionnaireVersion, Recommendation, RespondentType, Response, Round

AREA_COLUMNS = [
    "node_id",
    *AGGREGATE_SCORE_COLUMNS,
    "expected",
    "submitted",
    "approved",
    "dont_know_share",
    "target",
    "gap",
    "enabler_readiness",
    "priority_class",
    "priority",
]


@dataclass(frozen=True)
class Filters:
    """Narrow an area's members to one kind of organisation and/or one line ministry (sector)."""

    kind: str = ""
    sector: Organisation | None = None

    @property
    def active(self) -> bool:
        return bool(self.kind or self.sector)

    def member_q(self, prefix: str = "") -> Q:
        condition = Q()
        if self.kind:
            condition &= Q(**{f"{prefix}kind": self.kind})
        if self.sector is not None:
            condition &= Q(**{f"{prefix}line_ministry": self.sector}) | Q(
                **{f"{prefix}path__startswith": self.sector.path}
            )
        return condition


def axis_of(area: Organisation) -> str:
    """A ministry's results are read on the sector axis (its departments and its offices in the
    provinces and districts); every other node on the tree axis."""
    return Axis.SECTOR if area.kind == OrganisationKind.MINISTRY else Axis.TREE


def members_q(area: Organisation, prefix: str = "") -> Q:
    """Organisations an area's results cover: its subtree, and a ministry's sector offices."""
    condition = Q(**{f"{prefix}path__startswith": area.path})
    if area.kind == OrganisationKind.MINISTRY:
        condition |= Q(**{f"{prefix}line_ministry": area})
    return condition


# --- the questionnaire version: pillars, stages, recommendations -------------------------------


def pillars_frame(version: QuestionnaireVersion) -> pd.DataFrame:
    """pillar (code), name and description (active language), order, weight, is_enabler; in
    the version's order."""
    rows = [
        {
            "pillar": p.code,
            "name": pick(p.name),
            "description": pick(p.description),
            "order": p.order,
            "weight": p.weight,
            "is_enabler": p.is_enabler,
        }
        for p in version.pillars.order_by("order")
    ]
    columns = ["pillar", "name", "description", "order", "weight", "is_enabler"]
    return pd.DataFrame(rows, columns=columns)


def stage_names(version: QuestionnaireVersion) -> dict[int, str]:
    """{1..5: stage name in the active language} from the version (the Lao DMA's by default)."""
    return {stage: version.stage_name(stage) for stage in range(1, 6)}


def recommendations(version: QuestionnaireVersion) -> dict[tuple[str, int], str]:
    """{(pillar code, stage): recommended action in the active language}."""
    return {
        (r.pillar.code, r.stage): pick(r.text)
        for r in Recommendation.objects.filter(version=version).select_related("pillar")
    }


# --- area results --------------------------------------------------------------------------


def area_results(round_: Round, nodes: list[Organisation], axis: str) -> pd.DataFrame:
    """The stored aggregates of these nodes on one axis: AREA_COLUMNS, one row per node and
    pillar (and OVERALL). A node with no member in the round has no rows. One query."""
    rows = AreaAggregate.objects.filter(
        round=round_, axis=axis, organisation_id__in=[node.pk for node in nodes]
    ).values_list("organisation_id", *AREA_COLUMNS[1:])
    frame = pd.DataFrame(list(rows), columns=AREA_COLUMNS)
    return _as_numbers(frame, round_)


# The results of an area that an individual questionnaire's small group withholds.
WITHHELD_RESULTS = [
    "mean", "median", "minimum", "maximum", "dont_know_share", "gap", "enabler_readiness",
    "priority",
]  # fmt: skip


def _as_numbers(frame: pd.DataFrame, round_: Round) -> pd.DataFrame:
    """Numbers as floats; for an individual questionnaire, an area of too few respondents
    (reports.anonymity) has its results blanked and `withheld` True (its counts stay)."""
    numeric = [c for c in AREA_COLUMNS if c not in ("node_id", "pillar", "priority_class")]
    frame[numeric] = frame[numeric].astype(float)
    frame["priority_class"] = frame["priority_class"].fillna("").astype(str)
    individual = round_.version.questionnaire.respondent_type == RespondentType.INDIVIDUAL
    frame["withheld"] = individual & frame["n"].map(too_few_respondents).astype(bool)
    frame.loc[frame["withheld"], WITHHELD_RESULTS] = np.nan
    frame.loc[frame["withheld"], "priority_class"] = ""
    return frame


def filtered_results(
    round_: Round, area: Organisation, filters: Filters, nodes: list[Organisation]
) -> pd.DataFrame:
    """Like `area_results` for the area and `nodes`, over the members that pass the filters
    only: the scoring engine's own aggregation (reports.scoring.engine.area_aggregates) run on the
    stored response scores of those members, so the figures follow the same method. Each node
    is read on its own axis (`axis_of`). Four queries."""
    organisations = pd.DataFrame(
        Organisation.objects.filter(members_q(area) | Q(pk__in=[n.pk for n in nodes])).values_list(
            "id", "path", "line_ministry_id", "kind"
        ),
        columns=["organisation_id", "path", "line_ministry_id", "kind"],
    )
    chosen = set(
        Organisation.objects.filter(members_q(area) & filters.member_q()).values_list(
            "id", flat=True
        )
    )
    scores = pd.DataFrame(
        ResponseScore.objects.filter(round=round_, organisation_id__in=chosen).values_list(
            "response_id", "organisation_id", "pillar", "score", "answered", "dont_know"
        ),
        columns=["response_id", "organisation_id", "pillar", "score", "answered", "dont_know"],
    )
    scores["score"] = scores["score"].astype(float)
    responses = pd.DataFrame(
        Response.objects.filter(round=round_, organisation_id__in=chosen).values_list(
            "id", "organisation_id", "status"
        ),
        columns=["response_id", "organisation_id", "status"],
    )
    expected = list(round_.targets.filter(pk__in=chosen).values_list("pk", flat=True))
    frames = RoundFrames(
        pillars=pd.DataFrame(
            list(round_.version.pillars.values_list("code", "weight", "is_enabler", "order")),
            columns=["pillar", "weight", "is_enabler", "order"],
        ),
        questions=pd.DataFrame(),
        choices=pd.DataFrame(),
        responses=responses,
        answers=pd.DataFrame(),
        targets=round_.pillar_targets,
        expected=expected,
    )
    members = memberships(organisations)
    members = members[members["organisation_id"].isin(chosen)]
    wanted = {(axis_of(node), node.pk) for node in [area, *nodes]}
    members = members[
        [
            (axis, node) in wanted
            for axis, node in zip(members["axis"], members["node_id"], strict=True)
        ]
    ]
    if members.empty:
        return pd.DataFrame(columns=AREA_COLUMNS)
    aggregates = area_aggregates(frames, scores, members)
    aggregates = aggregates.rename(columns={"organisation_id": "node_id"})
    return _as_numbers(aggregates[AREA_COLUMNS].copy(), round_)


def results_for(
    round_: Round, area: Organisation, filters: Filters, groups: dict[str, list[Organisation]]
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The area's own rows and each group's rows ({name: nodes}), from the stored aggregates
    when no filter is set, else computed over the filtered members (`filtered_results`)."""
    nodes = [node for group in groups.values() for node in group]
    if filters.active:
        everything = filtered_results(round_, area, filters, nodes)
        own = everything[everything["node_id"].eq(area.pk)]
        return own, {
            name: everything[everything["node_id"].isin([n.pk for n in group])]
            for name, group in groups.items()
        }
    own = area_results(round_, [area], axis_of(area))
    return own, {
        name: area_results(round_, group, _group_axis(group)) for name, group in groups.items()
    }


def _group_axis(group: list[Organisation]) -> str:
    if group and all(node.kind == OrganisationKind.MINISTRY for node in group):
        return Axis.SECTOR
    return Axis.TREE


def area_groups(area: Organisation, filters: Filters) -> dict[str, list[Organisation]]:
    """The parts an area's dashboard breaks down into, each a list of nodes:
    - the national root: its provinces ("tree") and its ministries ("sector");
    - a ministry: its departments ("tree");
    - any other node: its children ("tree")."""
    children = list(Organisation.objects.get_children(area).filter(active=True).order_by("code"))
    if area.is_root():
        return {
            "tree": [c for c in children if c.kind != OrganisationKind.MINISTRY],
            "sector": [c for c in children if c.kind == OrganisationKind.MINISTRY],
        }
    return {"tree": children}


def sector_offices(area: Organisation) -> list[Organisation]:
    """A ministry's offices in the provinces and districts (its sector members outside its own
    subtree), by code."""
    return list(
        Organisation.objects.filter(line_ministry=area, active=True)
        .exclude(path__startswith=area.path)
        .order_by("code")
    )


def stage_distribution(round_: Round, area: Organisation, filters: Filters) -> pd.DataFrame:
    """How many organisations of the area are at each stage, per pillar and overall:
    pillar, stage (1-5), organisations. One query."""
    scores = ResponseScore.objects.filter(round=round_, stage__isnull=False)
    if not (area.is_root() and not filters.active):
        # The root's members are everyone: no join with the tree for the national view.
        scores = scores.filter(
            members_q(area, "organisation__") & filters.member_q("organisation__")
        )
    rows = scores.values_list("pillar", "stage").annotate(organisations=Count("id"))
    return pd.DataFrame(list(rows), columns=["pillar", "stage", "organisations"])


def organisation_names(nodes: list[Organisation]) -> dict[int, str]:
    return {node.pk: node.label for node in nodes}


# --- gender ---------------------------------------------------------------------------------


def gender_rows(round_: Round, nodes: list[Organisation], axis: str) -> pd.DataFrame:
    """node_id, gender_role, responses, incomplete (responses left out: one sex not given),
    women, men, female_share (0-1), parity_index. One query."""
    columns = [
        "node_id",
        "gender_role",
        "responses",
        "incomplete",
        "women",
        "men",
        "female_share",
        "parity_index",
    ]
    rows = GenderIndicator.objects.filter(
        round=round_, axis=axis, organisation_id__in=[n.pk for n in nodes]
    ).values_list("organisation_id", *columns[1:])
    frame = pd.DataFrame(list(rows), columns=columns)
    frame[columns[2:]] = frame[columns[2:]].astype(float)
    return frame


def suppress_small_groups(frame: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Blanks both means and the gap where fewer than `minimum` women or fewer than `minimum`
    men responded (reports.anonymity.sexes_withheld: one sex alone would be given back by the
    overall mean), so that no respondent of an individual questionnaire can be recognised
    (DESIGN, Scoring 6; settings.MIN_GROUP_SIZE). Counts stay."""
    frame = frame.copy()
    hidden = [
        sexes_withheld(women, men, minimum)
        for women, men in zip(frame["women_n"], frame["men_n"], strict=True)
    ]
    frame.loc[hidden, ["women_mean", "men_mean"]] = np.nan
    frame.loc[frame["women_mean"].isna() | frame["men_mean"].isna(), "gap"] = np.nan
    return frame


def sex_score_rows(round_: Round, nodes: list[Organisation], axis: str) -> pd.DataFrame:
    """node_id, pillar, women_n, men_n, women_mean, men_mean, gap (women - men), with groups
    under settings.MIN_GROUP_SIZE blanked (`suppress_small_groups`). One query."""
    columns = ["node_id", "pillar", "women_n", "men_n", "women_mean", "men_mean", "gap"]
    rows = SexScore.objects.filter(
        round=round_, axis=axis, organisation_id__in=[n.pk for n in nodes]
    ).values_list("organisation_id", *columns[1:])
    frame = pd.DataFrame(list(rows), columns=columns)
    frame[columns[2:]] = frame[columns[2:]].astype(float)
    return suppress_small_groups(frame, settings.MIN_GROUP_SIZE)


# --- progress between rounds ------------------------------------------------------------------


def stage_transitions(
    round_: Round, baseline: Round, area: Organisation, filters: Filters
) -> pd.DataFrame:
    """Overall stage of each organisation of the area scored in both rounds:
    organisation_id, before (stage in the baseline), after. Two queries."""
    member = members_q(area, "organisation__") & filters.member_q("organisation__")
    now = dict(
        ResponseScore.objects.filter(round=round_, pillar=OVERALL, stage__isnull=False)
        .filter(member)
        .values_list("organisation_id", "stage")
    )
    before = dict(
        ResponseScore.objects.filter(
            round=baseline, pillar=OVERALL, stage__isnull=False, organisation_id__in=list(now)
        ).values_list("organisation_id", "stage")
    )
    frame = pd.DataFrame(
        [(oid, before[oid], now[oid]) for oid in now if oid in before],
        columns=["organisation_id", "before", "after"],
    )
    return frame


# --- one organisation -----------------------------------------------------------------------


def organisation_scores(round_: Round, organisation: Organisation) -> pd.DataFrame:
    """The organisation's latest scored response in the round, per pillar: pillar, score,
    stage, answered, dont_know, skipped, unanswered, target, gap, enabler_readiness,
    priority_class, priority. Empty when it has no scored response (always, for an individual
    questionnaire). One query."""
    columns = RESPONSE_SCORE_COLUMNS
    rows = (
        # Never one respondent of an individual questionnaire (reports.anonymity): their
        # results are shown only for groups, by area.
        ResponseScore.objects.filter(
            round=round_, organisation=organisation, response__is_individual=False
        )
        .order_by("-response_id")
        .values_list("response_id", *columns)
    )
    frame = pd.DataFrame(list(rows), columns=["response_id", *columns])
    if frame.empty:
        return frame.drop(columns="response_id")
    frame = frame[frame["response_id"].eq(frame["response_id"].iloc[0])].drop(columns="response_id")
    for column in ("score", "target", "gap", "enabler_readiness", "priority"):
        frame[column] = frame[column].astype(float)
    return frame.reset_index(drop=True)


def kind_means(round_: Round, kind: str) -> pd.DataFrame:
    """pillar, mean, n over every scored organisation of one kind in the round. One query."""
    rows = (
        ResponseScore.objects.filter(round=round_, organisation__kind=kind, score__isnull=False)
        .values_list("pillar")
        .annotate(mean=Avg("score"), n=Count("id"))
    )
    frame = pd.DataFrame(list(rows), columns=["pillar", "mean", "n"])
    frame["mean"] = frame["mean"].astype(float)
    return frame


def with_names(frame: pd.DataFrame, names: dict[int, str]) -> pd.DataFrame:
    """Adds `area` (a node's name) to rows keyed by node_id."""
    frame = frame.copy()
    frame["area"] = frame["node_id"].map(names)
    return frame


def share(part: float, whole: float) -> float:
    """part / whole (0-1), NaN when whole is 0."""
    return float(part) / float(whole) if whole else np.nan
