"""A small scored round shared by the tests of scoring and of its results pages."""

import pytest

from surveys.models import Answer, Question, Response, ResponseStatus
from tests.factories import make_open_round, make_version_of_every_kind


@pytest.fixture
def scored_round(tree):
    version = make_version_of_every_kind()
    questions = Question.objects.filter(version=version)
    questions.filter(code="staff").update(gender_role="staff")
    questions.filter(code="staff_digital").update(gender_role="staff_digital_skills")
    round_ = make_open_round(
        version=version, targets=[tree["village"], tree["chanthabuly"], tree["health_lpb"]]
    )
    round_.pillar_targets = {"tech": 4.5, "skills": 3.0}
    round_.save()
    return round_


def answer(response, code, *, choices=(), number=None, sex=""):
    question = Question.objects.get(version=response.round.version, code=code)
    return Answer.objects.create(
        response=response, question=question, sex=sex, choices=list(choices), number=number
    )


def fill(response, *, website="yes", connectivity="slow", services=("web", "email")):
    answer(response, "has_website", choices=[website])
    answer(response, "connectivity", choices=[connectivity])
    answer(response, "services", choices=services)
    answer(response, "staff", number=6, sex="F")
    answer(response, "staff", number=4, sex="M")
    answer(response, "staff_digital", number=3, sex="F")
    answer(response, "staff_digital", number=2, sex="M")


def submitted(round_, organisation, **answers) -> Response:
    response = Response.objects.get(round=round_, organisation=organisation)
    fill(response, **answers)
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.SUBMITTED)
    return response
