"""Lao throughout (issue 12, point 7): one date format family (readiness/formats: day, month,
year; the full Lao month name where a document writes it), date and file inputs that read in the
page's language, and empty choices that say what they mean."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from organisations.models import Role
from surveys.models import Answer, Question, Round
from tests.factories import UserFactory, grant, make_filling_round, make_published_version
from tests.reports.conftest import scored_round  # noqa: F401  (fixture)
from tests.reports.exports.conftest import results  # noqa: F401  (fixture)
from tests.surveys.test_rounds import new_url, round_data, setup  # noqa: F401  (fixture)

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NAMED_FORMATS = {
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
}
# The glossary's months (../shared/GLOSSARY.md), as Lao documents write them.
LAO_MONTHS = [
    "ມັງກອນ",
    "ກຸມພາ",
    "ມີນາ",
    "ເມສາ",
    "ພຶດສະພາ",
    "ມິຖຸນາ",
    "ກໍລະກົດ",
    "ສິງຫາ",
    "ກັນຍາ",
    "ຕຸລາ",
    "ພະຈິກ",
    "ທັນວາ",
]


def test_every_date_a_template_shows_uses_the_languages_named_formats():
    """A literal format ("j M Y") ignores readiness/formats and abbreviates months in English."""
    literal = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        for found in re.findall(r'\|date:"([^"]*)"', path.read_text(encoding="utf-8")):
            if found not in NAMED_FORMATS:
                literal.append(f"{path.relative_to(TEMPLATES)}: {found}")
    assert not literal, literal


def test_a_document_date_has_the_full_lao_month_name():
    with translation.override("lo"):
        months = [
            date_format(datetime.date(2021, month, 7), "DATE_FORMAT") for month in range(1, 13)
        ]
        assert months == [f"7 {name} 2021" for name in LAO_MONTHS]
        assert date_format(datetime.date(2021, 7, 7), "SHORT_DATE_FORMAT") == "07/07/2021"
    with translation.override("en"):
        assert date_format(datetime.date(2021, 7, 7), "DATE_FORMAT") == "7 July 2021"


def test_the_round_form_writes_dates_day_month_year_in_lao(client, setup):  # noqa: F811
    client.force_login(setup["admin"])
    body = client.get(new_url(setup["version"])).content.decode()
    assert 'type="date"' not in body
    assert 'name="opens_on"' in body and 'placeholder="ວວ/ດດ/ປປປປ"' in body
    assert "ວັນ/ເດືອນ/ປີ, ຕົວຢ່າງ 31/12/2026." in body
    # The empty choice says what it means.
    assert "---------" not in body and "ບໍ່ມີຮອບພື້ນຖານ" in body
    page = client.post(
        new_url(setup["version"]), round_data(opens_on="01/02/2026", closes_on="30/04/2026")
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    round_ = Round.objects.get(code="dra-2026")
    assert (round_.opens_on, round_.closes_on) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 4, 30),
    )
    edit = client.get(reverse("surveys:round_edit", args=[round_.pk])).content.decode()
    assert 'value="01/02/2026"' in edit and 'value="30/04/2026"' in edit


def test_the_version_step_and_the_import_say_what_their_empty_choice_means(client, setup):  # noqa: F811
    client.force_login(setup["admin"])
    step = client.get(reverse("surveys:round_new")).content.decode()
    assert "---------" not in step and "ເລືອກສະບັບຂອງແບບສອບຖາມ" in step
    upload = client.get(reverse("surveys:responses_import")).content.decode()
    assert "---------" not in upload and "ເລືອກຮອບການປະເມີນ" in upload


@pytest.mark.parametrize(
    ("url", "language", "button", "empty"),
    [
        ("surveys:responses_import", "lo", "ເລືອກໄຟລ໌", "ຍັງບໍ່ໄດ້ເລືອກໄຟລ໌"),
        ("surveys:questionnaire_upload", "en", "Choose a file", "No file chosen"),
        ("organisations:import", "lo", "ເລືອກໄຟລ໌", "ຍັງບໍ່ໄດ້ເລືອກໄຟລ໌"),
    ],
)
def test_a_file_input_reads_in_the_pages_language(client, setup, url, language, button, empty):  # noqa: F811
    client.force_login(setup["admin"])
    client.cookies["django_language"] = language
    body = client.get(reverse(url)).content.decode()
    assert button in body and empty in body
    # The real input is kept (keyboards, screen readers) under the translated button.
    assert re.search(r'<input type="file" name="file" class="file-picker-input"', body)
    assert "js/file-picker.js" in body


@pytest.fixture
def focal_and_response(tree):
    version = make_published_version()
    round_ = make_filling_round(version=version, organisations=[tree["chanthabuly"]])
    focal = UserFactory(username="focal")
    grant(focal, Role.FOCAL_POINT, tree["chanthabuly"])
    return focal, round_.responses.get()


def test_a_date_question_is_typed_and_shown_day_month_year(client, focal_and_response):
    focal, response = focal_and_response
    client.force_login(focal)
    url = reverse("surveys:response_page", args=[response.pk, "skills"])
    body = client.get(url).content.decode()
    assert 'name="q-last_training"' in body and 'type="date"' not in body
    assert 'placeholder="ວວ/ດດ/ປປປປ"' in body
    client.post(
        url,
        {
            "lock_version": str(response.lock_version),
            "q-staff-F": "3",
            "q-staff-M": "4",
            "q-staff_digital-F": "1",
            "q-staff_digital-M": "2",
            "q-last_training": "07/07/2021",
        },
    )
    question = Question.objects.get(version=response.round.version, code="last_training")
    assert Answer.objects.get(response=response, question=question).date == datetime.date(
        2021, 7, 7
    )
    assert 'value="07/07/2021"' in client.get(url).content.decode()
    # A date that does not exist is refused, not stored.
    response.refresh_from_db()
    refused = client.post(
        url,
        {
            "lock_version": str(response.lock_version),
            "q-staff-F": "3",
            "q-staff-M": "4",
            "q-staff_digital-F": "1",
            "q-staff_digital-M": "2",
            "q-last_training": "31/02/2021",
        },
    )
    assert refused.status_code == 200
    assert Answer.objects.get(response=response, question=question).date == datetime.date(
        2021, 7, 7
    )


def test_the_new_user_form_says_what_no_role_means(client, setup):  # noqa: F811
    client.force_login(setup["admin"])
    body = client.get(reverse("organisations:user_create")).content.decode()
    assert "ຍັງບໍ່ມອບບົດບາດເທື່ອ" in body and ">—<" not in body


def test_a_word_report_in_lao_writes_the_full_lao_month(tmp_path, results, settings):  # noqa: F811
    """The documents (reports/exports/documents.py) use DATE_FORMAT / DATETIME_FORMAT."""
    import docx
    from django.core.management import call_command
    from django.utils import timezone

    from reports.models import RoundScoring

    settings.MEDIA_ROOT = tmp_path / "media"
    out = tmp_path / "masterplan.docx"
    call_command("export", round=results["round"].code, out=str(out), what="masterplan",
                 format="docx", lang="lo")  # fmt: skip
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    day = timezone.localtime(RoundScoring.objects.get(round=results["round"]).computed_at)
    assert f"{day.day} {LAO_MONTHS[day.month - 1]} {day.year}" in text
