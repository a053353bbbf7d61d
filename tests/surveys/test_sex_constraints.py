"""A KoboToolbox/ODK form may write its own rule on each sex's field of a count by sex."""

import pytest

from surveys.models import Question, Sex
from surveys.selectors.answers import answers_validate
from tests.factories import make_published_version


def _validate(version, staff, skilled):
    values = {"staff": staff, "staff_digital": skilled}
    return answers_validate(
        version=version, pillar=None, values=values, all_values=values, check_required=False
    )


@pytest.mark.django_db
def test_each_sex_keeps_the_rule_written_on_its_own_field():
    version = make_published_version()
    skilled = Question.objects.get(version=version, code="staff_digital")
    skilled.extra = {"_sex_constraints": {"f": ". <= ${staff_f}", "m": ". <= ${staff_m}"}}
    skilled.save()
    staff = {Sex.FEMALE: 10, Sex.MALE: 5}

    assert "staff_digital" not in _validate(version, staff, {Sex.FEMALE: 8, Sex.MALE: 3})
    errors = _validate(version, staff, {Sex.FEMALE: 3, Sex.MALE: 6})
    assert len(errors["staff_digital"]) == 1  # men only: 6 > 5


@pytest.mark.django_db
def test_a_rule_written_on_the_mens_field_alone_does_not_bind_women():
    version = make_published_version()
    skilled = Question.objects.get(version=version, code="staff_digital")
    skilled.extra = {"_sex_constraints": {"m": ". <= ${staff_m}"}}
    skilled.save()
    staff = {Sex.FEMALE: 2, Sex.MALE: 5}
    assert "staff_digital" not in _validate(version, staff, {Sex.FEMALE: 4, Sex.MALE: 5})
