"""Scoring benchmark: seeds national rounds of about 1,000 / 5,000 / 10,000 organisation
responses (~60 questions, ~600,000 answers with the sex rows at 10,000) and measures, for each,
the full `rescore` wall time and peak memory, beside the floor: one SQL query that reads the same
answers and averages them per response and pillar in PostgreSQL.

    python bench/scoring.py [--sizes 1000,5000,10000] [--database-url URL]

It uses its own database (default readiness_scoring_bench) and leaves it in place, so a second
run reuses the seeded rounds. Each rescore runs in a fresh process, so its peak memory
(ru_maxrss) is the rescore's own, Django included.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.django_env import setup_django  # noqa: E402  (the project is on the path now)

BASE_ORGANISATIONS = 765  # ministries, departments, provinces, districts and sector offices


def ensure_round(size: int) -> str:
    from django.core.management import call_command

    from surveys.models import Round

    code = f"bench-{size}"
    if not Round.objects.filter(code=code).exists():
        call_command(
            "seed_national", round=code, villages=max(0, size - BASE_ORGANISATIONS), seed=size
        )
    return code


def sql_floor(code: str) -> tuple[float, int]:
    """One query: the answers' values (choice scores, numbers) averaged per response and pillar."""
    from django.db import connection

    sql = """
        SELECT a.response_id, q.pillar_id, avg(coalesce(ch.score, a.number::float8))
        FROM surveys_answer a
        JOIN surveys_response r ON r.id = a.response_id
        JOIN surveys_round rd ON rd.id = r.round_id
        JOIN surveys_question q ON q.id = a.question_id
        LEFT JOIN LATERAL unnest(a.choices) AS c(value) ON true
        LEFT JOIN surveys_choice ch ON ch.question_id = a.question_id AND ch.value = c.value
        WHERE rd.code = %s AND r.status IN ('submitted', 'approved')
        GROUP BY a.response_id, q.pillar_id
    """
    best, rows = None, 0
    for _ in range(3):  # warm cache, best of three, like the rescore below
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, [code])
            rows = len(cursor.fetchall())
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, rows


def answers_count(code: str) -> tuple[int, int]:
    from surveys.models import Answer, Response

    responses = Response.objects.filter(round__code=code, status__in=["submitted", "approved"])
    return responses.count(), Answer.objects.filter(response__in=responses).count()


# What the round's stored results are before each timed rescore (prepared outside the timing):
# - first: no results yet, every row is written (a round scored for the first time);
# - changed: a tenth of the submitted responses have other numbers since the last scoring
#   (a different tenth each run), as after a burst of submissions or corrections;
# - unchanged: results are up to date (an operator's `rescore` of a scored round).
SCENARIOS = {
    "first": (
        "DELETE FROM reports_responsescore WHERE round_id = {round_id};"
        "DELETE FROM reports_areaaggregate WHERE round_id = {round_id};"
        "DELETE FROM reports_genderindicator WHERE round_id = {round_id};"
        "DELETE FROM reports_sexscore WHERE round_id = {round_id};"
    ),
    "changed": (
        "UPDATE surveys_answer a SET number = a.number + 1 FROM surveys_response r "
        "WHERE r.id = a.response_id AND r.round_id = {round_id} AND a.number IS NOT NULL "
        "AND a.response_id % 10 = {run};"
    ),
    "unchanged": "",
}


def measure_rescore(code: str, database_url: str, scenario: str = "unchanged") -> dict:
    """Runs the rescore in a fresh process and returns its timings and peak memory."""
    script = (
        "import json, os, resource, sys, time;"
        f"sys.path.insert(0, {str(ROOT)!r});"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'readiness.settings');"
        "import django; django.setup();"
        "from django.db import connection;"
        "from reports.scoring.services import round_rescore; from surveys.models import Round;"
        f"r = Round.objects.get(code={code!r});"
        "prepare = os.environ['BENCH_PREPARE'].format(round_id=r.pk, run=os.environ['BENCH_RUN']);"
        "prepare and connection.cursor().execute(prepare);"
        "t = time.perf_counter();"
        "rep = round_rescore(round_=r); wall = time.perf_counter() - t;"
        "print(json.dumps({'wall': wall, 'read': rep.read_seconds, 'compute': rep.compute_seconds,"
        " 'write': rep.write_seconds, 'rows': rep.response_rows + rep.area_rows + rep.gender_rows,"
        " 'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    )
    runs = []
    for run in range(3):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "true",
            "BENCH_PREPARE": SCENARIOS[scenario],
            "BENCH_RUN": str(run),
        }
        output = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    return min(runs, key=lambda run: run["wall"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument(
        "--database-url", default="postgres://127.0.0.1:5432/readiness_scoring_bench"
    )
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.core.management import call_command

    call_command("ensure_database")
    call_command("migrate", verbosity=0)
    from organisations.reference import reference_data_load

    reference_data_load()
    print(
        f"{'responses':>9} {'answers':>8} {'results':>9} {'rescore s':>9} {'read':>5} "
        f"{'compute':>7} {'write':>5} {'SQL floor s':>11} {'ratio':>5} {'peak MB':>7} "
        f"{'s per 1k':>8}"
    )
    for size in [int(s) for s in args.sizes.split(",")]:
        code = ensure_round(size)
        responses, answers = answers_count(code)
        floor, _ = sql_floor(code)
        for scenario in SCENARIOS:
            run = measure_rescore(code, args.database_url, scenario)
            print(
                f"{responses:>9} {answers:>8} {scenario:>9} {run['wall']:>9.2f} "
                f"{run['read']:>5.2f} "
                f"{run['compute']:>7.2f} {run['write']:>5.2f} {floor:>11.2f} "
                f"{run['wall'] / floor:>5.1f} {run['peak_mb']:>7.0f} "
                f"{run['wall'] / responses * 1000:>8.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
