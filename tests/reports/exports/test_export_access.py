"""Who may request and download which export: analysts and administrators in their scope,
a focal point only its own organisation's scorecard; anything else is a 404 like a missing
object, checked again at download time."""

import pytest
from django.urls import reverse

from organisations.models import Role, RoleAssignment
from reports.models import JobStatus, ReportJob
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def _user(name, role, organisation):
    user = UserFactory(username=name)
    grant(user, role, organisation)
    return user


def _request(client, user, round_code, django_capture_on_commit_callbacks, **fields):
    client.force_login(user)
    body = {"round": round_code, "what": "workbook", "format": "xlsx", "lang": "en", **fields}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("reports:exports:request"), body)


@pytest.fixture
def national_job(client, results, analyst, django_capture_on_commit_callbacks):
    _request(client, analyst, results["round"].code, django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()
    assert job.status == JobStatus.DONE
    client.logout()
    return job


@pytest.mark.parametrize(
    ("role", "node", "allowed"),
    [
        (Role.ANALYST, "nation", True),
        (Role.ADMINISTRATOR, "nation", True),
        (Role.ANALYST, "vte", False),  # a province's analyst: the national file is outside
        (Role.REVIEWER, "nation", False),  # reviewers do not export
        (Role.FOCAL_POINT, "village", False),
    ],
)
def test_only_analysts_and_administrators_of_the_scope_download_a_file(
    client, tree, national_job, role, node, allowed
):
    user = _user("someone", role, tree[node])
    client.force_login(user)
    for name in ("reports:exports:job", "reports:exports:download"):
        answer = client.get(reverse(name, kwargs={"pk": national_job.pk}))
        assert answer.status_code == (200 if allowed else 404), (name, answer.status_code)


def test_a_role_removed_after_the_request_no_longer_reaches_the_file(client, analyst, national_job):
    client.force_login(analyst)
    url = reverse("reports:exports:download", kwargs={"pk": national_job.pk})
    assert client.get(url).status_code == 200
    RoleAssignment.objects.filter(user=analyst).delete()
    analyst._role_assignments = None
    assert client.get(url).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, national_job):
    answer = client.get(reverse("reports:exports:download", kwargs={"pk": national_job.pk}))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


def test_an_area_outside_the_scope_cannot_be_requested(
    client, results, tree, django_capture_on_commit_callbacks
):
    province_analyst = _user("vte_analyst", Role.ANALYST, tree["vte"])
    code = results["round"].code
    for area in ("LA", "LA06", "NO-SUCH-AREA"):
        answer = _request(
            client, province_analyst, code, django_capture_on_commit_callbacks, area=area
        )
        assert answer.status_code == 404, area
    assert not ReportJob.objects.exists()
    # Empty area: the analyst's own scope, the province.
    answer = _request(client, province_analyst, code, django_capture_on_commit_callbacks)
    assert answer.status_code == 302
    assert ReportJob.objects.get().area == tree["vte"]


def test_a_focal_point_gets_its_own_scorecard_and_nothing_else(
    client, results, tree, django_capture_on_commit_callbacks
):
    focal = _user("village_focal", Role.FOCAL_POINT, tree["village"])
    code = results["round"].code
    own = _request(
        client, focal, code, django_capture_on_commit_callbacks,
        what="scorecard", format="pdf", area=tree["village"].code,
    )  # fmt: skip
    assert own.status_code == 302
    job = ReportJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    download = client.get(reverse("reports:exports:download", kwargs={"pk": job.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"

    for fields in (
        {"what": "scorecard", "format": "pdf", "area": tree["health_lpb"].code},
        {"what": "workbook", "format": "xlsx", "area": tree["village"].code},
        {"what": "report", "format": "pdf", "area": tree["village"].code},
    ):
        answer = _request(client, focal, code, django_capture_on_commit_callbacks, **fields)
        assert answer.status_code == 404, fields
    assert ReportJob.objects.count() == 1


def test_a_format_the_content_does_not_have_is_refused_with_a_reason(
    client, results, analyst, django_capture_on_commit_callbacks
):
    answer = _request(
        client, analyst, results["round"].code, django_capture_on_commit_callbacks,
        what="scorecard", format="xlsx", area="LA0101001", lang="en",
    )  # fmt: skip
    assert answer.status_code == 400
    assert "ບໍ່ສາມາດສົ່ງອອກເປັນ xlsx" in answer.content.decode()  # the page is in Lao
    assert not ReportJob.objects.exists()


def test_the_export_list_shows_only_the_users_own_exports(client, tree, national_job, analyst):
    other = _user("other_analyst", Role.ANALYST, tree["nation"])
    client.force_login(analyst)
    page = client.get(reverse("reports:exports:list")).content.decode()
    assert reverse("reports:exports:job", kwargs={"pk": national_job.pk}) in page
    client.force_login(other)
    page = client.get(reverse("reports:exports:list")).content.decode()
    assert reverse("reports:exports:job", kwargs={"pk": national_job.pk}) not in page


def test_a_round_still_being_prepared_is_not_exported(
    client, results, analyst, django_capture_on_commit_callbacks
):
    from surveys.models import Round, RoundStatus

    Round.objects.filter(pk=results["round"].pk).update(status=RoundStatus.DRAFT)
    answer = _request(client, analyst, results["round"].code, django_capture_on_commit_callbacks)
    assert answer.status_code == 404
    assert not ReportJob.objects.exists()
