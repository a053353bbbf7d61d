"""Template filters of the results pages: shares (0-1) as percentages, counts, scores."""

from django import template

from reports.anonymity import FEWER_THAN
from reports.dashboards.panels import COUNT, SCORE, SHARE, format_value

register = template.Library()


@register.filter
def percent(value) -> str:
    """A share on 0-1 as '43%'; '' for no data."""
    return format_value(value, SHARE)


@register.filter
def count(value) -> str:
    """A count with thousands separators; '' for no data."""
    return format_value(value, COUNT)


@register.filter
def score(value) -> str:
    """A score on 1-5 with two decimals; '' for no data."""
    return format_value(value, SCORE)


@register.simple_tag
def fewer_than_minimum() -> str:
    """'fewer than 5 responses' (settings.MIN_GROUP_SIZE), shown instead of a withheld result
    of an individual questionnaire (reports.anonymity)."""
    return str(FEWER_THAN)
