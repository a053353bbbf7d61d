"""Reading the built-in questionnaires' CSV sheets, and the bilingual check both must pass."""

import csv
import re
from pathlib import Path

LO, EN = "Lao (lo)", "English (en)"
LAO_LETTER = re.compile(r"[\u0E80-\u0EFF]")
TEXT_COLUMNS = (
    ("survey", ("label", "hint", "constraint_message")),
    ("choices", ("label",)),
    ("pillars", ("name",)),
    ("stages", ("name",)),
    ("recommendations", ("text",)),
)


def read_sheet(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def assert_bilingual(folder: Path, *, always: set[str]) -> int:
    """Every text is written in Lao (with Lao letters) and in English (without them); the
    columns in `always` must be filled on every row, the others whenever one side is.
    Returns how many texts were checked."""
    checked = 0
    for name, bases in TEXT_COLUMNS:
        for number, row in enumerate(read_sheet(folder, name), start=2):
            if row.get("type") == "end group":
                continue
            for base in bases:
                lao, english = row[f"{base}::{LO}"].strip(), row[f"{base}::{EN}"].strip()
                if base in always or lao or english:
                    where = f"{name}.csv line {number} {base}"
                    assert lao and english, where
                    assert LAO_LETTER.search(lao), f"{where}: the Lao text has no Lao letter"
                    assert not LAO_LETTER.search(english), f"{where}: Lao in the English text"
                    checked += 1
    return checked
