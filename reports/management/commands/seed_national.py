"""`python manage.py seed_national --round CODE [--villages N] [--seed S]`: a synthetic national
round for demos and benchmarks (see reports/demo/)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from readiness.console import both
from reports.demo.national import national_round_seed
from reports.scoring.services import round_rescore
from surveys.models import Round


class Command(BaseCommand):
    help = "Build a realistic synthetic national round (deterministic for a given seed)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--round", required=True, help="New round code")
        parser.add_argument("--villages", type=int, default=8500)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, round: str, villages: int, seed: int, **options) -> None:
        if villages < 0:
            raise CommandError("--villages must be 0 or more.")
        started = time.perf_counter()
        try:
            report = national_round_seed(round_code=round, villages=villages, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        # Scored at once, so dashboards are alive as soon as the seed is done.
        rescored = round_rescore(round_=Round.objects.get(code=report.round_code))
        self.stdout.write(
            both(
                _(
                    "Round %(code)s: %(organisations)s organisations created, %(responses)s "
                    "responses (%(submitted)s submitted or approved), %(answers)s answers, scored "
                    "in %(scoring).1f s; %(total).1f s in all."
                ),
                {
                    "code": report.round_code,
                    "organisations": report.organisations_created,
                    "responses": report.responses,
                    "submitted": report.submitted,
                    "answers": report.answers,
                    "scoring": rescored.total_seconds,
                    "total": time.perf_counter() - started,
                },
                separator="\n",
            )
        )
