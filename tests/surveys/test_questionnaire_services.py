"""Publish checks, freezing, new drafts, and the import/export commands."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from surveys.models import Choice, QuestionnaireVersion, VersionStatus
from surveys.services.questionnaires import (
    version_new_draft,
    version_publish,
    version_publish_problems,
)
from surveys.xlsform import xlsform_import
from tests.factories import full_xlsform_sheets, make_xlsform


@pytest.fixture
def draft(db):
    return xlsform_import(file=make_xlsform(full_xlsform_sheets()), filename="f.xlsx").version


def problems_of(version):
    with translation.override("en"):
        return version_publish_problems(version=version)


def test_a_complete_draft_has_no_publish_problem(draft):
    assert problems_of(draft) == []


def test_every_label_and_choice_must_exist_in_every_language(draft):
    question = draft.questions.get(code="connectivity")
    question.label = {"lo": "ການເຊື່ອມຕໍ່"}
    question.save()
    Choice.objects.filter(question=question, value="slow").update(label={"en": "Slow"})
    problems = problems_of(draft)
    assert any("connectivity" in p and "en" in p for p in problems)
    assert any("slow" in p and "lo" in p for p in problems)


def test_scored_questions_need_a_score_on_every_answer(draft):
    Choice.objects.filter(question__code="connectivity", value="slow").update(score=None)
    assert any("slow" in p for p in problems_of(draft))


def test_a_pillar_with_no_scored_question_is_reported(draft):
    for question in draft.questions.filter(pillar__code="skills"):
        question.scoring = {}
        question.save()
    assert any("skills" in p for p in problems_of(draft))


def test_expressions_may_only_refer_to_questions_of_the_version(draft):
    draft.questions.filter(code="website_url").update(relevant="${gone} = 'yes'")
    assert any("${gone}" in p for p in problems_of(draft))


def test_publish_raises_a_list_of_problems_and_changes_nothing(draft):
    draft.questions.filter(code="website_url").update(relevant="${gone} = 'yes'")
    with pytest.raises(ValidationError) as caught:
        version_publish(version=draft, user=None)
    assert any("gone" in message for message in caught.value.messages)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_published_version_cannot_be_published_again(draft):
    version_publish(version=draft, user=None)
    with pytest.raises(ValidationError):
        version_publish(version=draft, user=None)


def test_a_new_draft_from_a_published_version_keeps_codes_and_numbers_on(draft):
    published = version_publish(version=draft, user=None)
    new = version_new_draft(version=published, user=None)
    assert new.number == 2 and new.status == VersionStatus.DRAFT
    old_questions = list(published.questions.values_list("code", "pillar__code", "kind"))
    assert list(new.questions.values_list("code", "pillar__code", "kind")) == old_questions
    assert published.questions.first().pk != new.questions.first().pk
    assert problems_of(new) == []


def test_the_import_command_exits_non_zero_with_every_problem(db, tmp_path, capsys):
    sheets = full_xlsform_sheets()
    sheets["survey"].append(["image", "photo", "ຮູບ", "Photo"])
    sheets["survey"].append(["select_one nolist", "q", "ຄຳຖາມ", "Question"])
    path = tmp_path / "bad.xlsx"
    path.write_bytes(make_xlsform(sheets))
    with pytest.raises(CommandError):
        call_command("import_xlsform", str(path))
    err = capsys.readouterr().err
    assert "image" in err and "nolist" in err
    assert QuestionnaireVersion.objects.count() == 0


def test_the_commands_import_publish_and_export(db, tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(make_xlsform(full_xlsform_sheets()))
    call_command("import_xlsform", str(path), "--publish")
    version = QuestionnaireVersion.objects.get()
    assert version.status == VersionStatus.PUBLISHED
    out = tmp_path / "out.xlsx"
    call_command("export_xlsform", "--version", str(version.pk), str(out))
    again = xlsform_import(file=str(out), filename="out.xlsx").version
    assert again.questions.count() == version.questions.count()
