"""`python manage.py seed_national --round CODE [--villages N] [--seed S]`: a synthetic national
round for demos and benchmarks (see reports/seeding.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from reports.seeding import national_round_seed
from reports.services import round_rescore
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
        rescored = round_rescore(round=Round.objects.get(code=report.round_code))
        self.stdout.write(
            f"Round {report.round_code}: {report.organisations_created} organisations created, "
            f"{report.responses} responses ({report.submitted} submitted or approved), "
            f"{report.answers} answers, scored in {rescored.total_seconds:.1f} s; "
            f"{time.perf_counter() - started:.1f} s in all."
        )
