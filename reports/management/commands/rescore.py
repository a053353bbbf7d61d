"""`python manage.py rescore --round CODE`: recompute a round's scores synchronously."""

import resource

from django.core.management.base import BaseCommand, CommandError

from reports.scoring.services import round_rescore
from surveys.models import Round


class Command(BaseCommand):
    help = "Recompute every score and aggregate of a round, now, and say how long it took."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--round", required=True, help="Round code")

    def handle(self, *args, round: str, **options) -> None:
        round_ = Round.objects.filter(code=round).first()
        if round_ is None:
            raise CommandError(f"No round with code {round!r}.")
        report = round_rescore(round_=round_)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"Round {report.round_code}: {report.responses} responses scored; wrote "
            f"{report.response_rows} response scores, {report.area_rows} area aggregates, "
            f"{report.gender_rows} gender indicators, {report.sex_rows} scores by sex.\n"
            f"Took {report.total_seconds:.2f} s (read {report.read_seconds:.2f} s, compute "
            f"{report.compute_seconds:.2f} s, write {report.write_seconds:.2f} s); "
            f"peak memory {peak_mb:.0f} MB."
        )
