"""Rounds: prepare (targets chosen by kind and subtree, then adjusted), open, close."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from organisations.models import Organisation
from surveys.models import (
    QuestionnaireVersion,
    RespondentType,
    Response,
    Round,
    RoundStatus,
    ShareLink,
    VersionStatus,
)


class RoundError(Exception):
    """A round action that cannot happen; the message is for the user."""


def round_targets_query(
    *, kinds: Iterable[str], subtree_codes: Iterable[str]
) -> QuerySet[Organisation]:
    """Active organisations of the given kinds inside any of the given subtrees (the whole
    tree when no subtree is given)."""
    subtree_codes = [code for code in subtree_codes if code]
    organisations = Organisation.objects.filter(active=True, kind__in=list(kinds))
    if subtree_codes:
        roots = Organisation.objects.filter(code__in=subtree_codes)
        condition = Q(pk__in=[])
        for root in roots:
            condition |= Q(path__startswith=root.path)
        organisations = organisations.filter(condition)
    return organisations.order_by("path")


def round_targets_resolve(*, round_: Round) -> int:
    """Replaces the target list by what the round's selection gives now. Returns the count."""
    selection = round_.target_selection or {}
    targets = round_targets_query(
        kinds=selection.get("kinds", []), subtree_codes=selection.get("subtrees", [])
    )
    round_.targets.set(targets)
    return round_.targets.count()


def _require_draft(round_: Round) -> None:
    if round_.status != RoundStatus.DRAFT:
        raise RoundError("not_draft")


@transaction.atomic
def round_create(
    *,
    code: str,
    version: QuestionnaireVersion,
    name: Mapping[str, str],
    opens_on: datetime.date,
    closes_on: datetime.date,
    kinds: Iterable[str],
    subtree_codes: Iterable[str],
    pillar_targets: Mapping[str, float],
    baseline: Round | None = None,
    user: AbstractBaseUser | None = None,
) -> Round:
    """A draft round with its target list resolved from the selection, ready to review."""
    if version.status != VersionStatus.PUBLISHED:
        raise RoundError("version_not_published")
    if closes_on < opens_on:
        raise RoundError("dates")
    if baseline is not None and baseline.version.questionnaire_id != version.questionnaire_id:
        raise RoundError("baseline")
    round_ = Round(
        code=code,
        version=version,
        name=dict(name),
        opens_on=opens_on,
        closes_on=closes_on,
        target_selection={"kinds": list(kinds), "subtrees": list(subtree_codes)},
        pillar_targets={key: float(value) for key, value in pillar_targets.items()},
        baseline=baseline,
        created_by=user,
    )
    round_._history_user = user
    round_.save()
    round_targets_resolve(round_=round_)
    return round_


@transaction.atomic
def round_update(
    *,
    round_: Round,
    name: Mapping[str, str],
    opens_on: datetime.date,
    closes_on: datetime.date,
    kinds: Iterable[str],
    subtree_codes: Iterable[str],
    pillar_targets: Mapping[str, float],
    baseline: Round | None,
    user: AbstractBaseUser | None = None,
) -> Round:
    """Edits a draft round. A changed selection resolves the target list again (and so
    drops manual adjustments); an unchanged one keeps them."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_draft(round_)
    if closes_on < opens_on:
        raise RoundError("dates")
    selection = {"kinds": list(kinds), "subtrees": list(subtree_codes)}
    reselect = selection != round_.target_selection
    round_.name = dict(name)
    round_.opens_on, round_.closes_on = opens_on, closes_on
    round_.target_selection = selection
    round_.pillar_targets = {key: float(value) for key, value in pillar_targets.items()}
    round_.baseline = baseline
    round_._history_user = user
    round_.save()
    if reselect:
        round_targets_resolve(round_=round_)
    return round_


@transaction.atomic
def round_targets_adjust(
    *,
    round_: Round,
    add: Iterable[Organisation] = (),
    remove: Iterable[Organisation] = (),
) -> None:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_draft(round_)
    round_.targets.remove(*remove)
    round_.targets.add(*add)


def _share_links_create(*, round_: Round, organisation_ids: list[int]) -> None:
    """One share link per target of an individual questionnaire, made when the round opens so
    that the focal point's home page only reads them."""
    links = [ShareLink(round=round_, organisation_id=pk) for pk in organisation_ids]
    ShareLink.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)


@transaction.atomic
def round_open(*, round_: Round, user: AbstractBaseUser | None = None) -> int:
    """Opens the round and creates one draft response per target (organisation
    questionnaires). Idempotent: the round row is locked, a second call finds the round open
    and creates nothing; organisations that already have a response are skipped. Returns the
    number of responses created."""
    round_ = (
        Round.objects.select_for_update().select_related("version__questionnaire").get(pk=round_.pk)
    )
    if round_.status == RoundStatus.OPEN:
        return 0
    if round_.status != RoundStatus.DRAFT:
        raise RoundError("closed")
    target_ids = list(round_.targets.values_list("pk", flat=True))
    if not target_ids:
        raise RoundError("no_targets")
    created = 0
    if round_.version.questionnaire.respondent_type == RespondentType.ORGANISATION:
        existing = set(
            Response.objects.filter(round=round_, is_individual=False).values_list(
                "organisation_id", flat=True
            )
        )
        new = [
            Response(round=round_, organisation_id=pk) for pk in target_ids if pk not in existing
        ]
        # In batches: a national round targets every village (over 10,000 rows).
        bulk_create_with_history(new, Response, batch_size=1000, default_user=user)
        created = len(new)
    else:
        _share_links_create(round_=round_, organisation_ids=target_ids)
    round_.status = RoundStatus.OPEN
    round_.opened_at = timezone.now()
    round_._history_user = user
    round_.save(update_fields=["status", "opened_at"])
    return created


@transaction.atomic
def round_close(*, round_: Round, user: AbstractBaseUser | None = None) -> None:
    """Closes an open round: focal points can no longer change or submit. Idempotent."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.CLOSED:
        return
    if round_.status != RoundStatus.OPEN:
        raise RoundError("not_open")
    round_.status = RoundStatus.CLOSED
    round_._history_user = user
    round_.save(update_fields=["status"])
