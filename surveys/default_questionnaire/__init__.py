"""The built-in questionnaires, shipped with the product.

- `lao_dma_state`, the default questionnaire for state organisations (an organisation answers
  it): its CSVs are in this folder;
- `lao_staff_digital_skills`, a short digital-skills survey of civil servants (an individual
  questionnaire: staff answer anonymously through a share link, giving their sex and age band):
  its CSVs are in `staff_digital_skills/`.

Each questionnaire's content lives as one CSV per XLSForm sheet (survey, choices, settings,
pillars, stages, recommendations), so a reviewer reads every change to a question or a
translation in a plain diff. Loading assembles them into an .xlsx in memory and goes through
the same XLSForm importer as an administrator's upload: one set of checks for every form.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from surveys.models import QuestionnaireVersion

FOLDER = Path(__file__).resolve().parent
FORM_ID = "lao_dma_state"
FILENAME = f"{FORM_ID}.xlsx"
# Key of the PostgreSQL advisory lock that serialises concurrent loads (any fixed number).
LOAD_LOCK_KEY = 0x1A0D3A
# The sheet order of a hand-made XLSForm; any other CSV in the folder follows.
SHEET_ORDER = ("survey", "choices", "settings", "pillars", "stages", "recommendations")
# XLSForm has a single `form_title` (pyxform refuses a translated one), which the settings
# sheet gives in Lao; the English title is kept here.
TITLE_EN = "Digital readiness assessment of state organisations"  # settings.csv form_title_en

STAFF_FOLDER = FOLDER / "staff_digital_skills"
STAFF_FORM_ID = "lao_staff_digital_skills"
STAFF_TITLE_EN = "Digital skills survey of civil servants"  # its settings.csv form_title_en


@dataclass(frozen=True)
class BuiltInQuestionnaire:
    """One shipped questionnaire: the folder of its CSV sheets and its XLSForm form_id."""

    folder: Path
    form_id: str

    @property
    def filename(self) -> str:
        return f"{self.form_id}.xlsx"


DEFAULT = BuiltInQuestionnaire(folder=FOLDER, form_id=FORM_ID)
STAFF = BuiltInQuestionnaire(folder=STAFF_FOLDER, form_id=STAFF_FORM_ID)
# Loaded in this order by `default_questionnaire_load()` (and `manage.py load_reference_data`).
BUILT_IN = (DEFAULT, STAFF)


class DefaultQuestionnaireError(RuntimeError):
    """The shipped CSVs do not import: a bug in this folder, reported with every problem."""


def questionnaire_sheets(folder: Path) -> dict[str, list[list[str]]]:
    """Rows of each CSV sheet of `folder` (the header first), by sheet name, in XLSForm
    order. Only the folder's own CSVs: a questionnaire in a subfolder is another one."""
    paths = sorted(folder.glob("*.csv"))
    rank = {name: index for index, name in enumerate(SHEET_ORDER)}
    paths.sort(key=lambda path: (rank.get(path.stem, len(rank)), path.stem))
    sheets = {}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[path.stem] = [row for row in csv.reader(handle) if any(row)]
    return sheets


def questionnaire_workbook(folder: Path) -> bytes:
    """The CSV sheets of `folder` as one .xlsx (what KoboToolbox or ODK would be given)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in questionnaire_sheets(folder).items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def default_questionnaire_sheets() -> dict[str, list[list[str]]]:
    """The sheets of the default questionnaire for state organisations."""
    return questionnaire_sheets(FOLDER)


def default_questionnaire_workbook() -> bytes:
    """The default questionnaire for state organisations as one .xlsx."""
    return questionnaire_workbook(FOLDER)


def staff_questionnaire_workbook() -> bytes:
    """The staff digital-skills survey as one .xlsx."""
    return questionnaire_workbook(STAFF_FOLDER)


def _load_one(questionnaire: BuiltInQuestionnaire) -> str:
    """Imports and publishes one built-in questionnaire unless a version of its form_id exists."""
    from surveys.services.questionnaires import version_publish
    from surveys.xlsform import xlsform_import

    if QuestionnaireVersion.objects.filter(form_id=questionnaire.form_id).exists():
        return _("Built-in questionnaire %(form_id)s already present.") % {
            "form_id": questionnaire.form_id
        }
    result = xlsform_import(
        file=io.BytesIO(questionnaire_workbook(questionnaire.folder)),
        filename=questionnaire.filename,
    )
    if result.version is None:
        problems = "\n".join(f"- {problem}" for problem in result.problems)
        raise DefaultQuestionnaireError(
            f"The built-in questionnaire in {questionnaire.folder} does not import:\n{problems}"
        )
    version = version_publish(version=result.version, user=None)
    return _(
        "Built-in questionnaire %(form_id)s v%(number)s published: %(pillars)s pillars, "
        "%(questions)s questions, %(recommendations)s recommendations."
    ) % {
        "form_id": questionnaire.form_id,
        "number": version.number,
        "pillars": version.pillars.count(),
        "questions": version.questions.count(),
        "recommendations": version.recommendations.count(),
    }


@transaction.atomic
def default_questionnaire_load() -> list[str]:
    """Imports and publishes each built-in questionnaire once; returns one line per
    questionnaire saying what it did.

    Idempotent on each form_id: if any version of it exists (published, draft or retired),
    that questionnaire is left alone, so an administrator's later versions are never
    shadowed by a reload, and a product update that adds a questionnaire loads just that one."""
    # Two `load_reference_data` runs at once must not both import (there is no row to lock
    # yet the first time): the second waits here, then finds the first one's versions.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOAD_LOCK_KEY])
    return [_load_one(questionnaire) for questionnaire in BUILT_IN]
