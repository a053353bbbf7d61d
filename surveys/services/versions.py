"""Creating a questionnaire version with its pillars, questions, choices and recommendations:
the one writer behind the XLSForm import, the "new draft" copy and the synthetic seeding
(reports/demo/). It writes a VersionSpec (surveys/version_specs.py) as given; the checks belong
to whoever built the spec (the XLSForm reader) and to publishing."""

from __future__ import annotations

import dataclasses

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
    default_stage_names,
)
from surveys.version_specs import ChoiceSpec, PillarSpec, QuestionSpec, VersionSpec


def _user_or_none(user):
    return user if user is not None and user.is_authenticated else None


def _questionnaire_for(spec: VersionSpec, questionnaire: Questionnaire | None) -> Questionnaire:
    """The questionnaire the version belongs to, locked (two writers never take the same
    number): the one given, else the one with the spec's code (created when missing)."""
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
        message = _(
            "The questionnaire “%(code)s” is for %(type)s respondents; a version "
            "cannot change that."
        ) % {"code": questionnaire.code, "type": questionnaire.get_respondent_type_display()}
        raise ValidationError({"respondent_type": [message]})
    return questionnaire


@transaction.atomic
def version_create(
    *,
    spec: VersionSpec,
    questionnaire: Questionnaire | None = None,
    user=None,
    source_filename: str = "",
) -> QuestionnaireVersion:
    """Writes `spec` as the next draft version (number = last + 1) of `questionnaire`, or of
    the questionnaire with code `spec.questionnaire_code` (created when missing), and returns it.

    Question order is the spec's list order; pillar order is each PillarSpec.order. Raises
    ValidationError({"respondent_type": [...]}) when the spec's respondent type differs from the
    questionnaire's, KeyError if a recommendation names a pillar code the spec does not have."""
    questionnaire = _questionnaire_for(spec, questionnaire)
    last = questionnaire.versions.aggregate(last=Max("number"))["last"] or 0
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=last + 1,
        title=spec.title,
        languages=spec.languages,
        language_columns=spec.language_columns,
        stage_names=spec.stage_names or default_stage_names(),
        form_id=spec.form_id,
        xlsform_settings=spec.settings,
        source_filename=source_filename[:255],
        created_by=_user_or_none(user),
    )
    pillars = Pillar.objects.bulk_create([_pillar(version, p) for p in spec.pillars])
    pillar_by_code = {pillar.code: pillar for pillar in pillars}
    questions = Question.objects.bulk_create(
        [
            _question(version, q, order, pillar_by_code.get(q.pillar_code))
            for order, q in enumerate(spec.questions)
        ]
    )
    Choice.objects.bulk_create(
        [
            _choice(question, c, order)
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


def _pillar(version: QuestionnaireVersion, p: PillarSpec) -> Pillar:
    return Pillar(
        version=version,
        code=p.code,
        name=p.name,
        description=p.description,
        weight=p.weight,
        order=p.order,
        is_enabler=p.is_enabler,
    )


# The fields a question's spec and its model row share, copied both ways: every field of
# QuestionSpec but its sheet row, its pillar (a code in the spec, a row in the model) and its
# choices (rows of their own).
_NOT_COPIED = ("row", "pillar_code", "choices")
QUESTION_FIELDS = tuple(
    f.name for f in dataclasses.fields(QuestionSpec) if f.name not in _NOT_COPIED
)


def _question_fields(q: QuestionSpec | Question) -> dict:
    """The QUESTION_FIELDS of a spec or a question row, by name."""
    return {name: getattr(q, name) for name in QUESTION_FIELDS}


def _question(version, q: QuestionSpec, order: int, pillar: Pillar | None) -> Question:
    return Question(
        version=version,
        pillar=pillar,
        order=order,
        **_question_fields(q),
    )


def _choice(question: Question, c: ChoiceSpec, order: int) -> Choice:
    return Choice(
        question=question,
        value=c.value,
        label=c.label,
        score=c.score,
        is_dont_know=c.is_dont_know,
        order=order,
        extra=c.extra,
    )


def version_spec(version: QuestionnaireVersion) -> VersionSpec:
    """The spec of an existing version (what `version_create` would write to make a copy of
    it with the same codes), in five queries."""
    questions = version.questions.select_related("pillar").prefetch_related("choices")
    questionnaire = version.questionnaire
    return VersionSpec(
        form_id=version.form_id,
        questionnaire_code=questionnaire.code,
        title=version.title,
        respondent_type=questionnaire.respondent_type,
        languages=list(version.languages),
        language_columns=dict(version.language_columns),
        settings=dict(version.xlsform_settings),
        stage_names=version.stage_names,
        pillars=[
            PillarSpec(p.code, p.name, p.description, p.weight, p.order, p.is_enabler)
            for p in version.pillars.all()
        ],
        questions=[_question_spec(q) for q in questions.order_by("order", "pk")],
        recommendations=[
            (item.pillar.code, item.stage, item.text)
            for item in version.recommendations.select_related("pillar")
        ],
    )


def _question_spec(q: Question) -> QuestionSpec:
    return QuestionSpec(
        **_question_fields(q),
        pillar_code=q.pillar.code if q.pillar else None,
        choices=[
            ChoiceSpec(c.value, c.label, c.score, c.is_dont_know, c.extra) for c in q.choices.all()
        ],
    )


__all__ = ["version_create", "version_spec"]
