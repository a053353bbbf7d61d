"""Which questions count in the scores: the one rule, with no database and no Django.

`Question.is_scored` (the publish checks) and the scoring engine
(`reports.scoring.engine.scored_questions`, on DataFrames) both ask `is_scored`, so a question
the publish checks count as scored is one the engine scores, and the other way round."""

from __future__ import annotations

CHOICE_KINDS = ("single_choice", "multiple_choice", "yes_no")
# A calculate scores its number like an integer or a decimal does.
NUMBER_KINDS = ("integer", "decimal", "count_by_sex", "calculate")


def is_set(value: object) -> bool:
    """A rule or a role is set: a non-empty list or string (a missing one may come as None,
    NaN or '' depending on where it was read from)."""
    return isinstance(value, list | tuple | str) and len(value) > 0


def is_scored(
    kind: str, *, in_pillar: bool, has_choice_score: bool, thresholds: object, ratio_to: object
) -> bool:
    """True when the question counts: it is in a pillar, and it is either a choice question
    (single, multiple, yes/no) with at least one choice that has a score
    (`has_choice_score`), or a number question (integer, decimal, count by sex, calculate)
    with a rule: `thresholds` ([[at_least, score 0–1], …]) or `ratio_to` (a question code)."""
    if not in_pillar:
        return False
    if kind in CHOICE_KINDS:
        return has_choice_score
    return kind in NUMBER_KINDS and (is_set(thresholds) or is_set(ratio_to))
