"""Dashboard page times on the synthetic national round (issue 10).

    DATABASE_URL=postgres://127.0.0.1:5432/readiness_dash_bench DEBUG=true \
        .venv/bin/python bench/dashboards.py [--repeat 20] [--seed]

--seed builds the bench database first: reference data, two synthetic national rounds
(NAT2025, then NAT2026 with NAT2025 as its baseline; about 10,000 organisations each).
Then, signed in as a national analyst with Django's test client (server time, warm: one
request first, then --repeat timed ones), it prints the median and 95th percentile of the
national, a province, a district, a ministry and an organisation view, the gender and progress
views, beside the floor measured in the same run (the same client fetching /health/, one query),
and the number of SQL queries of each page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from organisations.models import Organisation, Role, RoleAssignment  # noqa: E402
from reports.models import ResponseScore  # noqa: E402
from surveys.models import Round  # noqa: E402


def seed() -> None:
    call_command("load_reference_data")
    for code, number in (("NAT2025", 2025), ("NAT2026", 2026)):
        if not Round.objects.filter(code=code).exists():
            call_command("seed_national", round=code, seed=number)
    Round.objects.filter(code="NAT2026").update(baseline=Round.objects.get(code="NAT2025"))


def timed(client: Client, url: str, repeat: int) -> tuple[float, float, int, int]:
    first = client.get(url, HTTP_HOST="127.0.0.1")
    assert first.status_code == 200, (url, first.status_code)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, HTTP_HOST="127.0.0.1")
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HOST="127.0.0.1")
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times) * 1000, p95 * 1000, len(queries), len(first.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", action="store_true")
    args = parser.parse_args()
    if args.seed:
        seed()
    user, _ = get_user_model().objects.get_or_create(username="bench-analyst")
    root = Organisation.objects.get_first_root_node()
    RoleAssignment.objects.get_or_create(user=user, role=Role.ANALYST, organisation=root)
    client = Client()
    client.force_login(user)
    round_ = Round.objects.get(code="NAT2026")
    province = Organisation.objects.filter(kind="province").order_by("code").first()
    district = Organisation.objects.filter(kind="district", path__startswith=province.path)
    district = max(district, key=lambda node: node.numchild)
    ministry = Organisation.objects.filter(kind="ministry").order_by("code").first()
    village = Organisation.objects.get(
        pk=ResponseScore.objects.filter(round=round_, organisation__kind="village")
        .values_list("organisation_id", flat=True)
        .first()
    )
    base = f"/reports/{round_.code}"
    pages = [
        ("floor: /health/", "/health/"),
        ("national", f"{base}/areas/{root.code}/"),
        (f"province {province.code}", f"{base}/areas/{province.code}/"),
        (
            f"district {district.code} ({district.numchild} members)",
            f"{base}/areas/{district.code}/",
        ),
        (f"ministry {ministry.code}", f"{base}/areas/{ministry.code}/"),
        (f"organisation {village.code}", f"{base}/organisations/{village.code}/"),
        ("national gender", f"{base}/areas/{root.code}/gender/"),
        ("national progress", f"{base}/areas/{root.code}/progress/"),
        ("national, villages only", f"{base}/areas/{root.code}/?kind=village"),
    ]
    scored = ResponseScore.objects.filter(round=round_, pillar="_overall").count()
    print(f"round {round_.code}: {scored:,} scored responses; {args.repeat} timed requests each")
    print("| page | p50 ms | p95 ms | queries | HTML KB |")
    print("|---|---:|---:|---:|---:|")
    for name, url in pages:
        reset_queries()
        p50, p95, queries, size = timed(client, url, args.repeat)
        print(f"| {name} | {p50:.0f} | {p95:.0f} | {queries} | {size / 1024:.0f} |")


if __name__ == "__main__":
    main()
