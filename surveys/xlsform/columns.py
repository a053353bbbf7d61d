"""Column headers, language columns and question types as XLSForm writes them."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Header spellings seen in real forms (pyxform's aliases), mapped to the names we use.
HEADER_ALIASES = {
    "bind:relevant": "relevant",
    "relevance": "relevant",
    "bind:constraint": "constraint",
    "bind:required": "required",
    "bind:jr:constraintmsg": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "constraining_message": "constraint_message",
    "control:appearance": "appearance",
    "body:appearance": "appearance",
    "caption": "label",
    "list name": "list_name",
    "value": "name",
}
# Columns that carry text in each language: `label::Lao (lo)`.
TRANSLATABLE = {"label", "hint", "constraint_message", "name", "text", "description"}

LANGUAGE_RE = re.compile(r"^(.*?)\s*\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\s*\)\s*$")
# Bare language names we recognise; any other name is kept as its own code (e.g. "Swahili").
KNOWN_LANGUAGE_NAMES = {"english": "en", "lao": "lo", "ລາວ": "lo", "ພາສາລາວ": "lo"}


@dataclass(frozen=True, slots=True)
class Column:
    header: str  # as written in the file
    base: str  # normalised: label, hint, relevant, pillar...
    language: str | None  # the language part as written ("Lao (lo)"), "" for a bare column


def language_code(column_language: str) -> str:
    """`Lao (lo)` -> "lo", `English` -> "en", `Swahili` -> "Swahili"."""
    text = column_language.strip()
    match = LANGUAGE_RE.match(text)
    if match:
        return match.group(2).lower().replace("_", "-")
    return KNOWN_LANGUAGE_NAMES.get(text.lower(), text)


def parse_header(header: str) -> Column:
    text = header.strip()
    if "::" in text:
        base, language = text.split("::", 1)
        base = re.sub(r"\s*:\s*", ":", base.strip().lower())
        base = HEADER_ALIASES.get(base, base)
        return Column(header=header, base=base, language=language.strip())
    base = re.sub(r"\s*:\s*", ":", text.lower())
    base = HEADER_ALIASES.get(base, base)
    return Column(header=header, base=base, language="" if base in TRANSLATABLE else None)


def columns_of(headers: list[str]) -> dict[str, Column]:
    return {header: parse_header(header) for header in headers}


def find_column(columns: dict[str, Column], base: str) -> str | None:
    """The header of the untranslated column `base` (first one if repeated)."""
    for header, column in columns.items():
        if column.base == base and not column.language:
            return header
    return None


# --- question types -------------------------------------------------------------------------

METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "device id",
    "subscriberid",
    "subscriber id",
    "simserial",
    "sim id",
    "phonenumber",
    "phone number",
    "username",
    "email",
    "audit",
    "imei",
    "start time",
    "end time",
    "get start time",
    "get end time",
    "get today",
    "get device id",
    "get subscriber id",
    "get sim id",
    "get phone number",
}
SIMPLE = {
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "text": "text",
    "string": "text",
    "date": "date",
    "note": "note",
    "calculate": "calculate",
}
SELECT_ONE = {"select_one", "select one", "select1"}
SELECT_MULTIPLE = {"select_multiple", "select all that apply", "select multiple"}
GROUP_BEGIN = {"begin group", "begin_group"}
GROUP_END = {"end group", "end_group"}
REPEAT = {
    "begin repeat",
    "begin_repeat",
    "end repeat",
    "end_repeat",
    "begin loop",
    "begin_loop",
    "end loop",
    "end_loop",
    "begin lgroup",
    "begin looped group",
}


@dataclass(frozen=True, slots=True)
class QuestionType:
    category: str  # simple kind, select_one, select_multiple, begin_group, end_group,
    #                metadata, unsupported, unknown
    list_name: str = ""
    or_other: bool = False


def classify(type_text: str) -> QuestionType:
    from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

    text = re.sub(r"\s+", " ", type_text.strip())
    lowered = text.lower()
    if lowered in GROUP_BEGIN:
        return QuestionType("begin_group")
    if lowered in GROUP_END:
        return QuestionType("end_group")
    if lowered in REPEAT:
        return QuestionType("unsupported")
    if lowered in SIMPLE:
        return QuestionType(SIMPLE[lowered])
    if lowered in METADATA or lowered.startswith("uri:"):
        return QuestionType("metadata")
    words = text.split(" ")
    for keyword_set, category in ((SELECT_ONE, "select_one"), (SELECT_MULTIPLE, "select_multiple")):
        for size in (4, 3, 2, 1):
            head = " ".join(words[:size]).lower()
            if head in keyword_set and len(words) > size:
                rest = words[size:]
                # Legacy spelling: "select one from yes_no".
                if rest[0].lower() == "from" and len(rest) > 1:
                    rest = rest[1:]
                or_other = len(rest) == 2 and rest[1].lower() == "or_other"
                if len(rest) == 1 or or_other:
                    return QuestionType(category, list_name=rest[0], or_other=or_other)
    if lowered in QUESTION_TYPE_DICT or words[0].lower() in {
        "select_one_from_file",
        "select_multiple_from_file",
        "select_one_external",
        "rank",
        "range",
        "xml-external",
        "csv-external",
        "begin",
        "end",
    }:
        return QuestionType("unsupported")
    return QuestionType("unknown")


YES_VALUES = {"yes", "true", "true()", "1"}
NO_VALUES = {"no", "false", "false()", "0", ""}


def parse_flag(text: str) -> bool | None:
    """A yes/no cell as XLSForm writes it; None when it is neither."""
    lowered = text.strip().lower()
    if lowered in YES_VALUES:
        return True
    if lowered in NO_VALUES:
        return False
    return None


NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
