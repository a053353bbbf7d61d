"""The answers of a synthetic round: one capacity per organisation and pillar, plausible
answers of every kind drawn from it, women/men counts, written by COPY."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection
from django.utils import timezone

from organisations.models import OrganisationKind
from reports.demo.organisations import KIND_EFFECT, province_of
from surveys import expressions
from surveys.models import (
    Answer,
    QuestionKind,
    QuestionnaireVersion,
)

# Provinces ahead or behind the others (capital and the big towns; the remote north and south).
PROVINCE_EFFECT = {
    "LA01": 0.9,
    "LA06": 0.4,
    "LA13": 0.4,
    "LA16": 0.4,
    "LA02": -0.5,
    "LA15": -0.4,
    "LA17": -0.4,
}
STAFF_SIZE = {  # mean number of staff by kind of organisation
    OrganisationKind.MINISTRY: 400,
    OrganisationKind.DEPARTMENT: 80,
    OrganisationKind.PROVINCE: 60,
    OrganisationKind.PROVINCIAL_OFFICE: 45,
    OrganisationKind.DISTRICT: 25,
    OrganisationKind.DISTRICT_OFFICE: 15,
    OrganisationKind.VILLAGE: 6,
}


def capacities(targets: pd.DataFrame, pillar_codes: list[str], rng) -> pd.DataFrame:
    """Latent capacity in [0, 1] per organisation and pillar: a general level (province and
    kind of organisation plus noise) shared by all pillars, so pillars go together."""
    province = targets["code"].map(province_of)
    effects = {p: PROVINCE_EFFECT.get(p, 0.0) for p in sorted(set(province))}
    general = (
        province.map(effects).to_numpy()
        + targets["kind"].map(KIND_EFFECT).fillna(0).to_numpy()
        + rng.normal(0, 0.6, len(targets))
    )
    data = {}
    for offset, code in enumerate(pillar_codes):
        pillar_effect = 0.3 - 0.15 * offset  # infrastructure ahead of collaboration
        z = general + pillar_effect + rng.normal(0, 0.45, len(targets))
        data[code] = 1 / (1 + np.exp(-z))
    return pd.DataFrame(data, index=targets.index)


@dataclass
class _QuestionSpec:
    id: int
    code: str
    kind: str
    pillar: str
    scoring: dict
    role: str
    relevant: str
    choices: list  # (value, score, is_dont_know) ordered by score


def question_specs(version: QuestionnaireVersion) -> list[_QuestionSpec]:
    specs = []
    questions = version.questions.select_related("pillar").prefetch_related("choices")
    for q in questions.order_by("order"):
        if q.pillar is None or q.kind in (QuestionKind.NOTE, QuestionKind.TEXT, QuestionKind.DATE):
            continue
        choices = sorted(
            ((c.value, c.score, c.is_dont_know) for c in q.choices.all()),
            key=lambda c: (c[2], -1 if c[1] is None else c[1]),
        )
        specs.append(
            _QuestionSpec(
                q.id,
                q.code,
                q.kind,
                q.pillar.code,
                q.scoring or {},
                q.gender_role,
                q.relevant or "",
                choices,
            )
        )
    return specs


def _relevant_mask(
    spec: _QuestionSpec,
    chosen: dict[str, np.ndarray],
    numbers: dict[str, np.ndarray],
    size: int,
) -> np.ndarray:
    """Whether the question was shown to each organisation: its `relevant` expression evaluated
    by the product's own evaluator on the answers generated so far (unanswered: None)."""
    if not spec.relevant.strip():
        return np.ones(size, dtype=bool)
    names = expressions.references(spec.relevant)
    columns = {name: chosen.get(name, numbers.get(name)) for name in names}
    mask = np.zeros(size, dtype=bool)
    for row in range(size):
        values = {}
        for name, column in columns.items():
            value = None if column is None else column[row]
            if isinstance(value, float) and np.isnan(value):
                value = None
            values[name] = value
        mask[row] = expressions.evaluate_bool(spec.relevant, values)
    return mask


def _staff_counts(targets, level, rng) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    mean_staff = targets["kind"].map(STAFF_SIZE).fillna(20).to_numpy()
    total = rng.poisson(mean_staff) + 1
    women_share = np.clip(rng.normal(0.42, 0.1, len(total)), 0.1, 0.8)
    women = rng.binomial(total, women_share)
    men = total - women
    counts = {"staff": (women, men)}
    rates = {  # (women, men) share of staff in the role, growing with digital capacity
        "staff_digital_skills": (0.15 + 0.6 * level, 0.2 + 0.65 * level),
        "ict_staff": (0.01 + 0.05 * level, 0.03 + 0.09 * level),
        "staff_trained_12m": (0.05 + 0.4 * level, 0.07 + 0.45 * level),
        "managers": (np.full(len(total), 0.07), np.full(len(total), 0.14)),
    }
    for role, (women_rate, men_rate) in rates.items():
        counts[role] = (
            rng.binomial(women, np.clip(women_rate, 0, 1)),
            rng.binomial(men, np.clip(men_rate, 0, 1)),
        )
    return counts


def _frame(index: np.ndarray, spec, *, sex: str = "", number=np.nan, choices=None):
    """The answer rows of one question (and sex) for the organisations at `index`."""
    return pd.DataFrame(
        {"row": index, "question_id": spec.id, "sex": sex, "number": number, "choices": choices}
    )


def _single_choice(spec, noisy: np.ndarray, size: int, rng) -> np.ndarray | None:
    """Every organisation's choice (None: the question has no choice to give)."""
    scored = [c for c in spec.choices if not c[2] and c[1] is not None]
    dont_know = [c for c in spec.choices if c[2]]
    if scored:
        # Better-prepared organisations choose the better-scored answers.
        values = np.array([c[0] for c in scored], dtype=object)[(noisy * len(scored)).astype(int)]
    else:  # an unscored question (e.g. "do you charge fees?"): any answer
        plain = [c[0] for c in spec.choices if not c[2]]
        if not plain:
            return None
        values = np.array(plain, dtype=object)[rng.integers(0, len(plain), size)]
    if dont_know:
        values[rng.random(size) < 0.06] = dont_know[0][0]
    return values


def _multiple_choice(spec, noisy: np.ndarray, size: int, index: np.ndarray, rng) -> np.ndarray:
    """The ticked values of the organisations at `index`: ticks among the answers that score;
    one that ticks none of them answers "none" (a choice scoring 0) alone, as the
    questionnaire's rule demands."""
    options = [c[0] for c in spec.choices if not c[2] and c[1]]
    nothing = [[c[0]] for c in spec.choices if not c[2] and not c[1]][:1] or [[]]
    picks = rng.random((size, len(options))) < (noisy[:, None] * 0.9)
    return np.array(
        [[o for o, p in zip(options, row, strict=True) if p] or nothing[0] for row in picks[index]]
        + [[]],
        dtype=object,
    )[:-1]


def _numbers(spec, noisy: np.ndarray, numbers_by_code: dict[str, np.ndarray]) -> np.ndarray:
    """Every organisation's number for an integer or decimal question."""
    denominator = numbers_by_code.get(spec.scoring.get("ratio_to", ""))
    if denominator is not None:
        # A share of the referenced count ("services online" of "all services"), so it never
        # exceeds it, and not asked when there is nothing to share.
        return np.floor(noisy * denominator)
    thresholds = sorted(t[0] for t in spec.scoring.get("thresholds", [])) or [10.0]
    top = max(thresholds) * 1.5
    return np.floor(noisy**1.5 * top)


def answer_rows(specs, targets, levels, rng, answered: np.ndarray) -> pd.DataFrame:
    """Answers for every target (rows of responses), question by question, vectorised over
    organisations. `answered[i]` is the share of questions organisation i answered."""
    size = len(targets)
    chosen: dict[str, np.ndarray] = {}
    numbers_by_code: dict[str, np.ndarray] = {}  # so a ratio's numerator fits its denominator
    staff = _staff_counts(targets, levels.mean(axis=1).to_numpy(), rng)
    frames = []
    for spec in specs:
        level = levels[spec.pillar].to_numpy() if spec.pillar in levels else np.full(size, 0.5)
        noisy = np.clip(level + rng.normal(0, 0.15, size), 0, 0.999)
        shown = _relevant_mask(spec, chosen, numbers_by_code, size) & (rng.random(size) < answered)
        index = np.nonzero(shown)[0]
        if spec.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO):
            values = _single_choice(spec, noisy, size, rng)
            if values is None:
                continue
            chosen[spec.code] = np.where(shown, values, None)
            frames.append(_frame(index, spec, choices=values[index]))
        elif spec.kind == QuestionKind.MULTIPLE_CHOICE:
            values = _multiple_choice(spec, noisy, size, index, rng)
            everyone = np.full(size, None, dtype=object)
            everyone[index] = values
            chosen[spec.code] = everyone
            frames.append(_frame(index, spec, choices=values))
        elif spec.kind == QuestionKind.COUNT_BY_SEX:
            women, men = staff.get(spec.role) or (rng.poisson(3, size), rng.poisson(4, size))
            numbers_by_code[spec.code] = np.where(shown, women + men, np.nan)
            for sex, numbers in (("F", women), ("M", men)):
                frames.append(_frame(index, spec, sex=sex, number=numbers[index].astype(float)))
        elif spec.kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):
            numbers = _numbers(spec, noisy, numbers_by_code)
            numbers_by_code[spec.code] = np.where(shown, numbers, np.nan)
            frames.append(_frame(index, spec, number=numbers[index]))
    return pd.concat(frames, ignore_index=True)


def _array_literal(values) -> str:
    if values is None or (isinstance(values, float) and np.isnan(values)):
        return "{}"
    if isinstance(values, str):
        values = [values]
    return "{" + ",".join('"' + str(v).replace('"', '\\"') + '"' for v in values) + "}"


def copy_answers(rows: pd.DataFrame, response_ids: np.ndarray) -> None:
    now = timezone.now().isoformat()
    table = pd.DataFrame(
        {
            "response_id": response_ids[rows["row"].to_numpy()],
            "question_id": rows["question_id"].to_numpy(),
            "sex": rows["sex"].to_numpy(),
            "number": rows["number"].to_numpy(),
            "text": "",
            "choices": [_array_literal(v) for v in rows["choices"].to_numpy()],
            "updated_at": now,
        }
    )
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, header=False)
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f'COPY "{Answer._meta.db_table}" (response_id, question_id, sex, number, text, '
            "choices, updated_at) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (sex, text))",
            buffer,
        )
