"""Issue 12, point 2: errors are shown where they are, and a returned response signposts the
reviewer's comments (home card, rail, question, check page). Through the views, real database."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from organisations.models import Role
from surveys.answers.cleaning import CHOOSE_AT_LEAST_ONE, CHOOSE_ONE, REQUIRED
from surveys.models import Answer, Question, ResponseStatus, ShareLink
from surveys.services.responses import response_return
from tests.factories import UserFactory, grant, make_open_round, make_version_of_every_kind
from tests.surveys.test_filling import (
    autosave_url,
    fill_everything,
    lao,
    page_url,
    tech_post,
)
from tests.surveys.test_filling import filling as filling_world  # noqa: F401 - a fixture

SAVED_EN = "All changes saved"


@pytest.fixture
def world(filling_world):  # noqa: F811 - the imported fixture, by name
    """The filling screen's world (tests/surveys/test_filling.py): a district's response."""
    return filling_world


def english(client):
    client.cookies["django_language"] = "en"


def question_block(content: str, code: str) -> str:
    """The HTML of one question of the page (its wrapper div up to the next question)."""
    start = content.rindex('<div class="question', 0, content.index(f'id="q-{code}"'))
    following = content.find('<div class="question', start + 1)
    return content[start : following if following != -1 else len(content)]


def rail_item(content: str, pillar_pk: int) -> str:
    start = content.index(f'data-pillar="{pillar_pk}"')
    return content[start : content.index("</li>", start)]


def check_links(client, response) -> list[str]:
    page = client.get(reverse("surveys:response_check", args=[response.pk]))
    return re.findall(r'href="([^"]*\?check=1#q-[^"]+)"', page.content.decode())


# --- Errors where they are ------------------------------------------------------------------


def test_a_check_link_opens_the_page_with_the_error_shown_on_that_question(client, world):
    client.force_login(world["focal"])
    english(client)
    response = world["response"]
    # An autosave keeps what is there without asking for the missing answers.
    client.post(autosave_url(response), tech_post(response, **{"q-systems": None}))
    links = check_links(client, response)
    systems_link = next(link for link in links if link.endswith("#q-systems"))
    assert systems_link == page_url(response) + "?check=1#q-systems"

    content = client.get(systems_link.split("#")[0]).content.decode()
    systems = question_block(content, "systems")
    assert "has-error" in systems and str(REQUIRED) in systems and "is-invalid" in systems
    # The page lists its problems with a link to each, and does not claim it is all saved.
    problems = content[content.index('id="page-problems"') :]
    assert 'href="#q-systems"' in problems[: problems.index("</div>")]
    status = re.search(r'<span id="save-status"[^>]*>([^<]*)</span>', content)
    assert SAVED_EN not in status.group(1) and "need a correction" in status.group(1)
    # A question that is answered carries no message.
    assert "has-error" not in question_block(content, "connectivity")


def test_a_required_choice_asks_to_choose_not_to_fill_in(client, world):
    client.force_login(world["focal"])
    english(client)
    response = world["response"]
    client.post(autosave_url(response), tech_post(response, **{"q-connectivity": None}))
    content = client.get(page_url(response) + "?check=1").content.decode()
    assert str(CHOOSE_ONE) in question_block(content, "connectivity")
    assert str(REQUIRED) not in question_block(content, "connectivity")
    assert lao(CHOOSE_ONE) and lao(CHOOSE_AT_LEAST_ONE)


def test_without_the_check_link_missing_answers_are_not_flagged_on_a_fresh_page(client, world):
    client.force_login(world["focal"])
    content = client.get(page_url(world["response"])).content.decode()
    assert "has-error" not in content and 'id="page-problems"' not in content


def test_a_stored_answer_that_breaks_a_rule_shows_on_its_question_and_its_pillar_is_red(
    client, world
):
    """An imported (or earlier) value that a rule now refuses: skilled women above all women."""
    client.force_login(world["focal"])
    english(client)
    response = world["response"]
    fill_everything(client, response)
    staff_digital = Question.objects.get(version=response.round.version, code="staff_digital")
    Answer.objects.filter(response=response, question=staff_digital, sex="F").update(
        number=Decimal(40)
    )
    skills = staff_digital.pillar
    tech = Question.objects.get(version=response.round.version, code="systems").pillar

    content = client.get(page_url(response, "skills")).content.decode()
    assert "has-error" in question_block(content, "staff_digital")
    item = rail_item(content, skills.pk)
    assert 'data-state="invalid"' in item and "text-bg-danger" in item
    assert "text-bg-success" not in item and "needs a correction" in item
    assert 'data-state="complete"' in rail_item(content, tech.pk)
    status = re.search(r'<span id="save-status"[^>]*>([^<]*)</span>', content)
    assert SAVED_EN not in status.group(1)
    # Another page of the same response shows the red pillar on its rail too.
    content = client.get(page_url(response)).content.decode()
    assert 'data-state="invalid"' in rail_item(content, skills.pk)


def test_an_autosave_with_a_refused_value_marks_its_pillar_invalid(client, world):
    client.force_login(world["focal"])
    response = world["response"]
    tech = Question.objects.get(version=response.round.version, code="systems").pillar
    body = client.post(autosave_url(response), tech_post(response)).json()
    assert body["progress"][str(tech.pk)] == [4, 4] and tech.pk not in body["invalid"]
    response.refresh_from_db()
    body = client.post(autosave_url(response), tech_post(response, **{"q-systems": "500"})).json()
    assert body["errors"]["systems"]
    # The stored answers are complete, but the page holds a refused value: not green.
    assert body["progress"][str(tech.pk)] == [4, 4] and body["invalid"] == [tech.pk]


def test_an_explicit_save_with_an_error_never_says_all_changes_saved(client, world):
    client.force_login(world["focal"])
    english(client)
    response = world["response"]
    client.post(autosave_url(response), tech_post(response))
    response.refresh_from_db()
    page = client.post(page_url(response), tech_post(response, **{"q-systems": "500"}))
    content = page.content.decode()
    status = re.search(r'<span id="save-status"[^>]*>([^<]*)</span>', content)
    assert SAVED_EN not in status.group(1)
    assert "has-error" in question_block(content, "systems")
    assert 'data-state="invalid"' in content


# --- The reviewer's comments on a returned response -----------------------------------------


@pytest.fixture
def returned(client, world):
    response = world["response"]
    client.force_login(world["focal"])
    fill_everything(client, response)
    response.refresh_from_db()
    client.post(
        reverse("surveys:response_submit", args=[response.pk]),
        {"lock_version": str(response.lock_version)},
    )
    reviewer = UserFactory(username="reviewer")
    grant(reviewer, Role.REVIEWER, world["province"])
    questions = {
        q.code: q for q in Question.objects.filter(version=response.round.version).order_by()
    }
    response_return(
        response_id=response.pk,
        user=reviewer,
        comment="Please check the counts.",
        question_comments={
            questions["systems"].pk: "Is it really 3 systems?",
            questions["staff"].pk: "Staff numbers look too low.",
        },
    )
    response.refresh_from_db()
    assert response.status == ResponseStatus.RETURNED
    return {**world, "questions": questions}


def test_the_home_card_counts_the_reviewers_comments(client, returned):
    english(client)
    content = client.get(reverse("home")).content.decode()
    assert "3 comments" in content
    assert "3 comments" in client.get(reverse("surveys:my_questionnaires")).content.decode()


def test_the_rail_tells_which_pages_have_comments_and_the_question_shows_its_own(client, returned):
    english(client)
    response, questions = returned["response"], returned["questions"]
    content = client.get(page_url(response)).content.decode()
    assert "1 comment of the reviewer" in rail_item(content, questions["systems"].pillar_id)
    assert "1 comment of the reviewer" in rail_item(content, questions["staff"].pillar_id)
    systems = question_block(content, "systems")
    assert "review-comment" in systems and "Is it really 3 systems?" in systems
    assert "review-comment" not in question_block(content, "connectivity")
    # The comment on a question of the other page is shown on that page's question.
    content = client.get(page_url(response, "skills")).content.decode()
    assert "Staff numbers look too low." in question_block(content, "staff")


def test_the_check_page_lists_the_comments_with_links_to_their_questions(client, returned):
    english(client)
    response = returned["response"]
    content = client.get(reverse("surveys:response_check", args=[response.pk])).content.decode()
    section = content[content.index('id="review-comments"') :]
    assert "3 comments" in section
    assert "Please check the counts." in section
    assert f'href="{page_url(response)}#q-systems"' in section
    assert f'href="{page_url(response, "skills")}#q-staff"' in section


def test_comments_are_no_longer_signposted_once_resubmitted(client, returned):
    english(client)
    response = returned["response"]
    client.post(
        reverse("surveys:response_submit", args=[response.pk]),
        {"lock_version": str(response.lock_version)},
    )
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert "comments" not in client.get(reverse("home")).content.decode()
    assert "review-comment" not in client.get(page_url(response)).content.decode()


# --- The anonymous form ----------------------------------------------------------------------


@pytest.fixture
def link(tree):
    version = make_version_of_every_kind(code="staff-skills", respondent_type="individual")
    round_ = make_open_round(version=version, code="staff-2026", targets=[tree["chanthabuly"]])
    return ShareLink.objects.create(round=round_, organisation=tree["chanthabuly"])


def test_the_anonymous_form_reports_every_problem_at_the_first_submit(client, link):
    english(client)
    url = reverse("surveys:individual_form", args=[link.token])
    page = client.get(url)
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.content.decode()).group(1)
    # Nothing chosen, nothing typed, and a count that breaks its rule.
    page = client.post(url, {"nonce": nonce, "q-staff-F": "-1", "q-staff-M": "2"})
    assert page.status_code == 400
    content = page.content.decode()
    problems = content[content.index('id="form-problems"') :]
    problems = problems[: problems.index("</div>")]
    required = [
        q.code
        for q in Question.objects.filter(version=link.round.version, required=True)
        if not q.relevant and q.code != "staff"
    ]
    anchors = re.findall(r'href="#([^"]+)"', problems)
    # Sex and age, every missing required answer and the refused count, each with its link.
    assert anchors[:2] == ["div_id_sex", "div_id_age_band"]
    assert set(anchors[2:]) == {f"q-{code}" for code in required} | {"q-staff"}
    assert f"{len(anchors)} answers are missing or need a correction" in problems
    # A choice asks to choose; the respondent's questions are choices too.
    assert problems.count(str(CHOOSE_ONE)) >= 3
    assert "This field is required" not in content
    for anchor in anchors:
        assert f'id="{anchor}"' in content
