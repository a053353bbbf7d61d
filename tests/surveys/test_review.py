"""Review through the views: list, read, approve, return with comments, reopen, emails,
reminders, the access cases and the audit history."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from organisations.models import Role
from reports.dispatch import send_response_scoring
from surveys.models import Answer, Question, Response, ResponseStatus, ReviewComment
from surveys.selectors.review import review_comments_for, round_progress
from surveys.tasks import send_reminders
from tests.factories import UserFactory, grant, make_open_round, make_version_of_every_kind

# Approving is confirmed on a page of its own; its form sends this.
CONFIRMED = {"confirmed": "yes"}


@pytest.fixture
def setup(tree):
    version = make_version_of_every_kind()
    round_ = make_open_round(
        version=version, targets=[tree["chanthabuly"], tree["luang"], tree["health_lpb"]]
    )
    focal = UserFactory(username="focal", email="focal@example.org")
    grant(focal, Role.FOCAL_POINT, tree["chanthabuly"])
    reviewer = UserFactory(username="reviewer_vte")
    grant(reviewer, Role.REVIEWER, tree["vte"])
    other_reviewer = UserFactory(username="reviewer_lpb")
    grant(other_reviewer, Role.REVIEWER, tree["lpb"])
    admin = UserFactory(username="admin")
    grant(admin, Role.ADMINISTRATOR, tree["nation"])
    response = Response.objects.get(round=round_, organisation=tree["chanthabuly"])
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = timezone.now()
    response.save()
    return {
        "version": version,
        "round": round_,
        "response": response,
        "focal": focal,
        "reviewer": reviewer,
        "other_reviewer": other_reviewer,
        "admin": admin,
        **tree,
    }


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def question(version, code: str) -> Question:
    return Question.objects.get(version=version, code=code)


def test_a_reviewer_lists_the_submitted_responses_of_their_subtree_only(client, setup):
    luang = Response.objects.get(round=setup["round"], organisation=setup["luang"])
    luang.status = ResponseStatus.SUBMITTED
    luang.save()
    client.force_login(setup["reviewer"])
    page = client.get(reverse("surveys:review_list"))
    assert page.status_code == 200
    assert list(page.context["responses"]) == [setup["response"]]


def test_a_focal_point_cannot_open_the_review_list(client, setup):
    client.force_login(setup["focal"])
    assert client.get(reverse("surveys:review_list")).status_code == 404


@pytest.mark.parametrize("action", ["review_detail", "review_approve", "review_return"])
def test_a_reviewer_of_another_province_gets_404(client, setup, action):
    client.force_login(setup["other_reviewer"])
    url = reverse(f"surveys:{action}", args=[setup["response"].pk])
    page = client.post(url, {"comment": "x"}) if action != "review_detail" else client.get(url)
    assert page.status_code == 404
    setup["response"].refresh_from_db()
    assert setup["response"].status == ResponseStatus.SUBMITTED


def test_the_read_view_shows_every_pillar_with_answers_in_the_chosen_language(client, setup):
    response, version = setup["response"], setup["version"]
    Answer.objects.create(
        response=response, question=question(version, "connectivity"), choices=["fast"]
    )
    for sex, number in (("F", 4), ("M", 6)):
        Answer.objects.create(
            response=response, question=question(version, "staff"), sex=sex, number=Decimal(number)
        )
    client.force_login(setup["reviewer"])
    page = english(client).get(reverse("surveys:review_detail", args=[response.pk]))
    content = page.content.decode()
    assert "Technology and solutions" in content and "Skills and capacity building" in content
    assert "Fast" in content
    assert "Women: 4, men: 6, total: 10" in content


def test_approving_twice_approves_once_and_emails_the_focal_points_once(
    client, setup, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(setup["reviewer"])
    url = reverse("surveys:review_approve", args=[setup["response"].pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url, CONFIRMED)
        second = client.post(url, CONFIRMED, follow=True)
    # The scoring hook was called once, with this response's id bound.
    scoring = [c for c in callbacks if getattr(c, "func", None) is send_response_scoring]
    assert [c.args for c in scoring] == [(setup["response"].pk,)]
    setup["response"].refresh_from_db()
    assert setup["response"].status == ResponseStatus.APPROVED
    assert setup["response"].reviewed_by == setup["reviewer"]
    assert [m.level_tag for m in second.context["messages"]][-1] == "info"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["focal@example.org"]
    # One message in Lao then in English.
    lao, english_part = mailoutbox[0].body.split("\n---\n")
    assert "ອົງການ LA0101" in lao and "Organisation LA0101" in english_part


def test_returning_with_comments_lets_the_focal_point_see_them_on_the_page_concerned(
    client, setup, mailoutbox, django_capture_on_commit_callbacks
):
    response, version = setup["response"], setup["version"]
    staff = question(version, "staff")
    client.force_login(setup["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("surveys:review_return", args=[response.pk]),
            {
                "comment": "Please check the staff numbers",
                f"comment_{staff.pk}": "Men seem too many",
                "comment_999999": "",
                "comment_x": "tampered",
            },
        )
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.RETURNED
    assert response.review_comment == "Please check the staff numbers"
    skills_page = review_comments_for(response, staff.pillar)
    assert [c.text for c in skills_page["questions"]] == ["Men seem too many"]
    tech_page = review_comments_for(response, question(version, "connectivity").pillar)
    assert tech_page["questions"] == [] and len(tech_page["general"]) == 1
    html = render_to_string("surveys/review/_comments_for_page.html", {"review": skills_page})
    assert "Men seem too many" in html and "Please check the staff numbers" in html
    assert len(mailoutbox) == 1
    assert "Men seem too many" in mailoutbox[0].body
    assert mailoutbox[0].body.count("Men seem too many") == 2  # in both languages


def test_a_return_without_a_comment_changes_nothing(client, setup):
    client.force_login(setup["reviewer"])
    page = client.post(
        reverse("surveys:review_return", args=[setup["response"].pk]), {"comment": " "}
    )
    assert page.status_code == 400
    setup["response"].refresh_from_db()
    assert setup["response"].status == ResponseStatus.SUBMITTED
    assert not ReviewComment.objects.exists()


def test_a_comment_on_a_question_of_another_questionnaire_is_refused(client, setup):
    other = make_version_of_every_kind(code="other")
    foreign = Question.objects.get(version=other, code="staff")
    client.force_login(setup["reviewer"])
    page = client.post(
        reverse("surveys:review_return", args=[setup["response"].pk]),
        {"comment": "Fix it", f"comment_{foreign.pk}": "sneaky"},
        follow=True,
    )
    assert [m.level_tag for m in page.context["messages"]][-1] == "error"
    setup["response"].refresh_from_db()
    assert setup["response"].status == ResponseStatus.SUBMITTED


def test_returning_an_approved_response_is_refused_with_a_message(client, setup):
    client.force_login(setup["reviewer"])
    client.post(reverse("surveys:review_approve", args=[setup["response"].pk]), CONFIRMED)
    page = client.post(
        reverse("surveys:review_return", args=[setup["response"].pk]),
        {"comment": "Too late"},
        follow=True,
    )
    assert [m.level_tag for m in page.context["messages"]][-1] == "error"
    setup["response"].refresh_from_db()
    assert setup["response"].status == ResponseStatus.APPROVED


def test_an_administrator_reopens_an_approved_response_with_a_reason(
    client, setup, mailoutbox, django_capture_on_commit_callbacks
):
    response = setup["response"]
    client.force_login(setup["reviewer"])
    client.post(reverse("surveys:review_approve", args=[response.pk]), CONFIRMED)
    # A reviewer may not reopen.
    assert (
        client.post(
            reverse("surveys:review_reopen", args=[response.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    client.force_login(setup["admin"])
    assert (
        client.post(
            reverse("surveys:review_reopen", args=[response.pk]), {"reason": ""}
        ).status_code
        == 400
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surveys:review_reopen", args=[response.pk]), {"reason": "Wrong year"})
    response.refresh_from_db()
    assert response.status == ResponseStatus.RETURNED
    reopen = ReviewComment.objects.get(response=response, kind="reopen")
    assert (reopen.text, reopen.author) == ("Wrong year", setup["admin"])
    assert len(mailoutbox) == 1 and "Wrong year" in mailoutbox[0].body


def test_the_reminder_task_emails_unsubmitted_responses_once_a_day(tree, mailoutbox, settings):
    settings.REMINDER_DAYS_BEFORE_CLOSE = [7, 1]
    version = make_version_of_every_kind()
    soon = make_open_round(
        version=version, code="soon", targets=[tree["chanthabuly"], tree["luang"]], closes_in_days=7
    )
    make_open_round(version=version, code="later", targets=[tree["chanthabuly"]], closes_in_days=5)
    focal = UserFactory(username="focal", email="focal@example.org")
    grant(focal, Role.FOCAL_POINT, tree["chanthabuly"])
    luang_focal = UserFactory(username="luang", email="luang@example.org")
    grant(luang_focal, Role.FOCAL_POINT, tree["luang"])
    Response.objects.filter(round=soon, organisation=tree["luang"]).update(
        status=ResponseStatus.SUBMITTED
    )
    assert send_reminders.delay().get() == 1
    assert send_reminders.delay().get() == 0
    assert [m.to for m in mailoutbox] == [["focal@example.org"]]
    assert "7" in mailoutbox[0].subject
    assert Response.objects.get(round=soon, organisation=tree["chanthabuly"]).last_reminded_on == (
        timezone.localdate()
    )


def test_the_history_shows_who_changed_which_answer_from_what_to_what(client, setup):
    response, version = setup["response"], setup["version"]
    focal = setup["focal"]
    staff = question(version, "staff")
    answer = Answer(response=response, question=staff, sex="F", number=Decimal(4))
    answer._history_user = focal
    answer.save()
    answer.number = Decimal(5)
    answer._history_user = focal
    answer.save()
    client.force_login(setup["reviewer"])
    client.post(reverse("surveys:review_approve", args=[response.pk]), CONFIRMED)
    page = english(client).get(reverse("surveys:review_detail", args=[response.pk]))
    history = page.context["history"]
    staff_changes = [(e.what, e.old, e.new, e.who) for e in history if e.what.startswith("Staff")]
    assert staff_changes == [
        ("Staff (Women)", "4", "5", "focal"),
        ("Staff (Women)", "", "4", "focal"),
    ]
    status_changes = [(e.old, e.new, e.who) for e in history if e.what == "status"]
    assert status_changes[0] == ("Submitted", "Approved", "reviewer_vte")
    assert "Staff (Women)" in page.content.decode()


def test_progress_counts_by_province_and_ministry_and_lists_the_organisations(
    client, setup, django_assert_max_num_queries
):
    round_ = setup["round"]
    Response.objects.filter(round=round_, organisation=setup["health_lpb"]).update(
        status=ResponseStatus.APPROVED
    )
    client.force_login(setup["admin"])
    page = client.get(reverse("surveys:progress", args=[round_.code]))
    by_province, by_ministry = page.context["tables"]
    counts = {row.group.code: row.counts for row in by_province["rows"]}
    assert counts["LA01"]["expected"] == 1 and counts["LA01"]["submitted"] == 1
    assert counts["LA06"]["expected"] == 2 and counts["LA06"]["draft"] == 1
    assert counts["LA06"]["approved"] == 1
    ministries = {row.group.code: row.counts for row in by_ministry["rows"]}
    assert ministries == {"MOH": {**ministries["MOH"], "expected": 1, "approved": 1}}
    # One aggregate query, whatever the number of organisations (+ the user's roles, + names).
    with django_assert_max_num_queries(3):
        round_progress(setup["admin"], round_, "ministry")
    listing = client.get(
        reverse("surveys:progress_organisations", args=[round_.code]),
        {"axis": "province", "group": "LA06", "column": "draft"},
    )
    assert [o.code for o in listing.context["organisations"]] == ["LA0601"]
    # The reviewer of Vientiane sees only their province.
    client.force_login(setup["reviewer"])
    page = client.get(reverse("surveys:progress", args=[round_.code]))
    assert [row.group.code for row in page.context["tables"][0]["rows"]] == ["LA01"]
    # Another province is no group of theirs: a 404, as for an unknown code (the page would
    # name it).
    listing = client.get(
        reverse("surveys:progress_organisations", args=[round_.code]),
        {"axis": "province", "group": "LA06", "column": "expected"},
    )
    assert listing.status_code == 404
    client.force_login(setup["focal"])
    assert client.get(reverse("surveys:progress", args=[round_.code])).status_code == 404


def test_the_reviewer_home_section_counts_waiting_responses(client, setup):
    client.force_login(setup["reviewer"])
    page = client.get(reverse("home"))
    assert reverse("surveys:review_list") in page.content.decode()


def test_reminders_ignore_rounds_closed_or_far_away(tree, mailoutbox):
    version = make_version_of_every_kind()
    make_open_round(version=version, code="far", targets=[tree["chanthabuly"]], closes_in_days=30)
    focal = UserFactory(username="focal", email="focal@example.org")
    grant(focal, Role.FOCAL_POINT, tree["chanthabuly"])
    assert send_reminders.delay().get() == 0
    assert mailoutbox == []
    assert not Response.objects.filter(last_reminded_on__isnull=False).exists()
