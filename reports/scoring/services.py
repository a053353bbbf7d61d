"""Scoring services: read a round, run the pure engine, write the results in one transaction.

A response's scores and a round's aggregates are derived data. Writing replaces them
(DELETE + COPY inside one transaction), so a dashboard never sees half a round, a run killed in
the middle leaves the previous complete results, and running twice gives identical rows."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from reports import dispatch
from reports.models import AreaAggregate, GenderIndicator, ResponseScore, RoundScoring, SexScore
from reports.scoring import reads, writes
from reports.scoring.engine import SCORED_STATUSES, RoundResults, response_scores, round_score
from surveys.models import Response, Round

logger = logging.getLogger(__name__)

# A burst of submissions within this many seconds causes one round recomputation.
AGGREGATE_DELAY_SECONDS = getattr(settings, "SCORING_AGGREGATE_DELAY_SECONDS", 10)


@dataclass
class RescoreReport:
    round_code: str
    responses: int
    response_rows: int
    area_rows: int
    gender_rows: int
    sex_rows: int
    read_seconds: float
    compute_seconds: float
    write_seconds: float

    @property
    def total_seconds(self) -> float:
        return self.read_seconds + self.compute_seconds + self.write_seconds


def _consistent_snapshot() -> None:
    """The reads of one scoring see one snapshot (a response submitted between two of them
    cannot be half-read). Only possible at the start of our own transaction."""
    if not connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _read(round_: Round, response_ids: list[int] | None, with_areas: bool):
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if own_transaction:
            _consistent_snapshot()
        snapshot_at = timezone.now()
        frames = reads.round_frames(round_=round_, response_ids=response_ids)
        if with_areas:
            frames.organisations = reads.organisations_frame()
            frames.expected = reads.expected_organisations(round_)
    return frames, snapshot_at


def _results_replace(
    *, round_: Round, results: RoundResults, snapshot_at: datetime, response_ids=None
) -> None:
    """Replaces the round's rows (or only these responses' rows) in the caller's transaction."""
    constants = {"round": round_.pk}
    if response_ids is None:
        for model, frame in (
            (ResponseScore, results.response_scores),
            (AreaAggregate, results.area_aggregates),
            (GenderIndicator, results.gender_indicators),
            (SexScore, results.sex_scores),
        ):
            writes.replace_changed(model, frame, constants, round_id=round_.pk)
    else:
        ResponseScore.objects.filter(round=round_, response_id__in=response_ids).delete()
        writes.copy_in(ResponseScore, results.response_scores, constants)
    scored = Response.objects.filter(round=round_, status__in=SCORED_STATUSES)
    if response_ids is not None:
        scored = scored.filter(pk__in=response_ids)
    # scored_at is the time of the snapshot we read, so a change committed after it leaves
    # the response "dirty" (updated_at > scored_at) for the sweep.
    scored.filter(Q(scored_at__isnull=True) | Q(scored_at__lt=snapshot_at)).update(
        scored_at=snapshot_at
    )


def round_rescore(*, round_: Round) -> RescoreReport:
    """Recomputes every score and aggregate of a round and replaces them in one transaction."""
    started = time.perf_counter()
    frames, snapshot_at = _read(round_, None, with_areas=True)
    read_done = time.perf_counter()
    results = round_score(frames)
    computed = time.perf_counter()
    with transaction.atomic():
        scoring, _ = RoundScoring.objects.select_for_update().get_or_create(round=round_)
        _results_replace(round_=round_, results=results, snapshot_at=snapshot_at)
        write_done = time.perf_counter()
        scoring.computed_at = timezone.now()
        scoring.duration_seconds = round(write_done - started, 3)
        scoring.responses_scored = len(frames.responses)
        scoring.save(update_fields=["computed_at", "duration_seconds", "responses_scored"])
    return RescoreReport(
        round_code=round_.code,
        responses=len(frames.responses),
        response_rows=len(results.response_scores),
        area_rows=len(results.area_aggregates),
        gender_rows=len(results.gender_indicators),
        sex_rows=len(results.sex_scores),
        read_seconds=read_done - started,
        compute_seconds=computed - read_done,
        write_seconds=write_done - computed,
    )


def response_score(*, response_id: int) -> int | None:
    """Scores one response now (its scorecard is ready within seconds of submission) and
    returns its round id; the round's aggregates follow in the debounced round task."""
    response = Response.objects.select_related("round").filter(pk=response_id).first()
    if response is None:
        return None
    frames, snapshot_at = _read(response.round, [response_id], with_areas=False)
    scores = response_scores(frames)
    results = RoundResults(scores, *([None] * 3))
    with transaction.atomic():
        _results_replace(
            round_=response.round,
            results=results,
            snapshot_at=snapshot_at,
            response_ids=[response_id],
        )
    return response.round_id


def round_aggregate_schedule(*, round_id: int) -> bool:
    """Debounce: the first change of a burst sets the round's pending flag and sends one
    delayed task; while the flag is set, later changes send nothing. Returns whether a task
    was sent. If the broker is down the flag stays set and the sweep runs the round."""
    RoundScoring.objects.get_or_create(round_id=round_id)
    claimed = RoundScoring.objects.filter(round_id=round_id, aggregate_pending=False).update(
        aggregate_pending=True, aggregate_requested_at=timezone.now()
    )
    if not claimed:
        return False
    dispatch.send_round_aggregation(round_id, countdown=AGGREGATE_DELAY_SECONDS)
    return True


def round_aggregate_run(*, round_id: int) -> RescoreReport | None:
    """The debounced task's work. The flag is cleared *before* reading, so a submission that
    arrives during the computation schedules one more run instead of being lost."""
    RoundScoring.objects.filter(round_id=round_id).update(aggregate_pending=False)
    round_ = Round.objects.filter(pk=round_id).first()
    return round_rescore(round_=round_) if round_ else None


@transaction.atomic
def response_scores_withdraw(*, response_id: int) -> None:
    """A response leaves the scored statuses (returned, or an approved one reopened): its score
    rows go at once, in the caller's transaction, and its `scored_at` records the change so the
    round's aggregates count as stale until they are recomputed without it."""
    ResponseScore.objects.filter(response_id=response_id).delete()
    Response.objects.filter(pk=response_id).update(scored_at=timezone.now())


def stale_round_ids() -> set[int]:
    """Rounds whose aggregates are older than their latest scored change (a response scored or
    withdrawn after the last computation), whatever happened to the queued task: a worker
    killed whole leaves its message unacknowledged in Redis for an hour, and the pending flag
    was cleared before it computed, so only the times tell."""
    latest = (
        Response.objects.filter(round_id=OuterRef("round_id"))
        .order_by()
        .values("round_id")
        .annotate(latest=Max("scored_at"))
        .values("latest")
    )
    stale = (
        RoundScoring.objects.annotate(latest=Subquery(latest))
        .filter(latest__isnull=False)
        .filter(Q(computed_at__isnull=True) | Q(computed_at__lt=F("latest")))
    )
    return set(stale.values_list("round_id", flat=True))


def unscored_sweep() -> list[str]:
    """Rescores every round with a submitted or approved response whose scores are missing or
    older than its last change, every round whose aggregates are older than its latest scored
    change, and every round whose queued aggregation never ran."""
    dirty = Response.objects.filter(status__in=SCORED_STATUSES).filter(
        Q(scored_at__isnull=True) | Q(scored_at__lt=F("updated_at"))
    )
    stuck_before = timezone.now() - timedelta(seconds=3 * AGGREGATE_DELAY_SECONDS + 60)
    stuck = RoundScoring.objects.filter(
        aggregate_pending=True, aggregate_requested_at__lt=stuck_before
    )
    round_ids = (
        set(dirty.values_list("round_id", flat=True))
        | set(stuck.values_list("round_id", flat=True))
        | stale_round_ids()
    )
    done = []
    for round_ in Round.objects.filter(pk__in=round_ids).order_by("pk"):
        RoundScoring.objects.filter(round=round_).update(aggregate_pending=False)
        report = round_rescore(round_=round_)
        logger.info("Sweep rescored round %s (%s responses)", round_.code, report.responses)
        done.append(round_.code)
    return done
