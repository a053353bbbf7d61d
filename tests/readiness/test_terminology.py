"""One Lao term per concept (issue 12, point 7) across the interface (the Lao catalog) and the
built-in questionnaires (their CSV sheets): wherever a concept's English term appears, the Lao
text uses the glossary's term (locale/glossary.csv, the repository's copy of the product terms of
../shared/GLOSSARY.md, extended), never a variant it lists to avoid.

A Lao text that keeps the English word itself (a sheet or column name such as "pillars") is a
technical name and is not judged. Placeholders (%(pillar)s, {{ round }}, ${q}) are not words."""

from __future__ import annotations

import ast
import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOG = BASE / "locale" / "lo" / "LC_MESSAGES" / "django.po"
GLOSSARY = BASE / "locale" / "glossary.csv"
QUESTIONNAIRES = BASE / "surveys" / "default_questionnaire"
PLACEHOLDERS = re.compile(r"%\(\w+\)[sdf]|\{\{.*?\}\}|\$\{.*?\}|<code>.*?</code>|%[sd]")


@dataclass(frozen=True)
class Concept:
    english: re.Pattern
    lao: tuple[str, ...]  # the glossary's term first, then accepted short forms
    avoid: tuple[str, ...]
    unless: re.Pattern | None  # English contexts where the word names another concept

    def problem(self, english: str, lao: str) -> str | None:
        """Why this pair breaks the glossary, or None."""
        text = PLACEHOLDERS.sub(" ", english)
        if not self.english.search(text) or (self.unless and self.unless.search(text)):
            return None
        if self.english.search(lao):
            return None  # a technical name kept in English
        wrong = [variant for variant in self.avoid if variant in lao]
        if wrong:
            return f"says {wrong[0]} instead of {self.lao[0]}"
        if not any(term in lao for term in self.lao):
            return f"does not use {self.lao[0]}"
        return None


def concepts() -> list[Concept]:
    def split(cell: str) -> tuple[str, ...]:
        return tuple(part for part in cell.split("|") if part)

    with GLOSSARY.open(encoding="utf-8") as file:
        return [
            Concept(
                english=re.compile(rf"\b(?:{row['english']})\b", re.IGNORECASE),
                lao=(row["lao"], *split(row["also"])),
                avoid=split(row["avoid"]),
                unless=re.compile(row["except"], re.IGNORECASE) if row["except"] else None,
            )
            for row in csv.DictReader(file)
        ]


def catalog_pairs() -> list[tuple[str, str, str]]:
    """(where, English, Lao) of every translated entry of the Lao catalog (plural forms too)."""
    pairs: list[tuple[str, str, str]] = []
    entry: dict[str, str] = {}
    key = ""

    def flush() -> None:
        english = entry.get("msgid", "")
        for name, lao in entry.items():
            if name.startswith("msgstr") and english and lao:
                pairs.append(("django.po", entry.get("msgid_plural") or english, lao))

    for line in CATALOG.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith('"'):
            entry[key] += ast.literal_eval(line)
            continue
        key, _, value = line.partition(" ")
        if key == "msgid":
            flush()
            entry = {}
        entry[key] = ast.literal_eval(value)
    flush()
    return pairs


def questionnaire_pairs() -> list[tuple[str, str, str]]:
    """(where, English, Lao) of every bilingual cell pair of the built-in questionnaires."""
    pairs = []
    for path in sorted(QUESTIONNAIRES.rglob("*.csv")):
        with path.open(encoding="utf-8") as file:
            for number, row in enumerate(csv.DictReader(file), start=2):
                for column, english in row.items():
                    if column and column.endswith("::English (en)") and english:
                        lao = row.get(column.replace("English (en)", "Lao (lo)"), "")
                        where = f"{path.relative_to(QUESTIONNAIRES)}:{number} {column}"
                        if lao:
                            pairs.append((where, english, lao))
    return pairs


def problems(pairs) -> list[str]:
    found = []
    for concept in concepts():
        for where, english, lao in pairs:
            if reason := concept.problem(english, lao):
                found.append(f"{where}: {english!r} -> {lao!r} {reason}")
    return found


def test_the_glossary_has_the_products_terms():
    english = {concept.english.pattern for concept in concepts()}
    for term in ("pillar", "reviewer", "focal point", "round", "score", "stage", "gap"):
        assert any(re.search(term, pattern) for pattern in english), term


def test_the_check_catches_a_variant_and_a_missing_term():
    pairs = [
        ("a", "The reviewer returns it", "ຜູ້ກວດສອບສົ່ງຄືນ"),
        ("b", "In 7 pillars", "ຕາມ 7 ເສົາຄ້ຳ"),
        ("c", "Your focal point", "ຜູ້ຕິດຕໍ່ຂອງທ່ານ"),
        ("d", "The pillars sheet", "ແຜ່ນງານ pillars"),  # a technical name: not judged
        ("e", "%(pillar)s: score", "%(pillar)s: ຄະແນນ"),  # a placeholder is not the word
    ]
    found = problems(pairs)
    assert sorted(line.split(":")[0] for line in found) == ["a", "b", "c"]


def test_the_lao_catalog_uses_one_term_per_concept():
    pairs = catalog_pairs()
    assert len(pairs) > 1000
    found = problems(pairs)
    assert not found, "\n".join(found)


def test_the_built_in_questionnaires_use_one_term_per_concept():
    pairs = questionnaire_pairs()
    assert len(pairs) > 100
    found = problems(pairs)
    assert not found, "\n".join(found)
