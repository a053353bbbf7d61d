"""Questionnaire versions: the checks before publishing, publishing (which freezes a version),
and a new draft made from a version with the same question codes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.i18n import language_name
from surveys import expressions
from surveys.models import Question, QuestionKind, QuestionnaireVersion, VersionStatus
from surveys.services.versions import version_create, version_spec
from surveys.version_specs import referable_names

CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.YES_NO}
NUMERIC_KINDS = {
    QuestionKind.INTEGER,
    QuestionKind.DECIMAL,
    QuestionKind.COUNT_BY_SEX,
    QuestionKind.CALCULATE,
}


def _missing_languages(texts: dict | None, languages: list[str]) -> list[str]:
    texts = texts or {}
    return [language for language in languages if not str(texts.get(language, "")).strip()]


def _language_column(code: str) -> str:
    return f"{language_name(code)} ({code})"


def version_publish_problems(*, version: QuestionnaireVersion) -> list[str]:
    """Everything that stops this version from being published, in the active language; an
    empty list means it can be published."""
    problems: list[str] = []
    languages = list(version.languages)
    if version.status != VersionStatus.DRAFT:
        problems.append(
            _("Only a draft can be published; this version is already %(status)s.")
            % {"status": version.get_status_display()}
        )
    questions = list(version.questions.select_related("pillar").prefetch_related("choices"))
    pillars = list(version.pillars.all())
    if not questions:
        problems.append(_("The version has no question."))
    if not languages:
        problems.append(_("The version has no language."))

    def need_all(texts: dict | None, what: str) -> None:
        missing = _missing_languages(texts, languages)
        if missing:
            problems.append(
                _("%(what)s has no text in: %(languages)s.")
                # "English (en)": the name, and the code the XLSForm's columns carry.
                % {"what": what, "languages": ", ".join(_language_column(code) for code in missing)}
            )

    for pillar in pillars:
        need_all(pillar.name, _("The name of the pillar “%(code)s”") % {"code": pillar.code})
    known = referable_names(questions)
    kinds = {q.code: q.kind for q in questions}
    scored_pillars: set[int] = set()
    for question in questions:
        _check_question(question, need_all, problems, known, kinds)
        if question.pillar_id is None:
            problems.append(_("The question “%(code)s” has no pillar.") % {"code": question.code})
        if question.is_scored:
            scored_pillars.add(question.pillar_id)
    for pillar in pillars:
        if pillar.weight > 0 and pillar.pk not in scored_pillars:
            problems.append(
                _("The pillar “%(code)s” has no scored question, so it could never get a score.")
                % {"code": pillar.code}
            )
    for stage, names in sorted(version.stage_names.items()):
        need_all(names, _("The name of stage %(stage)s") % {"stage": stage})
    for item in version.recommendations.select_related("pillar"):
        need_all(
            item.text,
            _("The recommendation for pillar “%(code)s”, stage %(stage)s")
            % {"code": item.pillar.code, "stage": item.stage},
        )
    return problems


def _check_question(question: Question, need_all, problems: list[str], known, kinds) -> None:
    code = question.code
    if question.kind != QuestionKind.CALCULATE:  # a calculation is never shown
        need_all(
            question.label
            if question.label or question.kind != QuestionKind.NOTE
            else question.hint,
            _("The label of “%(code)s”") % {"code": code},
        )
    if question.hint:
        need_all(question.hint, _("The hint of “%(code)s”") % {"code": code})
    if question.constraint_message:
        need_all(
            question.constraint_message, _("The constraint message of “%(code)s”") % {"code": code}
        )
    choices = list(question.choices.all())
    if question.kind in CHOICE_KINDS and not choices:
        problems.append(_("The question “%(code)s” has no choice.") % {"code": code})
    for choice in choices:
        need_all(
            choice.label,
            _("The choice “%(value)s” of “%(code)s”") % {"value": choice.value, "code": code},
        )
    scored = [c for c in choices if not c.is_dont_know]
    if any(c.score is not None for c in scored) and any(c.score is None for c in scored):
        missing = ", ".join(c.value for c in scored if c.score is None)
        problems.append(
            _("The question “%(code)s” is scored, but these choices have no score: %(values)s.")
            % {"code": code, "values": missing}
        )
    for field_name in ("relevant", "constraint", "calculation"):
        text = getattr(question, field_name)
        if not text:
            continue
        try:
            names = expressions.references(text)
        except expressions.ExpressionError as exc:
            problems.append(
                _("The %(field)s of “%(code)s” cannot be read: %(reason)s")
                % {"field": field_name, "code": code, "reason": exc.message}
            )
            continue
        for name in sorted(names - known):
            problems.append(
                _(
                    "The %(field)s of “%(code)s” refers to ${%(name)s}, which is not a "
                    "question of this version."
                )
                % {"field": field_name, "code": code, "name": name}
            )
    ratio_to = question.scoring.get("ratio_to")
    if ratio_to and kinds.get(ratio_to) not in NUMERIC_KINDS:
        problems.append(
            _(
                "The score of “%(code)s” is a ratio to ${%(name)s}, which is not a "
                "number question of this version."
            )
            % {"code": code, "name": ratio_to}
        )


@transaction.atomic
def version_publish(*, version: QuestionnaireVersion, user) -> QuestionnaireVersion:
    """Publishes a draft after every check passes; a published version never changes again.

    Raises ValidationError with the list of problems (translated) otherwise."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    problems = version_publish_problems(version=version)
    if problems:
        raise ValidationError(problems)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user if user is not None and user.is_authenticated else None
    version.save(update_fields=["status", "published_at", "published_by"])
    return version


@transaction.atomic
def version_new_draft(*, version: QuestionnaireVersion, user) -> QuestionnaireVersion:
    """A new draft copied from `version` (usually a published one): same pillars, question
    codes, choices, stages and recommendations, so rounds on both can be compared."""
    return version_create(
        questionnaire=version.questionnaire,
        spec=version_spec(version),
        user=user,
        source_filename=version.source_filename,
    )


__all__ = [
    "version_new_draft",
    "version_publish",
    "version_publish_problems",
]
