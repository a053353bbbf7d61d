"""Page-save benchmark: the median time of an autosave POST of one pillar page, through the
Django test client (the whole view: access check, validation, skip logic, lock, writes with
audit history, JSON reply) on demo-like data.

    python bench/page_save.py [--saves 60] [--database-url URL]

It uses its own database (default readiness_filling_bench), loads the reference data (the
administrative tree and the default questionnaire), opens a round for every district (148
responses, a third of them already filled) and times, on the pillar with the most questions:
- a save that changes every answer of the page (alternating two valid sets),
- a save that changes one answer,
- an autosave with nothing changed.

Measured on the 2-core development machine (other test suites running at the same time),
default questionnaire, page "tech" (13 questions), 60 autosave POSTs per case:

    every answer changed   median  77 ms   p90 111 ms
    one answer changed     median  38 ms   p90  63 ms
    nothing changed        median  23 ms   p90  29 ms

Each changed answer row costs an UPDATE and an audit-history INSERT; the rest is one read of
the version's questions, one of the response's answers, the row lock and the JSON reply
(13 queries in all).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.django_env import setup_django  # noqa: E402  (the project is on the path now)


def page_values(questions, variant: int) -> dict:
    """POST data that answers every question of the page (two variants that differ)."""
    from surveys.models import QuestionKind

    data = {}
    for question in questions:
        name = f"q-{question.code}"
        choices = [c.value for c in question.choices.all() if not c.is_dont_know]
        if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO) and choices:
            data[name] = choices[variant % len(choices)]
        elif question.kind == QuestionKind.MULTIPLE_CHOICE and choices:
            data[name] = choices[: 1 + variant % len(choices)]
        elif question.kind == QuestionKind.COUNT_BY_SEX:
            # Bounded counts (". <= ${staff}") get small numbers, the others large ones.
            base = 1 if question.constraint else 40
            data[f"{name}-F"] = str(base + variant)
            data[f"{name}-M"] = str(base + 1 + variant)
        elif question.kind == QuestionKind.INTEGER:
            data[name] = str(2 + variant)
        elif question.kind == QuestionKind.DECIMAL:
            data[name] = f"{1.5 + variant}"
        elif question.kind == QuestionKind.DATE:
            data[name] = f"2026-01-0{1 + variant}"
        elif question.kind == QuestionKind.TEXT:
            data[name] = f"ຄຳຕອບ {variant}"
    return data


def seed():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from organisations.models import Organisation, OrganisationKind, Role, RoleAssignment
    from surveys.default_questionnaire import FORM_ID
    from surveys.models import QuestionnaireVersion, Response, Round, VersionStatus
    from surveys.services.rounds import round_create, round_open

    call_command("migrate", verbosity=0)
    # The organisation questionnaire (the staff survey, also built in, has no filling pages).
    published = QuestionnaireVersion.objects.filter(form_id=FORM_ID, status=VersionStatus.PUBLISHED)
    if not published.exists():
        call_command("load_reference_data", verbosity=0)
    version = published.order_by("-number").first()
    round_ = Round.objects.filter(code="bench-page-save").first()
    if round_ is None:
        round_ = round_create(
            code="bench-page-save",
            version=version,
            name={"lo": "ຮອບທົດສອບ", "en": "Bench round"},
            opens_on="2026-01-01",
            closes_on="2026-12-31",
            kinds=[OrganisationKind.DISTRICT],
            subtree_codes=[],
            pillar_targets={p.code: 3 for p in version.pillars.all()},
        )
        round_open(round_=round_)
    user, _ = get_user_model().objects.get_or_create(username="bench-focal")
    first = Response.objects.filter(round=round_).order_by("organisation__code").first()
    RoleAssignment.objects.get_or_create(
        user=user,
        role=Role.FOCAL_POINT,
        organisation=Organisation.objects.get(pk=first.organisation_id),
    )
    return round_, first, user


def prefill(round_, user) -> None:
    """A third of the responses already carry answers (and their audit history)."""
    from surveys.models import Answer, Response
    from surveys.selectors.answers import version_questions
    from surveys.services.answers import answers_write

    questions = version_questions(round_.version)
    responses = Response.objects.filter(round=round_).order_by("pk")
    for response in list(responses)[1::3]:
        if Answer.objects.filter(response=response).exists():
            continue
        values = {}
        for pillar in round_.version.pillars.all():
            page = [q for q in questions if q.pillar_id == pillar.pk]
            raw = page_values(page, 0)
            from django.http import QueryDict

            query = QueryDict(mutable=True)
            for key, value in raw.items():
                query.setlist(key, value if isinstance(value, list) else [value])
            from surveys.answers.presentation import values_from_post

            values.update(values_from_post(page, query))
        try:
            answers_write(response=response, values=values, user=user, questions=questions)
        except Exception as error:  # a rule of the questionnaire we did not guess: skip it
            print(f"prefill skipped response {response.pk}: {error}")


def timed_posts(client, url, make_data, count: int) -> tuple[list[float], int]:
    timings, errors = [], 0
    for index in range(count):
        data = make_data(index)
        started = time.perf_counter()
        reply = client.post(url, data)
        timings.append((time.perf_counter() - started) * 1000)
        assert reply.status_code == 200, (reply.status_code, reply.content[:300])
        errors += bool(reply.json()["errors"])
    return timings, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=60)
    parser.add_argument(
        "--database-url", default="postgres://127.0.0.1:5432/readiness_filling_bench"
    )
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.core.management import call_command

    call_command("ensure_database")
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from django.test import Client
    from django.urls import reverse

    from surveys.models import Answer
    from surveys.selectors.answers import version_questions

    round_, response, user = seed()
    prefill(round_, user)
    questions = version_questions(round_.version)
    pillar = max(
        round_.version.pillars.all(), key=lambda p: sum(q.pillar_id == p.pk for q in questions)
    )
    page = [q for q in questions if q.pillar_id == pillar.pk]
    client = Client()
    client.force_login(user)
    url = reverse("surveys:response_autosave", args=[response.pk, pillar.code])

    def lock() -> str:
        response.refresh_from_db()
        return str(response.lock_version)

    def all_change(index: int) -> dict:
        return {"lock_version": lock(), **page_values(page, index % 2)}

    one_field = next(iter(page_values(page, 0)))  # the page's first answer

    def one_change(index: int) -> dict:
        data = page_values(page, 0)
        flip = page_values(page, 1)
        data[one_field] = flip[one_field] if index % 2 else data[one_field]
        return {"lock_version": lock(), **data}

    def no_change(index: int) -> dict:
        return {"lock_version": lock(), **page_values(page, 0)}

    timed_posts(client, url, all_change, 5)  # warm up
    results = {}
    for label, make in (
        ("every answer changed", all_change),
        ("one answer changed", one_change),
        ("nothing changed", no_change),
    ):
        timings, errors = timed_posts(client, url, make, args.saves)
        results[label] = (
            statistics.median(timings),
            sorted(timings)[int(0.9 * len(timings)) - 1],
            errors,
        )

    responses, answers = round_.responses.count(), Answer.objects.count()
    print(f"round {round_.code}: {responses} responses, {answers:,} answers")
    print(f"page '{pillar.code}': {len(page)} questions; {args.saves} autosave POSTs per case")
    for label, (median, p90, errors) in results.items():
        timing = f"median {median:6.1f} ms   p90 {p90:6.1f} ms"
        print(f"  {label:22s} {timing}   (saves with messages: {errors})")


if __name__ == "__main__":
    main()
