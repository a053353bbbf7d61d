"""`national_round_seed`: a whole synthetic round (organisations, targets, responses,
answers), for `manage.py seed_national`, `load_demo_data` and the benchmarks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from reports.demo.answers import answer_rows, capacities, copy_answers, question_specs
from reports.demo.organisations import organisation_records, organisations_ensure, round_targets
from reports.demo.questionnaire import seed_version
from surveys.models import (
    Response,
    ResponseStatus,
    Round,
    RoundStatus,
)
from surveys.services.history import history_baseline


@dataclass
class SeedReport:
    round_code: str
    organisations_created: int
    responses: int
    answers: int
    submitted: int


@transaction.atomic
def national_round_seed(*, round_code: str, villages: int = 8500, seed: int = 2026) -> SeedReport:
    if Round.objects.filter(code=round_code).exists():
        raise ValueError(f"A round with code {round_code!r} already exists.")
    rng = np.random.default_rng(seed)
    created = organisations_ensure(organisation_records(villages))
    version = seed_version()
    pillar_codes = list(version.pillars.order_by("order").values_list("code", flat=True))
    today = timezone.localdate()
    round_ = Round.objects.create(
        code=round_code,
        version=version,
        name={"lo": f"ຮອບປະເມີນທົດລອງ {round_code}", "en": f"Synthetic round {round_code}"},
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
        status=RoundStatus.OPEN,
        opened_at=timezone.now(),
        target_selection={"synthetic": True, "villages": villages, "seed": seed},
        pillar_targets={code: 3.0 + 0.5 * (i % 2) for i, code in enumerate(pillar_codes)},
    )
    targets = round_targets(villages)
    round_.targets.through.objects.bulk_create(
        round_.targets.through(round_id=round_.pk, organisation_id=oid)
        for oid in targets["organisation_id"]
    )
    draw = rng.random(len(targets))
    status = np.select(
        [draw < 0.35, draw < 0.9],
        [ResponseStatus.APPROVED, ResponseStatus.SUBMITTED],
        default=ResponseStatus.DRAFT,
    )
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            round=round_,
            organisation_id=oid,
            status=s,
            submitted_at=now if s != ResponseStatus.DRAFT else None,
            reviewed_at=now if s == ResponseStatus.APPROVED else None,
        )
        for oid, s in zip(targets["organisation_id"], status, strict=True)
    )
    levels = capacities(targets, pillar_codes, rng)
    # A submitted response answers every question shown to it (submission requires it);
    # drafts are partly filled.
    answered = np.where(status == ResponseStatus.DRAFT, rng.random(len(targets)) * 0.6, 1.0)
    rows = answer_rows(question_specs(version), targets, levels, rng, answered)
    copy_answers(rows, np.array([r.pk for r in responses]))
    # Rows written in bulk get their first audit record, so their history starts true.
    history_baseline(response_ids=[r.pk for r in responses])
    return SeedReport(
        round_code=round_code,
        organisations_created=created,
        responses=len(responses),
        answers=len(rows),
        submitted=int((status != ResponseStatus.DRAFT).sum()),
    )
