"""XLSForm file -> a draft QuestionnaireVersion, all or nothing."""

from __future__ import annotations

from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from surveys.models import (
    Choice,
    Pillar,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Recommendation,
    RespondentType,
)
from surveys.xlsform.identifiers import identifier_problems, labels_trim
from surveys.xlsform.problems import ImportResult, Problem
from surveys.xlsform.pyxform_messages import pyxform_error, pyxform_warnings
from surveys.xlsform.reader import FormReader
from surveys.xlsform.specs import FormSpec
from surveys.xlsform.workbook import WorkbookError, read_bytes, read_workbook


class _Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


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
        result.errors.append(Problem("", None, "", str(exc)))
        return None, result
    # Names with invisible characters or case twins refuse the file before it is read: every
    # rule that compares names would otherwise be silently wrong.
    result.errors.extend(identifier_problems(sheets))
    if result.errors:
        return None, result
    labels_trim(sheets)
    reader = FormReader(sheets, filename)
    spec = reader.read()
    result.errors.extend(reader.errors)
    result.warnings.extend(reader.warnings)
    if spec is None:
        return None, result
    errors, warnings = _pyxform_problems(data, sheets)
    result.errors.extend(errors)
    result.warnings.extend(warnings)
    return (None if errors else spec), result


def _questionnaire_for(spec: FormSpec, questionnaire: Questionnaire | None, user) -> Questionnaire:
    if questionnaire is None:
        questionnaire, _created = Questionnaire.objects.select_for_update().get_or_create(
            code=spec.questionnaire_code,
            defaults={
                "title": spec.title,
                "respondent_type": spec.respondent_type or RespondentType.ORGANISATION,
            },
        )
    else:
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if spec.respondent_type and spec.respondent_type != questionnaire.respondent_type:
        raise _Refused(
            [
                Problem(
                    "settings",
                    2,
                    "respondent_type",
                    _(
                        "The questionnaire “%(code)s” is for %(type)s respondents; a version "
                        "cannot change that."
                    )
                    % {
                        "code": questionnaire.code,
                        "type": questionnaire.get_respondent_type_display(),
                    },
                )
            ]
        )
    return questionnaire


def _write(
    spec: FormSpec, *, questionnaire: Questionnaire, user, filename: str
) -> QuestionnaireVersion:
    last = questionnaire.versions.aggregate(last=Max("number"))["last"] or 0
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=last + 1,
        title=spec.title,
        languages=spec.languages,
        language_columns=spec.language_columns,
        stage_names=spec.stage_names,
        form_id=spec.form_id,
        xlsform_settings=spec.settings,
        source_filename=filename[:255],
        created_by=user if user and user.is_authenticated else None,
    )
    pillars = Pillar.objects.bulk_create(
        [
            Pillar(
                version=version,
                code=p.code,
                name=p.name,
                description=p.description,
                weight=p.weight,
                order=p.order,
                is_enabler=p.is_enabler,
            )
            for p in spec.pillars
        ]
    )
    pillar_by_code = {pillar.code: pillar for pillar in pillars}
    questions = Question.objects.bulk_create(
        [
            Question(
                version=version,
                pillar=pillar_by_code.get(q.pillar_code),
                code=q.code,
                order=order,
                kind=q.kind,
                label=q.label,
                hint=q.hint,
                required=q.required,
                relevant=q.relevant,
                constraint=q.constraint,
                constraint_message=q.constraint_message,
                weight=q.weight,
                scoring=q.scoring,
                gender_role=q.gender_role,
                list_name=q.list_name,
                group=q.group,
                extra=q.extra,
            )
            for order, q in enumerate(spec.questions)
        ]
    )
    Choice.objects.bulk_create(
        [
            Choice(
                question=question,
                value=c.value,
                label=c.label,
                score=c.score,
                is_dont_know=c.is_dont_know,
                order=order,
                extra=c.extra,
            )
            for question, q in zip(questions, spec.questions, strict=True)
            for order, c in enumerate(q.choices)
        ]
    )
    Recommendation.objects.bulk_create(
        [
            Recommendation(version=version, pillar=pillar_by_code[pillar], stage=stage, text=text)
            for pillar, stage, text in spec.recommendations
        ]
    )
    return version


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
    `.errors` lists every problem found (sheet, row, column, message in the active language)."""
    from surveys.services.questionnaires import version_publish

    spec, result = read_form(file=file, filename=filename)
    if spec is None:
        return result
    try:
        with transaction.atomic():
            target = _questionnaire_for(spec, questionnaire, user)
            version = _write(spec, questionnaire=target, user=user, filename=filename)
            if publish:
                version = version_publish(version=version, user=user)
    except _Refused as exc:
        result.errors.extend(exc.problems)
        return result
    except ValidationError as exc:
        result.errors.extend(Problem("", None, "", message) for message in exc.messages)
        return result
    result.version = version
    return result
