"""A count by sex with one sex missing is incomplete everywhere: out of ratios (as numerator
and denominator), out of the sums behind the female share, consistently with the parity index,
and counted beside the indicator (../shared/cases/b13_partial_sex.xlsx, and the same shape on
the built-in test questionnaire)."""

import pytest

from organisations.models import Organisation
from reports.models import GenderIndicator, ResponseScore
from reports.scoring import services
from surveys.models import Response, ResponseStatus
from surveys.services.answers import answers_write
from tests.reports.conftest import answer
from tests.surveys.cases import case_round, needs_cases

pytestmark = pytest.mark.django_db


def indicator(round_, organisation, role):
    return GenderIndicator.objects.get(
        round=round_, organisation=organisation, axis="tree", gender_role=role
    )


@needs_cases
def test_the_b13_village_with_women_only_is_left_out_of_ratio_share_and_parity():
    round_ = case_round("b13_partial_sex.xlsx", "LA0101V0001", "LA0101V0002")
    village_a, village_b = Response.objects.order_by("organisation__code")
    # A: all staff women 10, men empty; ICT 2 women, 4 men. B: complete.
    answers_write(
        response=village_a, values={"staff": {"F": 10}, "ict": {"F": 2, "M": 4}}, user=None
    )
    answers_write(
        response=village_b, values={"staff": {"F": 5, "M": 5}, "ict": {"F": 1, "M": 2}}, user=None
    )
    Response.objects.update(status=ResponseStatus.SUBMITTED)
    services.round_rescore(round_=round_)
    # A's ratio had no complete denominator: no value, never 6/10 capped at 0.6.
    a_scores = ResponseScore.objects.filter(response=village_a)
    assert all(row.score is None for row in a_scores if row.pillar != "_overall")
    b_score = ResponseScore.objects.get(response=village_b, pillar="main")
    assert b_score.score == pytest.approx(1 + 4 * 3 / 10)
    district = Organisation.objects.get_parent(village_a.organisation)
    staff = indicator(round_, district, "staff")
    # Only B in the sums: 5 women of 10, never A's women without A's men (15/20 = 0.75).
    assert (staff.women, staff.men, staff.female_share) == (5, 5, 0.5)
    assert (staff.responses, staff.incomplete) == (1, 1)
    ict = indicator(round_, district, "ict")
    # A's ICT counts are complete, but its staff are not: out of the parity index, and
    # B alone gives (1/5) / (2/5) = 0.5. The female share of ICT uses both.
    assert ict.parity_index == pytest.approx(0.5)
    assert (ict.women, ict.men, ict.incomplete) == (3, 6, 0)


def test_men_are_compared_with_men_staff_for_each_sex(scored_round, tree):
    """Parity index = (women with skill / women staff) / (men with skill / men staff): skilled
    men against men staff, never against all staff (a case where the two differ)."""
    response = Response.objects.get(round=scored_round, organisation=tree["village"])
    answer(response, "has_website", choices=["yes"])
    answer(response, "staff", number=2, sex="F")
    answer(response, "staff", number=8, sex="M")
    answer(response, "staff_digital", number=1, sex="F")
    answer(response, "staff_digital", number=2, sex="M")
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.SUBMITTED)
    services.round_rescore(round_=scored_round)
    skills = indicator(scored_round, tree["village"], "staff_digital_skills")
    # (1/2) / (2/8) = 2.0; against all staff it would be (1/2) / (2/10) = 2.5.
    assert skills.parity_index == pytest.approx(2.0)


@pytest.mark.parametrize(("score", "stage"), [(1.9999999999999998, 2), (2.9999999999999996, 3)])
def test_a_sum_a_hair_below_a_whole_stage_is_that_stage(score, stage):
    from reports.scoring.engine import stage_for

    assert stage_for(score) == stage
