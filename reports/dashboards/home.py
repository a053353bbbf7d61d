"""Non-trivial reads of scores and aggregates."""

import copy
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser

from organisations import access
from organisations.models import Organisation, Role
from readiness.i18n import pick
from reports.anonymity import FEWER_THAN, too_few_respondents
from reports.models import OVERALL, AreaAggregate, Axis, RoundScoring
from reports.scoring.engine import stage_for
from surveys.models import RespondentType, Round, RoundStatus

# How many scored rounds the home page summarises for each area.
HOME_ROUNDS = 2


@dataclass
class PillarResult:
    name: str
    mean: float | None
    stage_name: str
    target: float | None
    gap: float | None
    priority_class: str


@dataclass
class AreaSummary:
    round: Round
    area: Organisation
    computed_at: datetime | None
    expected: int
    submitted: int
    approved: int
    overall: float | None
    overall_stage: str
    pillars: list[PillarResult]
    # An individual questionnaire counts respondents (staff), not organisations; its results
    # are withheld for fewer respondents than settings.MIN_GROUP_SIZE (reports.anonymity).
    individual: bool = False
    respondents: int = 0
    withheld: str = ""


def area_summaries(user: AbstractBaseUser) -> list[AreaSummary]:
    """Each scope area's latest scored rounds: readiness per pillar with stage, target and gap,
    and coverage, read from the precomputed aggregates (never computed here)."""
    areas = access.top_scopes(user, (Role.ANALYST, Role.ADMINISTRATOR))
    if not areas:
        return []
    scored = (
        RoundScoring.objects.filter(computed_at__isnull=False)
        .exclude(round__status=RoundStatus.DRAFT)
        .select_related("round__version")
        .order_by("-round__opens_on", "-computed_at")[:HOME_ROUNDS]
    )
    summaries = []
    for scoring in scored:
        round_ = scoring.round
        version = round_.version
        pillar_names = {p.code: pick(p.name) for p in version.pillars.all()}
        order = list(pillar_names)
        for area in areas:
            rows = {
                row.pillar: row
                for row in AreaAggregate.objects.filter(
                    round=round_, organisation=area, axis=Axis.TREE
                )
            }
            overall = rows.get(OVERALL)
            if overall is None:
                continue
            individual = version.questionnaire.respondent_type == RespondentType.INDIVIDUAL
            withheld = individual and too_few_respondents(overall.n)
            if withheld:
                rows = {code: _withheld(row) for code, row in rows.items()}
                overall = rows[OVERALL]
            summaries.append(
                AreaSummary(
                    round=round_,
                    area=area,
                    computed_at=scoring.computed_at,
                    expected=overall.expected,
                    submitted=overall.submitted,
                    approved=overall.approved,
                    overall=overall.mean,
                    overall_stage=_stage(version, overall.mean),
                    pillars=[
                        _pillar_result(version, pillar_names[code], rows[code])
                        for code in order
                        if code in rows
                    ],
                    individual=individual,
                    respondents=overall.n,
                    withheld=str(FEWER_THAN) if withheld else "",
                )
            )
    return summaries


def _pillar_result(version, name: str, row: AreaAggregate) -> PillarResult:
    """One pillar's line of an area's summary: its mean (1-5) and stage, target, gap and
    priority class."""
    return PillarResult(
        name=name,
        mean=row.mean,
        stage_name=_stage(version, row.mean),
        target=row.target,
        gap=row.gap,
        priority_class=row.get_priority_class_display() if row.priority_class else "",
    )


def _withheld(row: AreaAggregate) -> AreaAggregate:
    """The area's row without its results (a copy; counts stay)."""
    row = copy.copy(row)
    row.mean = row.gap = None
    row.priority_class = ""
    return row


def _stage(version, score: float | None) -> str:
    stage = stage_for(score)
    return "" if stage is None else version.stage_name(stage)


def home_sections(user: AbstractBaseUser) -> list[dict]:
    """Sections of the home page for this user: {"template": ..., "context": {...}}."""
    summaries = area_summaries(user)
    if not summaries:
        return []
    return [{"template": "reports/_home_results.html", "context": {"summaries": summaries}}]
