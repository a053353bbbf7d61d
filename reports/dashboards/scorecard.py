"""One organisation's scorecard: pillar scores against targets, stage with its name, gaps,
enabler readiness and class, the recommendation for each pillar with a gap, its answers with
"don't know" and skipped questions flagged, and its peers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from organisations.models import Organisation, OrganisationKind
from reports.dashboards import charts, selectors
from reports.dashboards.panels import (
    COUNT,
    SCORE,
    Column,
    Panel,
    VersionTexts,
    pillar_score_columns,
)
from reports.models import OVERALL, Axis, PriorityClass
from reports.scoring.engine import stage_for
from surveys.models import Response, ResponseStatus, Round
from surveys.selectors.review import response_pillars


@dataclass
class Scorecard(VersionTexts):
    round: Round
    organisation: Organisation

    @cached_property
    def scores(self) -> pd.DataFrame:
        return selectors.organisation_scores(self.round, self.organisation)

    @cached_property
    def response(self) -> Response | None:
        """The organisation's scored response (submitted or approved), if any."""
        return (
            Response.objects.filter(
                round=self.round,
                organisation=self.organisation,
                status__in=[ResponseStatus.SUBMITTED, ResponseStatus.APPROVED],
                is_individual=False,
            )
            .select_related("round__version")
            .order_by("-pk")
            .first()
        )

    @property
    def overall(self) -> dict | None:
        return self.overall_row(self.scores, "score")

    def pillar_rows(self) -> list[dict]:
        """Each pillar with score, stage (number, name), target, gap, class, counts and the
        recommendation for its stage when it has a gap."""
        advice = selectors.recommendations(self.round.version)
        descriptions = dict(zip(self.pillars["pillar"], self.pillars["description"], strict=True))
        enablers = set(self.pillars.loc[self.pillars["is_enabler"], "pillar"])
        scores = self.scores.set_index("pillar")
        rows = []
        for code, name in self.pillar_names.items():
            if code == OVERALL or code not in scores.index:
                continue
            row = scores.loc[code].to_dict()
            stage = stage_for(row["score"])
            gap = row["gap"]
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "description": descriptions.get(code, ""),
                    "is_enabler": code in enablers,
                    **row,
                    "stage": stage,
                    "stage_name": self.stage_names.get(stage, "") if stage else "",
                    "class_label": PriorityClass(row["priority_class"]).label
                    if row["priority_class"]
                    else "",
                    "recommendation": advice.get((code, stage), "")
                    if gap is not None and not np.isnan(gap) and gap > 0
                    else "",
                }
            )
        return rows

    def pillar_panel(self) -> Panel:
        """Every pillar, with empty cells when the organisation has no scored response."""
        scored = {row["code"]: row for row in self.pillar_rows()}
        empty = dict.fromkeys(
            ("score", "stage", "stage_name", "target", "gap", "answered", "dont_know", "skipped")
        )
        rows = [
            scored.get(code, {**empty, "name": name})
            for code, name in self.pillar_names.items()
            if code != OVERALL
        ]
        table = pd.DataFrame(
            {
                "name": [r["name"] for r in rows],
                "score": [r["score"] for r in rows],
                "stage": [f"{r['stage']} · {r['stage_name']}" if r["stage"] else "" for r in rows],
                "target": [r["target"] for r in rows],
                "gap": [r["gap"] for r in rows],
                "answered": [r["answered"] for r in rows],
                "dont_know": [r["dont_know"] for r in rows],
                "skipped": [r["skipped"] for r in rows],
            }
        )
        return Panel(
            name="scorecard",
            title=_("Pillar scores against the round's targets"),
            columns=[
                *pillar_score_columns(),
                Column("answered", _("Answered"), COUNT),
                Column("dont_know", _("Don't know"), COUNT),
                Column("skipped", _("Skipped"), COUNT),
            ],
            table=table.astype({"score": float, "target": float, "gap": float}),
            figure=charts.pillar_scores(table) if scored else None,
        )

    def peer_groups(self) -> list[tuple[str, Organisation | None, str]]:
        """(label, area node or None for "same kind", axis) of the peers compared with."""
        groups: list[tuple[str, Organisation | None, str]] = []
        for ancestor in reversed(Organisation.objects.get_ancestors(self.organisation)):
            if ancestor.kind in (OrganisationKind.DISTRICT, OrganisationKind.PROVINCE):
                groups.append((ancestor.label, ancestor, Axis.TREE))
        kind_label = OrganisationKind(self.organisation.kind).label
        groups.append((_("All of kind: %(kind)s") % {"kind": kind_label}, None, ""))
        if self.organisation.line_ministry_id:
            ministry = self.organisation.line_ministry
            groups.append((ministry.label, ministry, Axis.SECTOR))
        return groups

    def peer_panel(self) -> Panel | None:
        if self.scores.empty:
            return None
        own = self.scores.set_index("pillar")["score"]
        codes = list(self.pillar_names)
        table = pd.DataFrame(
            {"name": [self.pillar_names[c] for c in codes], "own": [own.get(c) for c in codes]}
        )
        columns = [Column("name", _("Pillar")), Column("own", self.organisation.label, SCORE)]
        for index, (label, node, axis) in enumerate(self.peer_groups()):
            if node is None:
                means = selectors.kind_means(self.round, self.organisation.kind)
                means = means.set_index("pillar")
            else:
                means = selectors.area_results(self.round, [node], axis).set_index("pillar")
            key = f"peer_{index}"
            table[key] = [means["mean"].get(c) for c in codes]
            table[key + "_n"] = [means["n"].get(c) for c in codes]
            columns.append(Column(key, label, SCORE))
            columns.append(Column(key + "_n", _("Responses: %(group)s") % {"group": label}, COUNT))
        table = table.astype({c.key: float for c in columns[1:]})
        means = [c for c in columns[1:] if not c.key.endswith("_n")]
        chart = table[["name"]].assign(**{c.header: table[c.key] for c in means})
        return Panel(
            name="peers",
            title=_("Compared with its peers (mean scores)"),
            columns=columns,
            table=table,
            figure=charts.peers(chart, [c.header for c in means]),
        )

    def answers(self) -> list:
        """The response's answers by pillar, each flagged "don't know" or skipped where so."""
        if self.response is None:
            return []
        pillars = response_pillars(self.response)
        dont_know_values = set(
            self.round.version.questions.filter(choices__is_dont_know=True).values_list(
                "pk", "choices__value"
            )
        )
        chosen = {
            (question_id, value)
            for question_id, choices in self.response.answers.values_list("question_id", "choices")
            for value in choices or ()
        }
        dont_know = {question_id for question_id, _value in chosen & dont_know_values}
        for pillar in pillars:
            for view in pillar.questions:
                question = view.question
                view.flag = ""
                if not view.answer:
                    view.flag = "skipped" if question.relevant else "unanswered"
                elif question.pk in dont_know:
                    view.flag = "dont_know"
        return pillars

    def panels(self) -> list[Panel]:
        built = [self.pillar_panel(), self.peer_panel()]
        return [panel for panel in built if panel is not None]
