"""The plain description of a questionnaire version (VersionSpec and its parts): what the
XLSForm reader returns, what a new draft copies and what the synthetic seeding builds, and what
`surveys.services.versions.version_create` writes. No database access here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

COUNT_BY_SEX = "count_by_sex"  # QuestionKind.COUNT_BY_SEX (this module stays free of models)


def referable_names(questions: Iterable) -> set[str]:
    """The names an expression of a version may refer to as ${name}: every question's code,
    and `<code>_f`/`<code>_m` of a count by sex. `questions`: Question rows or QuestionSpecs
    (anything with `code` and `kind`); the one rule of the XLSForm reader and the publish
    checks."""
    names = set()
    for question in questions:
        names.add(question.code)
        if question.kind == COUNT_BY_SEX:
            names |= {f"{question.code}_f", f"{question.code}_m"}
    return names


@dataclass(slots=True)
class ChoiceSpec:
    value: str
    label: dict[str, str]
    score: float | None
    is_dont_know: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    row: int = 0  # the XLSForm row it was read from (0: not read from a file)


@dataclass(slots=True)
class QuestionSpec:
    code: str
    kind: str
    row: int = 0
    label: dict[str, str] = field(default_factory=dict)
    hint: dict[str, str] = field(default_factory=dict)
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    calculation: str = ""
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
class VersionSpec:
    """A version's own fields and its parts, in order; `recommendations` are (pillar code,
    stage 1-5, text by language)."""

    form_id: str
    questionnaire_code: str
    title: dict[str, str]
    respondent_type: str | None
    languages: list[str]
    language_columns: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    stage_names: dict = field(default_factory=dict)
    pillars: list[PillarSpec] = field(default_factory=list)
    questions: list[QuestionSpec] = field(default_factory=list)
    recommendations: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)
