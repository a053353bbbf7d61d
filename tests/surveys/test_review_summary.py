"""Issue 12, point 6: the review page's summary (jump links to pillars and comments), skipped
(by skip logic) told apart from unanswered, and approving only after a confirmation step that
needs no script. Through the views, real database."""

import re

import pytest
from django.urls import reverse

from surveys.models import Answer, ResponseStatus, ReviewComment
from tests.surveys.test_review import CONFIRMED, english, question
from tests.surveys.test_review import setup as review_world  # noqa: F401 - a fixture


@pytest.fixture
def world(review_world):  # noqa: F811 - the imported fixture, by name
    """A submitted response of Chanthabuly: no website (so its address is skipped), the
    connection not answered, staff counted; one open comment on the staff question."""
    response, version = review_world["response"], review_world["version"]
    Answer.objects.create(
        response=response, question=question(version, "has_website"), choices=["no"]
    )
    for sex, number in (("F", 4), ("M", 6)):
        Answer.objects.create(
            response=response, question=question(version, "staff"), sex=sex, number=number
        )
    ReviewComment.objects.create(
        response=response, question=question(version, "staff"), text="Count the interns too."
    )
    return review_world


def block(content: str, anchor: str) -> str:
    start = content.index(f'id="{anchor}"')
    return content[start : content.index("</div>", start)]


def test_the_summary_jumps_to_each_pillar_and_to_each_comment(client, world):
    client.force_login(world["reviewer"])
    content = (
        english(client)
        .get(reverse("surveys:review_detail", args=[world["response"].pk]))
        .content.decode()
    )
    summary = content[content.index('id="review-summary-title"') : content.index("</section>")]
    for anchor in ("pillar-tech", "pillar-skills", "rq-staff"):
        assert f'href="#{anchor}"' in summary
        assert f'id="{anchor}"' in content
    assert "1 open comment" in summary


def test_skipped_questions_are_told_apart_from_unanswered_ones(client, world):
    client.force_login(world["reviewer"])
    content = (
        english(client)
        .get(reverse("surveys:review_detail", args=[world["response"].pk]))
        .content.decode()
    )
    website = block(content, "rq-website_url")
    assert 'data-state="skipped"' in website and "Skipped: did not apply" in website
    connectivity = block(content, "rq-connectivity")
    assert 'data-state="unanswered"' in connectivity and "Not answered" in connectivity
    staff = block(content, "rq-staff")
    assert 'data-state="answered"' in staff and "Women: 4, men: 6, total: 10" in staff
    summary = content[content.index('id="review-summary-title"') : content.index("</section>")]
    # tech: has_website answered; website_url skipped; the other five (connectivity, services,
    # computers, budget_share, strategy_date) not answered.
    tech = re.search(r"Technology and solutions</a>\s*<span[^>]*>\s*([^<]*)", summary).group(1)
    assert " ".join(tech.split()) == "1 answered · 1 skipped · 5 not answered"


def test_approving_asks_for_confirmation_first(client, world):
    client.force_login(world["reviewer"])
    response = world["response"]
    url = reverse("surveys:review_approve", args=[response.pk])
    detail = english(client).get(reverse("surveys:review_detail", args=[response.pk]))
    # The page's approve button is a link to the confirmation, not a form that approves.
    assert f'href="{url}"' in detail.content.decode()
    assert f'action="{url}"' not in detail.content.decode()

    for answer in (client.get(url), client.post(url)):
        assert answer.status_code == 200
        content = answer.content.decode()
        assert "Approve this response?" in content and 'name="confirmed" value="yes"' in content
        assert "5 questions that applied to this organisation are not answered" not in content
        assert "not answered" in content
        assert "<script>" not in content.split("</main>")[0]  # no inline script
        response.refresh_from_db()
        assert response.status == ResponseStatus.SUBMITTED

    page = client.post(url, CONFIRMED, follow=True)
    response.refresh_from_db()
    assert response.status == ResponseStatus.APPROVED
    assert [m.level_tag for m in page.context["messages"]] == ["success"]
    # Once approved, the confirmation page is not offered again.
    again = client.get(url, follow=True)
    assert again.redirect_chain[-1][0] == reverse("surveys:review_detail", args=[response.pk])
