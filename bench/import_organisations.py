"""Times the organisation import on 10,000 synthetic villages under the real districts.

    DATABASE_URL=postgres://127.0.0.1:5432/readiness_bench DEBUG=true \
        .venv/bin/python bench/import_organisations.py [--villages 10000] [--keep]

Loads the reference data if missing, writes the villages to a CSV, then times: the first import
(everything created), the re-import of the same file (nothing changes), and a corrected file where
one village in ten is renamed. The villages are deleted afterwards unless --keep is given.
"""

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from organisations.models import Organisation, OrganisationKind  # noqa: E402
from organisations.reference import reference_data_load  # noqa: E402
from organisations.services import organisations_import  # noqa: E402

PREFIX = "BV"  # bench village codes: BV<district pcode><number>, e.g. BVLA0101-0001


def villages_csv(path: Path, count: int, *, renamed_every: int = 0) -> None:
    districts = list(
        Organisation.objects.filter(kind=OrganisationKind.DISTRICT)
        .order_by("code")
        .values_list("code", flat=True)
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "parent_code", "kind", "name_lo", "name_en", "line_ministry_code"])
        for number in range(count):
            district = districts[number % len(districts)]
            suffix = " ໃໝ່" if renamed_every and number % renamed_every == 0 else ""
            writer.writerow(
                [
                    f"{PREFIX}{district}-{number:05d}",
                    district,
                    OrganisationKind.VILLAGE,
                    f"ບ້ານ ທົດລອງ {number}{suffix}",
                    f"Ban Test {number}{' Mai' if suffix else ''}",
                    "",
                ]
            )


def timed(label: str, path: Path) -> None:
    started = time.perf_counter()
    report = organisations_import(rows_or_file=path)
    elapsed = time.perf_counter() - started
    if not report.ok:
        raise SystemExit("\n".join(str(p) for p in report.problems[:20]))
    print(f"{label:<28} {elapsed:7.2f} s   {report.summary()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()

    reference_data_load()
    Organisation.objects.filter(code__startswith=PREFIX).delete()
    print(f"database {connection.settings_dict['NAME']}, {options.villages} villages")
    with tempfile.TemporaryDirectory() as directory:
        first = Path(directory) / "villages.csv"
        corrected = Path(directory) / "villages-corrected.csv"
        villages_csv(first, options.villages)
        villages_csv(corrected, options.villages, renamed_every=10)
        timed("first import", first)
        timed("re-import (same file)", first)
        timed("corrected (1 in 10 renamed)", corrected)
    problems = Organisation.objects.find_problems()
    print("tree problems:", "none" if problems == ([], [], [], [], []) else problems)
    if not options.keep:
        Organisation.objects.filter(code__startswith=PREFIX).delete()


if __name__ == "__main__":
    main()
