"""The focal point's filling screens, through the views against the real database."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.models import OrganisationKind, Role
from readiness.numbers import NOT_A_WHOLE_NUMBER
from surveys.answers.cleaning import REQUIRED
from surveys.models import Answer, Response, ResponseStatus, RoundStatus
from surveys.selectors.answers import answers_load
from tests.factories import UserFactory, grant, make_filling_round, make_organisation


@pytest.fixture
def filling(db):
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    province = make_organisation(code="LA01", kind=OrganisationKind.PROVINCE, parent=nation)
    district = make_organisation(code="LA0101", kind=OrganisationKind.DISTRICT, parent=province)
    other = make_organisation(code="LA0102", kind=OrganisationKind.DISTRICT, parent=province)
    round_ = make_filling_round(organisations=[district, other])
    focal = UserFactory(username="focal", first_name="Noy")
    grant(focal, Role.FOCAL_POINT, district)
    colleague = UserFactory(username="colleague", first_name="Bounmy")
    grant(colleague, Role.FOCAL_POINT, district)
    stranger = UserFactory(username="stranger")
    grant(stranger, Role.FOCAL_POINT, other)
    return {
        "round": round_,
        "response": Response.objects.get(round=round_, organisation=district),
        "other_response": Response.objects.get(round=round_, organisation=other),
        "focal": focal,
        "colleague": colleague,
        "stranger": stranger,
        "district": district,
        "province": province,
    }


def lao(message) -> str:
    """The Lao text of a message, checked to be a real translation (not the English)."""
    with translation.override("lo"):
        text = translation.gettext(str(message)) if isinstance(message, str) else str(message)
    with translation.override("en"):
        assert text != str(message), f"no Lao translation for {message!r}"
    return text


def page_url(response, pillar="tech"):
    return reverse("surveys:response_page", args=[response.pk, pillar])


def autosave_url(response, pillar="tech"):
    return reverse("surveys:response_autosave", args=[response.pk, pillar])


def tech_post(response, **overrides):
    data = {
        "lock_version": str(response.lock_version),
        "q-connectivity": "shared",
        "q-has_website": "no",
        "q-channels": ["email"],
        "q-systems": "3",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def skills_post(response, **overrides):
    data = {
        "lock_version": str(response.lock_version),
        "q-staff-F": "10",
        "q-staff-M": "12",
        "q-staff_digital-F": "4",
        "q-staff_digital-M": "5",
        "q-budget_share": "2.5",
        "q-last_training": "2026-03-01",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def fill_everything(client, response):
    client.post(page_url(response), tech_post(response))
    response.refresh_from_db()
    client.post(page_url(response, "skills"), skills_post(response))
    response.refresh_from_db()


# --- My questionnaires and the page ---------------------------------------------------------


def test_it_lists_the_open_questionnaires_of_the_focal_points_organisation(client, filling):
    client.force_login(filling["focal"])
    page = client.get(reverse("surveys:my_questionnaires"))
    assert page.status_code == 200
    assert reverse("surveys:response_start", args=[filling["response"].pk]).encode() in page.content
    assert (
        reverse("surveys:response_start", args=[filling["other_response"].pk]).encode()
        not in page.content
    )
    assert b"0%" in page.content


def test_the_list_shows_progress_after_answers(client, filling):
    client.force_login(filling["focal"])
    client.post(page_url(filling["response"]), tech_post(filling["response"]))
    page = client.get(reverse("surveys:my_questionnaires"))
    # 4 of the 8 relevant questions (website_url is skipped): 50 %.
    assert b"50%" in page.content


def test_home_page_shows_my_questionnaires_to_a_focal_point(client, filling):
    client.force_login(filling["focal"])
    page = client.get(reverse("home"))
    assert reverse("surveys:response_start", args=[filling["response"].pk]).encode() in page.content


def test_the_page_shows_labels_in_lao_by_default_and_english_on_request(client, filling):
    client.force_login(filling["focal"])
    page = client.get(page_url(filling["response"]))
    content = page.content.decode()
    assert "ຫ້ອງການຂອງທ່ານເຊື່ອມຕໍ່ອິນເຕີເນັດແນວໃດ?" in content
    assert 'data-dont-know="1"' in content
    client.cookies["django_language"] = "en"
    content = client.get(page_url(filling["response"])).content.decode()
    assert "How is your office connected to the internet?" in content


def test_count_by_sex_shows_women_men_and_the_derived_total(client, filling):
    client.force_login(filling["focal"])
    client.post(page_url(filling["response"], "skills"), skills_post(filling["response"]))
    content = client.get(page_url(filling["response"], "skills")).content.decode()
    assert 'name="q-staff-F"' in content and 'name="q-staff-M"' in content
    assert ">22</output>" in content  # 10 women + 12 men
    rows = Answer.objects.filter(response=filling["response"], question__code="staff")
    assert sorted((row.sex, row.number) for row in rows) == [("F", Decimal(10)), ("M", Decimal(12))]


def test_saving_a_page_stores_typed_answers_and_redirects(client, filling):
    client.force_login(filling["focal"])
    result = client.post(page_url(filling["response"]), tech_post(filling["response"]))
    assert result.status_code == 302
    values = answers_load(filling["response"])
    assert values == {
        "connectivity": "shared",
        "has_website": "no",
        "channels": ["email"],
        "systems": 3,
    }
    filling["response"].refresh_from_db()
    assert filling["response"].lock_version == 1
    assert filling["response"].updated_by == filling["focal"]


def test_save_and_continue_goes_to_the_next_pillar(client, filling):
    client.force_login(filling["focal"])
    result = client.post(
        page_url(filling["response"]), tech_post(filling["response"], action="next")
    )
    assert result.url == page_url(filling["response"], "skills")


def test_autosave_answers_json_and_stores_the_page(client, filling):
    client.force_login(filling["focal"])
    result = client.post(autosave_url(filling["response"]), tech_post(filling["response"]))
    assert result.status_code == 200
    body = result.json()
    assert body["saved"] is True
    assert body["lock_version"] == 1
    assert body["status"].startswith("ບັນທຶກ")  # Lao status line
    assert answers_load(filling["response"])["systems"] == 3


def test_autosave_of_unchanged_values_does_not_move_the_lock(client, filling):
    client.force_login(filling["focal"])
    client.post(autosave_url(filling["response"]), tech_post(filling["response"]))
    filling["response"].refresh_from_db()
    again = client.post(autosave_url(filling["response"]), tech_post(filling["response"]))
    assert again.json()["changed"] == 0
    assert again.json()["lock_version"] == 1


def test_an_autosave_costs_a_small_bounded_number_of_queries(
    client, filling, django_assert_max_num_queries
):
    # Session and user; the transaction's two statements; the response checked (focal point
    # of its organisation) and locked in one statement; the questions and their choices; the
    # response's answers; one insert of answers and one of their history; the lock version
    # and its history: 12 (it was 26: a statement per answer row and its history, the answers
    # read twice and the response three times).
    client.force_login(filling["focal"])
    # The first request of a session moves its idle expiry (readiness.middleware
    # .IdleSessionMiddleware): the session's transaction and update, three statements more.
    with django_assert_max_num_queries(15):
        first = client.post(autosave_url(filling["response"]), tech_post(filling["response"]))
    assert first.json()["saved"] is True
    assert first.json()["changed"] == 4
    # The autosaves that follow within SESSION_TOUCH_SECONDS write nothing of the session.
    with django_assert_max_num_queries(12):
        again = client.post(
            autosave_url(filling["response"]),
            tech_post(filling["response"], **{"q-systems": "4", "lock_version": "1"}),
        )
    assert again.json()["saved"] is True
    assert again.json()["changed"] == 1


# --- Validation ----------------------------------------------------------------------------


def test_an_out_of_range_number_is_refused_with_the_questionnaires_message_in_lao(client, filling):
    client.force_login(filling["focal"])
    result = client.post(
        autosave_url(filling["response"]), tech_post(filling["response"], **{"q-systems": "500"})
    )
    body = result.json()
    assert body["errors"]["systems"] == ["ກະລຸນາໃສ່ຕົວເລກລະຫວ່າງ 0 ຫາ 100"]
    values = answers_load(filling["response"])
    assert "systems" not in values
    assert values["connectivity"] == "shared"  # the valid answers of the page are kept


def test_a_wrong_type_keeps_the_stored_value_and_shows_the_message_next_to_the_field(
    client, filling
):
    client.force_login(filling["focal"])
    client.post(page_url(filling["response"]), tech_post(filling["response"]))
    filling["response"].refresh_from_db()
    page = client.post(
        page_url(filling["response"]), tech_post(filling["response"], **{"q-systems": "three"})
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="q-systems-errors"' in content
    assert lao(NOT_A_WHOLE_NUMBER) % {"value": "three"} in content
    assert 'value="three"' in content  # shown back as typed
    assert answers_load(filling["response"])["systems"] == 3


def test_a_choice_not_in_the_list_is_refused(client, filling):
    client.force_login(filling["focal"])
    body = client.post(
        autosave_url(filling["response"]),
        tech_post(
            filling["response"], **{"q-connectivity": "satellite", "q-channels": ["email", "fax"]}
        ),
    ).json()
    assert set(body["errors"]) == {"connectivity", "channels"}
    assert not Answer.objects.filter(question__code__in=["connectivity", "channels"]).exists()


def test_dont_know_cannot_be_combined_with_other_choices(client, filling):
    client.force_login(filling["focal"])
    body = client.post(
        autosave_url(filling["response"]),
        tech_post(filling["response"], **{"q-channels": ["email", "dk"]}),
    ).json()
    assert "channels" in body["errors"]


def test_dont_know_is_stored_as_a_choice(client, filling):
    client.force_login(filling["focal"])
    client.post(
        autosave_url(filling["response"]),
        tech_post(filling["response"], **{"q-connectivity": "dk"}),
    )
    assert answers_load(filling["response"])["connectivity"] == "dk"


def test_skilled_staff_above_all_staff_is_refused_for_each_sex(client, filling):
    client.force_login(filling["focal"])
    body = client.post(
        autosave_url(filling["response"], "skills"),
        skills_post(filling["response"], **{"q-staff_digital-F": "11"}),
    ).json()
    assert len(body["errors"]["staff_digital"]) == 1
    assert body["errors"]["staff_digital"][0].startswith("ຍິງ")
    values = answers_load(filling["response"])
    assert "staff_digital" not in values  # never half a count
    assert values["staff"] == {"F": 10, "M": 12}


def test_a_count_by_sex_refuses_negative_and_fractional_numbers(client, filling):
    client.force_login(filling["focal"])
    body = client.post(
        autosave_url(filling["response"], "skills"),
        skills_post(filling["response"], **{"q-staff-F": "-1", "q-staff-M": "2.5"}),
    ).json()
    assert "staff" in body["errors"]
    assert not Answer.objects.filter(question__code="staff").exists()


def test_skip_logic_deletes_the_answer_of_a_question_that_became_irrelevant(client, filling):
    client.force_login(filling["focal"])
    response = filling["response"]
    client.post(
        page_url(response),
        tech_post(response, **{"q-has_website": "yes", "q-website_url": "https://x.gov.la"}),
    )
    assert answers_load(response)["website_url"] == "https://x.gov.la"
    response.refresh_from_db()
    client.post(
        page_url(response),
        tech_post(response, **{"q-has_website": "no", "q-website_url": "https://x.gov.la"}),
    )
    assert "website_url" not in answers_load(response)
    assert not Answer.objects.filter(response=response, question__code="website_url").exists()


def test_an_irrelevant_answer_is_never_stored(client, filling):
    client.force_login(filling["focal"])
    client.post(
        page_url(filling["response"]), tech_post(filling["response"], **{"q-website_url": "sneaky"})
    )
    assert not Answer.objects.filter(question__code="website_url").exists()


def test_a_huge_text_is_refused_with_a_message(client, filling):
    client.force_login(filling["focal"])
    body = client.post(
        autosave_url(filling["response"]),
        tech_post(filling["response"], **{"q-has_website": "yes", "q-website_url": "x" * 6000}),
    ).json()
    assert "website_url" in body["errors"]
    assert not Answer.objects.filter(question__code="website_url").exists()


def test_huge_and_odd_numbers_are_refused_without_a_500(client, filling):
    client.force_login(filling["focal"])
    for raw in ["9" * 400, "1e999", "NaN", "Infinity", "1" * 20, "\x00"]:
        result = client.post(
            autosave_url(filling["response"]), tech_post(filling["response"], **{"q-systems": raw})
        )
        assert result.status_code == 200, raw
        assert "systems" in result.json()["errors"], raw
    assert not Answer.objects.filter(question__code="systems").exists()


def test_a_nul_character_in_text_is_refused_not_a_500(client, filling):
    client.force_login(filling["focal"])
    result = client.post(
        autosave_url(filling["response"]),
        tech_post(filling["response"], **{"q-has_website": "yes", "q-website_url": "a\x00b"}),
    )
    assert result.status_code == 200
    assert "website_url" in result.json()["errors"]


def test_markup_in_text_is_stored_as_text_and_rendered_escaped(client, filling):
    client.force_login(filling["focal"])
    markup = '<script>alert("x")</script> ທົດລອງ'
    client.post(
        page_url(filling["response"]),
        tech_post(filling["response"], **{"q-has_website": "yes", "q-website_url": markup}),
    )
    assert answers_load(filling["response"])["website_url"] == markup
    content = client.get(page_url(filling["response"])).content.decode()
    assert '<script>alert("x")</script>' not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ທົດລອງ" in content


def test_a_date_and_a_decimal_are_stored_typed(client, filling):
    client.force_login(filling["focal"])
    client.post(page_url(filling["response"], "skills"), skills_post(filling["response"]))
    values = answers_load(filling["response"])
    assert values["budget_share"] == Decimal("2.5")
    assert str(values["last_training"]) == "2026-03-01"


def test_a_bad_date_gets_a_message(client, filling):
    client.force_login(filling["focal"])
    body = client.post(
        autosave_url(filling["response"], "skills"),
        skills_post(filling["response"], **{"q-last_training": "2026-13-45"}),
    ).json()
    assert "last_training" in body["errors"]


def test_an_explicit_save_points_at_missing_required_answers(client, filling):
    client.force_login(filling["focal"])
    page = client.post(
        page_url(filling["response"]), tech_post(filling["response"], **{"q-systems": ""})
    )
    assert page.status_code == 200
    assert lao(REQUIRED) in page.content.decode()
    assert answers_load(filling["response"])["connectivity"] == "shared"


def test_a_tampered_pillar_code_is_404(client, filling):
    client.force_login(filling["focal"])
    assert client.get(page_url(filling["response"], "nope")).status_code == 404
    assert client.post(autosave_url(filling["response"], "nope"), {}).status_code == 404


def test_fields_of_another_pillar_posted_on_this_page_are_ignored(client, filling):
    client.force_login(filling["focal"])
    client.post(
        autosave_url(filling["response"]), tech_post(filling["response"], **{"q-staff-F": "5"})
    )
    assert "staff" not in answers_load(filling["response"])


# --- Optimistic locking ------------------------------------------------------------------


def test_a_save_on_an_older_version_of_a_changed_field_is_refused_with_409(client, filling):
    response = filling["response"]
    client.force_login(filling["focal"])
    client.post(autosave_url(response), tech_post(response, **{"q-systems": "3"}))
    # The colleague loaded the page at lock version 1 and saves systems = 7.
    client.force_login(filling["colleague"])
    client.post(autosave_url(response), tech_post(response, lock_version="1", **{"q-systems": "7"}))
    # The focal point, still at lock version 1, saves systems = 4.
    client.force_login(filling["focal"])
    result = client.post(
        autosave_url(response), tech_post(response, lock_version="1", **{"q-systems": "4"})
    )
    assert result.status_code == 409
    body = result.json()
    assert body["conflict"] is True
    assert "Bounmy" in body["html"]  # saved by
    assert 'name="resolve-systems"' in body["html"]
    assert answers_load(response)["systems"] == 7  # nothing overwritten


def test_the_conflict_page_lets_the_user_keep_theirs(client, filling):
    response = filling["response"]
    client.force_login(filling["colleague"])
    client.post(autosave_url(response), tech_post(response, **{"q-systems": "7"}))
    client.force_login(filling["focal"])
    page = client.post(
        page_url(response), tech_post(response, lock_version="0", **{"q-systems": "4"})
    )
    assert page.status_code == 409
    content = page.content.decode()
    assert "Bounmy" in content and 'value="theirs"' in content
    assert "ທ່ານມີລະບົບຂໍ້ມູນຂ່າວສານຈັກລະບົບ?" in content and "{&#x27;" not in content
    response.refresh_from_db()
    kept = client.post(
        page_url(response),
        tech_post(
            response,
            lock_version=str(response.lock_version),
            **{"q-systems": "4", "resolve-systems": "mine"},
        ),
    )
    assert kept.status_code == 302
    assert answers_load(response)["systems"] == 4


def test_the_conflict_page_lets_the_user_take_the_saved_value(client, filling):
    response = filling["response"]
    client.force_login(filling["colleague"])
    client.post(autosave_url(response), tech_post(response, **{"q-systems": "7"}))
    client.force_login(filling["focal"])
    response.refresh_from_db()
    client.post(
        page_url(response),
        tech_post(
            response,
            lock_version=str(response.lock_version),
            **{"q-systems": "4", "q-connectivity": "dedicated", "resolve-systems": "theirs"},
        ),
    )
    values = answers_load(response)
    assert values["systems"] == 7
    assert values["connectivity"] == "dedicated"


def test_changes_to_other_fields_merge_without_a_conflict(client, filling):
    response = filling["response"]
    client.force_login(filling["colleague"])
    client.post(page_url(response, "skills"), skills_post(response))
    client.force_login(filling["focal"])
    result = client.post(autosave_url(response), tech_post(response, lock_version="0"))
    assert result.status_code == 200
    values = answers_load(response)
    assert values["systems"] == 3 and values["staff"] == {"F": 10, "M": 12}


def test_a_tampered_lock_version_never_overwrites_silently(client, filling):
    response = filling["response"]
    client.force_login(filling["colleague"])
    client.post(autosave_url(response), tech_post(response, **{"q-systems": "7"}))
    client.force_login(filling["focal"])
    for forged in ["999", "-5", "abc", "", "99999999999999999999", "1e3", "1.5"]:
        result = client.post(
            autosave_url(response), tech_post(response, lock_version=forged, **{"q-systems": "4"})
        )
        assert result.status_code == 409, forged
    assert answers_load(response)["systems"] == 7


# --- Access ----------------------------------------------------------------------------


def test_another_organisations_response_is_404_everywhere(client, filling):
    response = filling["response"]
    client.force_login(filling["stranger"])
    urls_get = [
        reverse("surveys:response_start", args=[response.pk]),
        page_url(response),
        reverse("surveys:response_check", args=[response.pk]),
    ]
    for url in urls_get:
        assert client.get(url).status_code == 404, url
    posts = [
        page_url(response),
        autosave_url(response),
        reverse("surveys:response_submit", args=[response.pk]),
    ]
    for url in posts:
        assert client.post(url, tech_post(response)).status_code == 404, url
    assert not Answer.objects.filter(response=response).exists()
    assert client.get(page_url(response, "nope")).status_code == 404
    assert client.get(reverse("surveys:response_start", args=[987654])).status_code == 404


def test_a_reviewer_of_the_province_reads_the_page_but_cannot_save(client, filling):
    reviewer = UserFactory(username="reviewer")
    grant(reviewer, Role.REVIEWER, filling["province"])
    client.force_login(reviewer)
    page = client.get(page_url(filling["response"]))
    assert page.status_code == 200
    assert b"disabled" in page.content
    assert (
        client.post(autosave_url(filling["response"]), tech_post(filling["response"])).status_code
        == 404
    )
    assert (
        client.get(reverse("surveys:response_check", args=[filling["response"].pk])).status_code
        == 404
    )


def test_anonymous_users_are_sent_to_login(client, filling):
    result = client.get(page_url(filling["response"]))
    assert result.status_code == 302 and "login" in result.url


# --- Check and submit ----------------------------------------------------------------------


def test_the_check_lists_missing_answers_with_links_to_the_field(client, filling):
    client.force_login(filling["focal"])
    client.post(page_url(filling["response"]), tech_post(filling["response"], **{"q-systems": ""}))
    page = client.get(reverse("surveys:response_check", args=[filling["response"].pk]))
    content = page.content.decode()
    assert page_url(filling["response"]) + "?check=1#q-systems" in content
    assert page_url(filling["response"], "skills") + "?check=1#q-staff" in content
    assert "#q-website_url" not in content  # skipped, so not missing
    # Questions are named in the reader's language, never as raw labels of every language.
    assert "ທ່ານມີລະບົບຂໍ້ມູນຂ່າວສານຈັກລະບົບ?" in content
    assert "{&#x27;" not in content and "{'" not in content


def test_submit_is_refused_while_answers_are_missing(client, filling):
    client.force_login(filling["focal"])
    response = filling["response"]
    result = client.post(
        reverse("surveys:response_submit", args=[response.pk]), {"lock_version": "0"}
    )
    assert result.status_code == 400
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT


def test_a_complete_response_is_submitted_and_becomes_read_only(client, filling):
    client.force_login(filling["focal"])
    response = filling["response"]
    fill_everything(client, response)
    check = client.get(reverse("surveys:response_check", args=[response.pk]))
    assert b"#q-" not in check.content
    result = client.post(
        reverse("surveys:response_submit", args=[response.pk]),
        {"lock_version": str(response.lock_version)},
    )
    assert result.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.submitted_by == filling["focal"] and response.submitted_at is not None
    # Read-only: the page renders disabled inputs, saves are refused and change nothing.
    page = client.get(page_url(response))
    assert b"disabled" in page.content
    autosave = client.post(autosave_url(response), tech_post(response, **{"q-systems": "9"}))
    assert autosave.status_code == 423
    client.post(page_url(response), tech_post(response, **{"q-systems": "9"}))
    assert answers_load(response)["systems"] == 3


def test_a_second_submit_changes_nothing_and_gets_a_calm_message(client, filling):
    client.force_login(filling["focal"])
    response = filling["response"]
    fill_everything(client, response)
    data = {"lock_version": str(response.lock_version)}
    url = reverse("surveys:response_submit", args=[response.pk])
    client.post(url, data)
    response.refresh_from_db()
    submitted_at = response.submitted_at
    second = client.post(url, data, follow=True)
    assert second.status_code == 200
    assert (
        lao("This questionnaire has already been submitted. Nothing more to do.")
        in second.content.decode()
    )
    response.refresh_from_db()
    assert response.submitted_at == submitted_at
    transitions = response.history.filter(status=ResponseStatus.SUBMITTED).values_list(
        "lock_version", flat=True
    )
    assert len(set(transitions)) == 1


def test_a_submit_from_a_stale_check_page_asks_to_look_again(client, filling):
    client.force_login(filling["focal"])
    response = filling["response"]
    fill_everything(client, response)
    stale = str(response.lock_version - 1)
    client.post(reverse("surveys:response_submit", args=[response.pk]), {"lock_version": stale})
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT


def test_a_returned_response_is_editable_again(client, filling):
    client.force_login(filling["focal"])
    response = filling["response"]
    fill_everything(client, response)
    client.post(
        reverse("surveys:response_submit", args=[response.pk]),
        {"lock_version": str(response.lock_version)},
    )
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.RETURNED)
    response.refresh_from_db()
    result = client.post(autosave_url(response), tech_post(response, **{"q-systems": "9"}))
    assert result.status_code == 200
    assert answers_load(response)["systems"] == 9


def test_a_closed_round_is_read_only(client, filling):
    client.force_login(filling["focal"])
    filling["round"].status = RoundStatus.CLOSED
    filling["round"].save()
    assert (
        client.post(autosave_url(filling["response"]), tech_post(filling["response"])).status_code
        == 423
    )
    assert not Answer.objects.exists()


def test_the_page_carries_the_rules_for_live_skip_logic(client, filling):
    client.force_login(filling["focal"])
    page = client.get(page_url(filling["response"]))
    content = page.content.decode()
    start = content.index('id="filling-rules"')
    rules = json.loads(content[content.index(">", start) + 1 : content.index("</script>", start)])
    assert {"code": "website_url", "kind": "text", "relevant": "${has_website} = 'yes'"} in rules
    assert 'id="q-website_url" data-code="website_url" data-kind="text" hidden' in content


def test_submitting_queues_the_scoring_after_commit(
    client, filling, django_capture_on_commit_callbacks
):
    client.force_login(filling["focal"])
    response = filling["response"]
    fill_everything(client, response)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(
            reverse("surveys:response_submit", args=[response.pk]),
            {"lock_version": str(response.lock_version)},
        )
    assert len(callbacks) == 1
    response.refresh_from_db()
    assert response.scored_at is not None  # Celery runs eagerly in the test settings
