"""The history of a response tells the truth (issue 12, point 8): answers written in bulk (the
seed) or by an import show their value before the first change, an answer removed by skip
logic shows as removed, and "created by" names the system or the import, not whoever changed
the row first."""

import io

import pandas as pd
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from organisations.models import Role
from readiness.management.commands.load_demo_data import DEMO_ROUND
from surveys.models import Answer, Question, Response
from surveys.services.answers import answers_write
from surveys.services.history import history_baseline
from tests.factories import UserFactory, grant, make_open_round, make_version_of_every_kind

REMOVED_HIDDEN = "(removed: no longer asked, by the skip logic of another answer)"


def history_rows(client, response) -> list[tuple[str, str, str, str]]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("surveys:review_detail", args=[response.pk]))
    assert page.status_code == 200
    return [(e.who, e.what, e.old, e.new) for e in page.context["history"]]


@pytest.fixture
def bulk_written(tree):
    """A response whose answers were written in bulk, as a seed writes them (no history)."""
    version = make_version_of_every_kind()
    round_ = make_open_round(version=version, targets=[tree["chanthabuly"]])
    response = Response.objects.get(round=round_, organisation=tree["chanthabuly"])
    Response.history.filter(id=response.pk).delete()  # as bulk_create leaves it
    questions = {q.code: q for q in Question.objects.filter(version=version)}
    Answer.objects.bulk_create(
        [
            Answer(response=response, question=questions["has_website"], choices=["yes"]),
            Answer(response=response, question=questions["website_url"], text="https://a.gov.la"),
            Answer(response=response, question=questions["computers"], number=12),
        ]
    )
    focal = UserFactory(username="somsak", first_name="Somsak", last_name="Phommachanh")
    grant(focal, Role.FOCAL_POINT, tree["chanthabuly"])
    reviewer = UserFactory(username="reviewer")
    grant(reviewer, Role.REVIEWER, tree["vte"])
    return {"response": response, "focal": focal, "reviewer": reviewer}


def test_the_first_change_of_a_bulk_written_answer_shows_its_value_before(client, bulk_written):
    response, focal = bulk_written["response"], bulk_written["focal"]
    assert history_baseline(response_ids=[response.pk]) == (1, 3)
    assert history_baseline(response_ids=[response.pk]) == (0, 0)  # once only
    answers_write(response=response, values={"computers": 15}, user=focal)
    client.force_login(bulk_written["reviewer"])
    rows = history_rows(client, response)
    assert ("Somsak Phommachanh", "Number of computers", "12", "15") in rows
    # The rows were made by the system: the focal point created nothing.
    assert ("system", "Response created", "", "") in rows
    assert ("system", "Number of computers", "", "12") in rows
    assert not [row for row in rows if row[0] == "Somsak Phommachanh" and row[2] == ""]


def test_without_the_baseline_the_first_change_would_hide_the_value_before(client, bulk_written):
    """The measure of the fix: the same change without the seed's records loses the value."""
    response, focal = bulk_written["response"], bulk_written["focal"]
    answers_write(response=response, values={"computers": 15}, user=focal)
    client.force_login(bulk_written["reviewer"])
    rows = history_rows(client, response)
    assert ("Somsak Phommachanh", "Number of computers", "", "15") in rows


def test_an_answer_removed_by_skip_logic_shows_as_removed(client, bulk_written):
    response, focal = bulk_written["response"], bulk_written["focal"]
    history_baseline(response_ids=[response.pk])
    answers_write(response=response, values={"has_website": "no"}, user=focal)
    client.force_login(bulk_written["reviewer"])
    rows = history_rows(client, response)
    assert ("Somsak Phommachanh", "Website", "https://a.gov.la", REMOVED_HIDDEN) in rows
    assert ("Somsak Phommachanh", "Has a website?", "Yes", "No") in rows


def test_a_cleared_answer_shows_as_removed_without_the_skip_logic_reason(client, bulk_written):
    response, focal = bulk_written["response"], bulk_written["focal"]
    history_baseline(response_ids=[response.pk])
    answers_write(response=response, values={"computers": None}, user=focal)
    client.force_login(bulk_written["reviewer"])
    rows = history_rows(client, response)
    assert ("Somsak Phommachanh", "Number of computers", "12", "(removed)") in rows


def test_imported_answers_are_created_by_the_import_and_their_first_change_shows_them(client, tree):
    version = make_version_of_every_kind()
    round_ = make_open_round(version=version, targets=[tree["chanthabuly"]])
    admin = UserFactory(username="admin", first_name="Admin", last_name="MTC")
    grant(admin, Role.ADMINISTRATOR, tree["nation"])
    focal = UserFactory(username="somsak", first_name="Somsak", last_name="Phommachanh")
    grant(focal, Role.FOCAL_POINT, tree["chanthabuly"])
    rows = [{"organisation": "LA0101", "computers": "12", "has_website": "no"}]
    upload = SimpleUploadedFile("kobo.csv", pd.DataFrame(rows).to_csv(index=False).encode())
    client.force_login(admin)
    answer = client.post(reverse("surveys:responses_import"), {"round": round_.pk, "file": upload})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    response = Response.objects.get(round=round_, organisation=tree["chanthabuly"])
    response.status = "draft"
    response.save()
    answers_write(response=response, values={"computers": 20}, user=focal)
    history = history_rows(client, response)
    assert ("Import by Admin MTC", "Number of computers", "", "12") in history
    assert ("Somsak Phommachanh", "Number of computers", "12", "20") in history
    assert ("Import by Admin MTC", "status", "Draft", "Submitted") in history


@pytest.mark.django_db
def test_the_demo_focal_point_starts_from_a_partly_filled_draft_written_by_the_system(
    settings, client
):
    settings.DEMO = True
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", villages=20, verbosity=0)
    response = Response.objects.get(round__code=DEMO_ROUND, organisation__code="LA0101")
    assert response.status == "draft" and response.submitted_at is None
    pillars = list(response.round.version.pillars.order_by("order"))
    answered = set(response.answers.values_list("question__pillar__order", flat=True))
    assert answered and answered <= {pillar.order for pillar in pillars[:3]}
    assert len(answered) < len(pillars)
    # Its history starts from the draft, written by the system; the seed's submitted state of
    # this response is not in it.
    records = Response.history.filter(id=response.pk)
    assert [(r.history_type, r.status, r.history_user_id) for r in records] == [
        ("+", "draft", None)
    ]
    assert Answer.history.filter(response_id=response.pk).count() == response.answers.count()
    # Every other seeded response has its creation record too.
    seeded = Response.objects.filter(round__code=DEMO_ROUND)
    assert Response.history.filter(id__in=seeded.values("pk")).count() == seeded.count()


@pytest.mark.django_db
def test_the_demo_listing_prints_each_account_once_and_the_counts_the_pages_show(settings, client):
    settings.DEMO = True
    call_command("load_reference_data", verbosity=0)
    seeding = io.StringIO()
    call_command("load_demo_data", villages=20, stdout=seeding)
    assert "demo-Readiness-2026" not in seeding.getvalue()  # the banner prints the accounts
    listing = io.StringIO()
    call_command("load_demo_data", list=True, stdout=listing)
    text = listing.getvalue()
    for username in ("admin", "analyst", "reviewer", "focal"):
        assert sum(line.split()[0] == username for line in text.splitlines() if line) == 1
    assert "ບັນຊີທົດລອງ" in text and "Demo accounts" in text  # Lao and English
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    client.force_login(users.get(username="admin"))
    progress = client.get(reverse("surveys:progress", args=[DEMO_ROUND]))
    totals = dict(progress.context["tables"][0]["totals"])
    english = next(line for line in text.splitlines() if "organisations expected" in line)
    assert (
        english.split()
        == (
            f"{totals['expected']} organisations expected: {totals['not_started']} not started, "
            f"{totals['draft']} draft, {totals['submitted']} submitted, {totals['returned']} "
            f"returned, {totals['approved']} approved"
        ).split()
    )
    client.force_login(users.get(username="reviewer"))
    review = client.get(reverse("surveys:review_list"))
    assert f"has {review.context['pager'].total} responses waiting" in text
