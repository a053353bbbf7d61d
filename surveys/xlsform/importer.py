"""XLSForm file -> a draft QuestionnaireVersion, all or nothing: read and checked here, written
by surveys.services.versions.version_create."""

from __future__ import annotations

from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from readiness.imports import ImportResult, Problem
from surveys.models import Questionnaire
from surveys.services.questionnaires import version_publish
from surveys.services.versions import version_create
from surveys.xlsform.identifiers import identifier_problems, labels_trim
from surveys.xlsform.pyxform_messages import pyxform_error, pyxform_warnings
from surveys.xlsform.reader import FormReader
from surveys.xlsform.specs import FormSpec
from surveys.xlsform.workbook import WorkbookError, read_bytes, read_workbook


def _pyxform_problems(data: bytes, sheets: list) -> tuple[list[Problem], list[Problem]]:
    """pyxform's own verdict on the whole form (what KoboToolbox and ODK would say), in the
    user's language."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    try:
        convert(xlsform=data, warnings=warnings)
    except PyXFormError as exc:
        return [pyxform_error(str(exc), sheets)], []
    except Exception as exc:  # pyxform fails in other ways on forms it does not expect
        return [
            Problem(
                "",
                None,
                "",
                _("The XLSForm converter failed on this form (%(reason)s).")
                % {"reason": exc.__class__.__name__},
            )
        ], []
    return [], pyxform_warnings(warnings, sheets)


def read_form(
    *, file: str | bytes | BinaryIO, filename: str
) -> tuple[FormSpec | None, ImportResult]:
    """Reads and checks the file without touching the database."""
    result = ImportResult()
    try:
        data = read_bytes(file)
        sheets = read_workbook(data, filename)
    except (WorkbookError, OSError) as exc:
        result.problems.append(Problem("", None, "", str(exc)))
        return None, result
    # Names with invisible characters or case twins refuse the file before it is read: every
    # rule that compares names would otherwise be silently wrong.
    result.problems.extend(identifier_problems(sheets))
    if result.problems:
        return None, result
    labels_trim(sheets)
    reader = FormReader(sheets, filename)
    spec = reader.read()
    result.problems.extend(reader.errors)
    result.warnings.extend(reader.warnings)
    if spec is None:
        return None, result
    errors, warnings = _pyxform_problems(data, sheets)
    result.problems.extend(errors)
    result.warnings.extend(warnings)
    return (None if errors else spec), result


def xlsform_import(
    *,
    file: str | bytes | BinaryIO,
    filename: str,
    user=None,
    questionnaire: Questionnaire | None = None,
    publish: bool = False,
) -> ImportResult:
    """Imports an XLSForm as a new draft version (published at once if `publish`).

    Nothing is written unless the whole file is accepted: the result then has `.version`; else
    `.problems` lists every problem found (sheet, line, column, message in the active language).
    The package only reads and checks; the version is written by `version_create`."""
    spec, result = read_form(file=file, filename=filename)
    if spec is None:
        return result
    try:
        with transaction.atomic():
            version = version_create(
                questionnaire=questionnaire, spec=spec, user=user, source_filename=filename
            )
            if publish:
                version = version_publish(version=version, user=user)
    except ValidationError as exc:
        result.problems.extend(_problems_of(exc))
        return result
    result.version = version
    return result


def _problems_of(error: ValidationError) -> list[Problem]:
    """The writer's refusals as problems: a respondent type that a version cannot change is the
    settings sheet's; the publish checks have no place in the file."""
    if hasattr(error, "error_dict"):
        return [
            Problem("settings", 2, field, message)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [Problem("", None, "", message) for message in error.messages]
