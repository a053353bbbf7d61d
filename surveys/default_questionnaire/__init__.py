"""The default questionnaire for state organisations, shipped with the product.

The content lives next to this file as one CSV per XLSForm sheet (survey, choices, settings,
pillars, stages, recommendations), so a reviewer reads every change to a question or a
translation in a plain diff. Loading assembles them into an .xlsx in memory and goes through
the same XLSForm importer as an administrator's upload: one set of checks for every form.
"""

from __future__ import annotations

import csv
import io
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


class DefaultQuestionnaireError(RuntimeError):
    """The shipped CSVs do not import: a bug in this folder, reported with every problem."""


def default_questionnaire_sheets() -> dict[str, list[list[str]]]:
    """Rows of each CSV sheet (the header first), by sheet name, in XLSForm order."""
    paths = sorted(FOLDER.glob("*.csv"))
    rank = {name: index for index, name in enumerate(SHEET_ORDER)}
    paths.sort(key=lambda path: (rank.get(path.stem, len(rank)), path.stem))
    sheets = {}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[path.stem] = [row for row in csv.reader(handle) if any(row)]
    return sheets


def default_questionnaire_workbook() -> bytes:
    """The CSV sheets as one .xlsx (what KoboToolbox or ODK would be given)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in default_questionnaire_sheets().items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _already_loaded() -> bool:
    return QuestionnaireVersion.objects.filter(form_id=FORM_ID).exists()


@transaction.atomic
def default_questionnaire_load() -> list[str]:
    """Imports and publishes the default questionnaire once; returns what it did, line by line.

    Idempotent: if any version of `lao_dma_state` exists (published, draft or retired), nothing
    is created, so an administrator's later versions are never shadowed by a reload."""
    from surveys.services.questionnaires import version_publish
    from surveys.xlsform import xlsform_import

    # Two `load_reference_data` runs at once must not both import (there is no row to lock
    # yet the first time): the second waits here, then finds the first one's version.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOAD_LOCK_KEY])
    if _already_loaded():
        return [_("Default questionnaire already present.")]
    result = xlsform_import(file=io.BytesIO(default_questionnaire_workbook()), filename=FILENAME)
    if result.version is None:
        problems = "\n".join(f"- {problem}" for problem in result.errors)
        raise DefaultQuestionnaireError(
            f"The default questionnaire in {FOLDER} does not import:\n{problems}"
        )
    version = version_publish(version=result.version, user=None)
    return [
        _(
            "Default questionnaire %(form_id)s v%(number)s published: %(pillars)s pillars, "
            "%(questions)s questions, %(recommendations)s recommendations."
        )
        % {
            "form_id": FORM_ID,
            "number": version.number,
            "pillars": version.pillars.count(),
            "questions": version.questions.count(),
            "recommendations": version.recommendations.count(),
        }
    ]
