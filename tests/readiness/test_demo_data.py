import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from organisations.models import Role, RoleAssignment
from readiness.management.commands.load_demo_data import DEMO_PASSWORD, DEMO_ROUND
from surveys.models import Response, ResponseStatus


@pytest.mark.django_db
def test_demo_data_gives_one_account_per_role_and_a_living_round(settings):
    settings.DEMO = True
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", villages=20, verbosity=0)
    call_command("load_demo_data", villages=20, verbosity=0)  # a second run adds nothing

    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {role.value for role in Role}
    assert get_user_model().objects.get(username="focal").check_password(DEMO_PASSWORD)
    responses = Response.objects.filter(round__code=DEMO_ROUND)
    assert responses.filter(status__in=[ResponseStatus.SUBMITTED, ResponseStatus.APPROVED]).exists()
    focal = responses.get(organisation__code="LA0101")
    assert focal.status == ResponseStatus.DRAFT
    assert responses.count() == responses.values("organisation").distinct().count()


@pytest.mark.django_db
def test_the_demo_analyst_lands_on_a_living_national_dashboard(settings, client):
    """`make run`'s demo: the analyst's "Dashboards" opens the national view with its charts."""
    settings.DEMO = True
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", villages=20, verbosity=0)
    client.force_login(get_user_model().objects.get(username="analyst"))
    landing = client.get("/reports/")
    assert landing.status_code == 302
    page = client.get(landing["Location"]).content.decode()
    assert 'id="figure-heatmap-tree"' in page and 'id="opportunities"' in page
