"""Limits and locks hold under real concurrency (threads, each with its own connection)."""

import threading

import pytest
from django.db import connection
from django.test import override_settings

from surveys.models import Response, ShareLink
from surveys.services import individual as services
from tests.factories import make_open_round, make_version_of_every_kind

pytestmark = pytest.mark.django_db(transaction=True)

ANSWERS = {
    "has_website": "yes",
    "website_url": "https://moh.gov.la",
    "connectivity": "fast",
    "services": ["web"],
    "staff": {"F": "3", "M": "2"},
}


def run_together(actions):
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def worker(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@override_settings(INDIVIDUAL_SUBMISSIONS_PER_HOUR=20)
def test_forty_simultaneous_posts_from_one_address_create_exactly_the_limit(tree):
    version = make_version_of_every_kind(code="staff-skills", respondent_type="individual")
    round_ = make_open_round(version=version, code="staff-2026", targets=[tree["chanthabuly"]])
    link = ShareLink.objects.create(round=round_, organisation=tree["chanthabuly"])

    def post(number):
        def action():
            services.individual_response_create(
                link=ShareLink.objects.get(pk=link.pk),
                nonce=f"nonce-{number}",
                sex="F",
                age_band="25_34",
                values=ANSWERS,
                address="203.0.113.7",
            )
            return "created"

        return action

    results = run_together([post(number) for number in range(40)])
    assert results.count("created") == 20
    assert all(isinstance(r, services.RateLimited) for r in results if r != "created")
    assert Response.objects.filter(is_individual=True).count() == 20
    # Another address still has its own allowance.
    post_elsewhere = services.individual_response_create(
        link=link, nonce="other", sex="M", age_band="25_34", values=ANSWERS, address="198.51.100.9"
    )
    assert post_elsewhere[1] is True
