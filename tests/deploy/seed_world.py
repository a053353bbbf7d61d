"""Seeds a private database for the deploy tests (run as a script, see conftest.py): an
organisation round with four districts, a focal point and a reviewer; two responses complete
and submitted (to approve), one complete and still a draft (to submit). Prints the ids as JSON."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
# The servers' own settings (conftest.py runs this with DEBUG=true and eager tasks), so that
# passwords are hashed as the servers check them.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.deploy.settings_deploy")

import django

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # the test client's host, a local mail outbox

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from organisations.models import OrganisationKind, Role  # noqa: E402
from surveys.models import Response  # noqa: E402
from tests.factories import UserFactory, grant, make_filling_round, make_organisation  # noqa: E402
from tests.surveys.test_filling import fill_everything  # noqa: E402


def main() -> None:
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    province = make_organisation(code="LA01", kind=OrganisationKind.PROVINCE, parent=nation)
    districts = [
        make_organisation(code=f"LA010{n}", kind=OrganisationKind.DISTRICT, parent=province)
        for n in range(1, 5)
    ]
    round_ = make_filling_round(organisations=districts)
    focal = UserFactory(username="focal")
    reviewer = UserFactory(username="reviewer")
    for district in districts:
        grant(focal, Role.FOCAL_POINT, district)
    grant(reviewer, Role.REVIEWER, province)
    grant(UserFactory(username="analyst"), Role.ANALYST, nation)
    client = Client()
    client.force_login(focal)
    responses = [Response.objects.get(round=round_, organisation=d) for d in districts]
    for response in responses[:3]:
        fill_everything(client, response)
    for response in responses[1:3]:
        response.refresh_from_db()
        submitted = client.post(
            reverse("surveys:response_submit", args=[response.pk]),
            {"lock_version": str(response.lock_version)},
        )
        assert submitted.status_code == 302, submitted.status_code
    print(
        json.dumps(
            {
                "draft": responses[0].pk,
                "submitted": [r.pk for r in responses[1:3]],
                "untouched": responses[3].pk,
                "password": "a-Strong-pass-1",
            }
        )
    )


if __name__ == "__main__":
    main()
