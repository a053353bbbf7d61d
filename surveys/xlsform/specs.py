"""The plain description of a questionnaire version read from an XLSForm (FormSpec and its
parts), and the column names the reader knows."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from surveys.models import QuestionKind
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
    "pillar",
    "weight",
    "score",
    "gender_role",
}
CHOICES_KNOWN = {"list_name", "name", "label", "score", "dont_know"}
SETTINGS_KNOWN = {"form_title", "form_id", "default_language", "respondent_type"}
TITLE_PREFIX = "form_title_"  # form_title_en: the title in another language
NUMERIC_KINDS = {QuestionKind.INTEGER, QuestionKind.DECIMAL, QuestionKind.COUNT_BY_SEX}
REF_RE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}$")
MAIN_PILLAR = "main"


@dataclass(slots=True)
class ChoiceSpec:
    value: str
    label: dict[str, str]
    score: float | None
    is_dont_know: bool
    extra: dict[str, str]
    row: int


@dataclass(slots=True)
class QuestionSpec:
    code: str
    kind: str
    row: int
    label: dict[str, str] = field(default_factory=dict)
    hint: dict[str, str] = field(default_factory=dict)
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    weight: float = 1.0
    scoring: dict = field(default_factory=dict)
    gender_role: str = ""
    list_name: str = ""
    group: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    pillar_code: str | None = None
    choices: list[ChoiceSpec] = field(default_factory=list)


@dataclass(slots=True)
class PillarSpec:
    code: str
    name: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    weight: float = 1.0
    order: int = 0
    is_enabler: bool = False


@dataclass(slots=True)
class FormSpec:
    form_id: str
    questionnaire_code: str
    title: dict[str, str]
    respondent_type: str | None
    languages: list[str]
    language_columns: dict[str, str]
    settings: dict[str, str]
    stage_names: dict
    pillars: list[PillarSpec]
    questions: list[QuestionSpec]
    recommendations: list[tuple[str, int, dict[str, str]]]


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
