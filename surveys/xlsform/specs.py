"""The column names the reader knows, and the spec types it fills (FormSpec is the
VersionSpec of surveys/version_specs.py)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from surveys.models import QuestionKind
from surveys.version_specs import ChoiceSpec, PillarSpec, QuestionSpec
from surveys.version_specs import VersionSpec as FormSpec
from surveys.xlsform.workbook import Row

# Survey columns we model; every other column is carried in Question.extra for the round trip.
SURVEY_KNOWN = {
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "pillar",
    "weight",
    "score",
    "gender_role",
}
CHOICES_KNOWN = {"list_name", "name", "label", "score", "dont_know"}
SETTINGS_KNOWN = {"form_title", "form_id", "default_language", "respondent_type"}
TITLE_PREFIX = "form_title_"  # form_title_en: the title in another language
# Kinds that take a number rule in `score` (a calculate that gives a number may be scored).
NUMERIC_KINDS = {
    QuestionKind.INTEGER,
    QuestionKind.DECIMAL,
    QuestionKind.COUNT_BY_SEX,
    QuestionKind.CALCULATE,
}
REF_RE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}$")
MAIN_PILLAR = "main"


@dataclass(slots=True)
class Group:
    row: Row | None
    name: str
    children: list = field(default_factory=list)


def finite_number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


__all__ = ["ChoiceSpec", "FormSpec", "Group", "PillarSpec", "QuestionSpec", "finite_number"]
