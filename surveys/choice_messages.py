"""The refusal of a value that is not one of a question's choices: the value quoted, and the
allowed values listed when they are few enough to read (issue 9, point 6)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

FEW_CHOICES = 12  # a longer list (villages, 6,000 of them) is not pasted into a message


def unknown_choice(values: Iterable[str], allowed: Iterable[str]) -> str:
    """The message for `values` (those not among `allowed`), in the active language."""
    allowed = list(allowed)
    unknown = ", ".join(f"“{value}”" for value in values if value not in allowed)
    if len(allowed) <= FEW_CHOICES:
        return _("%(values)s is not one of the answers in the list; use one of: %(allowed)s.") % {
            "values": unknown,
            "allowed": ", ".join(allowed),
        }
    return _(
        "%(values)s is not one of the answers in the list (%(count)s answers: use their names "
        "as in the questionnaire's choices)."
    ) % {"values": unknown, "count": len(allowed)}
