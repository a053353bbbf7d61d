"""Anonymity of individual questionnaires (surveys of staff answered through a share link): no
result is shown for a group of fewer respondents than settings.MIN_GROUP_SIZE (default 5),
overall and for each sex; `FEWER_THAN` is what is shown instead. Every place that shows an
individual questionnaire's results asks `too_few_respondents` (home, dashboards, exports, API)."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import ngettext


def too_few_respondents(respondents: float | None, minimum: int | None = None) -> bool:
    """True when a group of `respondents` people (a count; None or NaN count as none) is too
    small for its results to be shown: fewer than `minimum`, by default settings.MIN_GROUP_SIZE.
    Results are scores, stages, gaps and shares of the group; its count of respondents stays
    visible. Raises nothing."""
    limit = settings.MIN_GROUP_SIZE if minimum is None else minimum
    count = 0 if respondents is None or respondents != respondents else respondents
    return count < limit


def sexes_withheld(women: float | None, men: float | None, minimum: int | None = None) -> bool:
    """True when the mean scores of women and of men of a group must BOTH be withheld: when
    either sex has too few respondents (`too_few_respondents`). Withholding only the small
    sex would not protect it: the group's overall mean, which is shown, and the other sex's
    mean give it back (secondary suppression, as statistical offices practise it). The gap
    between them goes with them. Counts stay visible. Raises nothing."""
    return too_few_respondents(women, minimum) or too_few_respondents(men, minimum)


def _fewer_than() -> str:
    minimum = settings.MIN_GROUP_SIZE
    return ngettext(
        "fewer than %(minimum)s response", "fewer than %(minimum)s responses", minimum
    ) % {"minimum": minimum}


# What is shown instead of a withheld result, in the active language ("fewer than 5 responses").
FEWER_THAN = lazy(_fewer_than, str)()
