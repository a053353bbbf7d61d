"""Read-only API (issue 14) on the synthetic national round, each figure beside its floor
measured in the same run.

    DATABASE_URL=postgres://127.0.0.1:5432/readiness_api_bench DEBUG=true \
        .venv/bin/python bench/api.py [--seed] [--repeat 15] [--round NAT2026]

--seed builds the bench database first (reference data, `seed_national`, ANALYZE). Then, with
a national analyst's personal token through Django's test client (server time, no network):

1. a page of 1,000 organisation results (`/api/v1/results/?round=…&page_size=1000`), the
   first page and one deep in the list (the 20th): median and p95 of --repeat warm requests;
   floor: the page's own SQL (the same queryset, 1,001 rows) fetched bare;
2. the CSV of every organisation result of the round (`?format=csv`), streamed and read to the
   end: time, rows, bytes; floor: the same query's rows iterated by a server-side cursor;
3. the raw answers' CSV of the round (`/api/v1/rounds/…/answers/?format=csv`): responses per
   second and the peak of Python memory while streaming (tracemalloc) and the process's peak
   RSS; floor: one COPY of the export's whole query to a null sink (what the export writes).
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

import resource  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from organisations.models import Organisation, Role, RoleAssignment  # noqa: E402
from organisations.services.tokens import api_token_create  # noqa: E402
from reports.access import api_result_rounds, api_scores_scope  # noqa: E402
from reports.api.results import VALUES  # noqa: E402
from reports.exports.spec import ExportSpec  # noqa: E402
from reports.exports.tables.answers import _questions  # noqa: E402
from reports.exports.tables.answers_sql import answers_sql  # noqa: E402
from reports.models import ResponseScore  # noqa: E402
from surveys.models import Response, Round  # noqa: E402

HOST = {"HTTP_HOST": "127.0.0.1"}


def seed(code: str) -> None:
    call_command("load_reference_data")
    if not Round.objects.filter(code=code).exists():
        call_command("seed_national", round=code, seed=2026)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(times: list[float], share: float) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, round(share * (len(times) - 1)))]


def timed(call, repeat: int) -> tuple[float, float]:
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, percentile(times, 0.95) * 1000


class NullSink:
    def __init__(self) -> None:
        self.rows = self.size = 0

    def write(self, data) -> None:
        self.rows += 1
        self.size += len(data)


def page_of_results(client, user, round_, repeat: int) -> None:
    url = "/api/v1/results/"
    query = {"round": round_.code, "page_size": 1000}
    first = client.get(url, query, **HOST)
    assert first.status_code == 200, first.content[:300]
    deep = first.json()["next"]
    for _ in range(18):
        deep = client.get(deep, **HOST).json()["next"]
    rows = len(first.json()["results"])
    with CaptureQueriesContext(connection) as queries:
        client.get(url, query, **HOST)

    def floor() -> None:
        queryset = (
            ResponseScore.objects.filter(round__in=api_result_rounds().filter(pk=round_.pk))
            .filter(api_scores_scope(user))
            .values(*VALUES)
            .order_by("pk")
        )
        list(queryset[:1001])

    for label, call in (
        ("page 1 of 1,000 rows", lambda: client.get(url, query, **HOST)),
        ("page 20 of 1,000 rows", lambda: client.get(deep, **HOST)),
        ("floor: the page's SQL, bare", floor),
    ):
        median, p95 = timed(call, repeat)
        print(f"| {label} | {median:.1f} ms | {p95:.1f} ms |")
    print(f"({rows} rows a page, {len(queries)} queries a page)")


def stream(client, url: str, query: dict, memory: bool = False) -> tuple[float, int, int, float]:
    """Reads a streamed answer to the end: seconds, data rows, bytes, and (memory=True, a
    separate pass: tracemalloc slows Python several times) the peak of Python allocations."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    answer = client.get(url, query, **HOST)
    assert answer.status_code == 200, answer.status_code
    size = lines = 0
    for chunk in answer.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    seconds = time.perf_counter() - started
    peak = 0
    if memory:
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return seconds, lines - 1, size, peak / 2**20


def csv_of_results(client, user, round_) -> None:
    url, query = "/api/v1/results/", {"round": round_.code, "format": "csv"}
    seconds, rows, size, _peak = stream(client, url, query)
    peak = stream(client, url, query, memory=True)[3]
    started = time.perf_counter()
    queryset = (
        ResponseScore.objects.filter(round__in=api_result_rounds().filter(pk=round_.pk))
        .filter(api_scores_scope(user))
        .values(*VALUES)
        .order_by("pk")
    )
    floor_rows = sum(1 for _ in queryset.iterator(chunk_size=2000))
    floor = time.perf_counter() - started
    sql, params = queryset.values_list(*VALUES).query.sql_with_params()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw_rows = len(cursor.fetchall())
    raw = time.perf_counter() - started
    print(
        f"| organisation results CSV | {seconds:.2f} s | {rows:,} rows, {size / 2**20:.1f} MB, "
        f"Python peak {peak:.1f} MB | floor (rows iterated, bare) {floor:.2f} s "
        f"({floor_rows:,} rows) | {seconds / floor:.1f}x |"
    )
    print(
        f"| (second floor: the same SQL, rows fetched by psycopg2, nothing formatted) | "
        f"{raw:.2f} s ({raw_rows:,} rows) | {seconds / raw:.1f}x |"
    )


def csv_of_answers(client, round_) -> None:
    nation = Organisation.objects.get_first_root_node()
    responses = Response.objects.filter(round=round_, status__in=("submitted", "approved")).count()
    url, query = f"/api/v1/rounds/{round_.code}/answers/", {"format": "csv", "area": nation.code}
    seconds, rows, size, _peak = stream(client, url, query)
    peak = stream(client, url, query, memory=True)[3]
    assert rows == responses, (rows, responses)
    with translation.override("lo"):
        spec = ExportSpec(round_, "answers", nation, "csv", "lo")
        questions = _questions(spec)
        sql, params = answers_sql(spec, questions, individual=False)
        started = time.perf_counter()
        sink = NullSink()
        with connection.cursor() as cursor:
            query = cursor.mogrify(sql, params).decode()
            cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", sink)
        floor = time.perf_counter() - started
    print(
        f"| answers CSV | {seconds:.2f} s | {rows:,} responses, {rows / seconds:,.0f} responses/s, "
        f"{size / 2**20:.1f} MB, Python peak {peak:.1f} MB | floor (one COPY of the whole "
        f"query) {floor:.2f} s, {sink.rows / floor:,.0f} responses/s | {seconds / floor:.2f}x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", action="store_true")
    parser.add_argument("--round", default="NAT2026")
    args = parser.parse_args()
    if args.seed:
        seed(args.round)
    user, _ = get_user_model().objects.get_or_create(username="bench-api-analyst")
    root = Organisation.objects.get_first_root_node()
    RoleAssignment.objects.get_or_create(user=user, role=Role.ANALYST, organisation=root)
    _token, secret = api_token_create(user=user, name="bench", days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    round_ = Round.objects.get(code=args.round)
    from organisations.api_auth import PerTokenThrottle

    PerTokenThrottle.THROTTLE_RATES = {"api": "100000/minute"}  # the bench is one busy client
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores)")
    results = ResponseScore.objects.filter(round=round_).count()
    print(f"round {round_.code}: {results:,} organisation results (responses x pillars)")
    print("| case | median | p95 |\n|---|---:|---:|")
    page_of_results(client, user, round_, args.repeat)
    print()
    csv_of_results(client, user, round_)
    csv_of_answers(client, round_)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
