"""Export benchmark: on national rounds of `seed_national`, each export's wall time and peak
memory beside its floor, measured in the same run (issue 11's targets in brackets):

- workbook with raw answers (xlsx)  vs XlsxWriter constant_memory writing the same cells from
  memory                                                   [within 3x, peak <= 1 GB]
- CSV zip of the same tables        vs the csv module writing the same rows into a zip of the
  same compression (and, for reference, into plain files)  [within 2x]
- national PDF report with its charts, cold (Chromium started) and warm      [<= 15 s]
- organisation scorecard PDF, cold and warm (a worker keeps its renderer)     [<= 2 s]
- master-plan input DOCX                                                      [<= 5 s]

    python bench/exports.py [--sizes 8500,50000] [--database-url URL] [--only csv]

`--sizes` are village counts given to seed_national (8,500 villages: about 9,300 responses;
50,000: about 51,000). Rounds are seeded once into their own database and reused. Each
measurement runs in a fresh process, and its peak (VmHWM) is that export's own, Django included.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.django_env import setup_django  # noqa: E402  (the project is on the path now)


def ensure_round(villages: int) -> str:
    from django.core.management import call_command

    from surveys.models import Round

    code = f"exports-{villages}"
    if not Round.objects.filter(code=code).exists():
        call_command("seed_national", round=code, villages=villages, seed=villages)
        # What autovacuum does within a minute or two on a server: without fresh statistics
        # the planner takes the freshly copied tables for empty and joins by nested loops.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return code


# --- one measurement, in its own process -------------------------------------------------------


def _spec(code: str, what: str, fmt: str, area: str = ""):
    from organisations.models import Organisation
    from reports.exports.spec import ExportSpec
    from surveys.models import Round

    node = Organisation.objects.get(code=area) if area else Organisation.objects.get_root_nodes()[0]
    return ExportSpec(
        round=Round.objects.select_related("version").get(code=code),
        what=what,
        area=node,
        format=fmt,
        language="lo",
    )


def _cpu_seconds() -> float:
    """CPU time of this process and of its PostgreSQL backend (same machine: /proc), so that
    an export whose work PostgreSQL does (COPY) is charged for it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    own = os.times()
    return own.user + own.system + (int(fields[11]) + int(fields[12])) / ticks


def _export(code: str, what: str, fmt: str, area: str, repeat: int) -> dict:
    from django.utils import translation

    from reports.exports.build import build

    timings, cpu, rows = [], [], 0
    out = Path(tempfile.mkdtemp()) / f"export.{fmt}"
    for _ in range(repeat):
        spec = _spec(code, what, fmt, area)
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        with translation.override("lo"):
            rows = build(spec, out, lambda *args, **kwargs: None)
        timings.append(time.perf_counter() - started)
        cpu.append(_cpu_seconds() - cpu_started)
    return {"seconds": timings, "cpu": cpu, "rows": rows, "bytes": out.stat().st_size}


def _cells(code: str) -> list:
    """Every cell of the workbook, read into memory first (untimed)."""
    from django.utils import translation

    from reports.exports.spec import TABLES
    from reports.exports.tables import table_for

    spec = _spec(code, "workbook", "xlsx")
    with translation.override("lo"):
        tables = [table_for(spec, key) for key in TABLES]
        return [(t.key, [c.header for c in t.columns], list(t.rows)) for t in tables]


def _read(code: str) -> dict:
    """Only reading the workbook's rows (every table, every row), writing nothing."""
    from django.utils import translation

    from reports.exports.spec import TABLES
    from reports.exports.tables import table_for

    spec = _spec(code, "workbook", "xlsx")
    started = time.perf_counter()
    with translation.override("lo"):
        rows = sum(sum(1 for _ in table_for(spec, key).rows) for key in TABLES)
    return {"seconds": [time.perf_counter() - started], "rows": rows}


def _xlsx_floor(code: str) -> dict:
    import xlsxwriter

    sheets = _cells(code)
    out = Path(tempfile.mkdtemp()) / "floor.xlsx"
    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    for key, headers, rows in sheets:
        sheet = workbook.add_worksheet(key)
        sheet.write_row(0, 0, headers)
        for number, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if value is None or value != value or value == "":
                    continue
                if isinstance(value, str):
                    sheet.write_string(number, col, value)
                elif hasattr(value, "year"):
                    sheet.write_string(number, col, value.isoformat())
                else:
                    sheet.write_number(number, col, value)
    workbook.close()
    return {"seconds": [time.perf_counter() - started], "rows": sum(len(s[2]) for s in sheets)}


def _csv_floor(code: str, zipped: bool) -> dict:
    import csv
    import io
    import zipfile

    sheets = _cells(code)
    folder = Path(tempfile.mkdtemp())
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    if zipped:
        with zipfile.ZipFile(folder / "floor.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for key, headers, rows in sheets:
                with zf.open(f"{key}.csv", "w", force_zip64=True) as member:
                    text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
                    writer = csv.writer(text)
                    writer.writerow(headers)
                    writer.writerows(rows)
                    text.flush()
                    text.detach()
    else:
        for key, headers, rows in sheets:
            with (folder / f"{key}.csv").open("w", encoding="utf-8-sig", newline="") as stream:
                writer = csv.writer(stream)
                writer.writerow(headers)
                writer.writerows(rows)
    return {
        "seconds": [time.perf_counter() - started],
        "cpu": [_cpu_seconds() - cpu_started],
        "rows": sum(len(s[2]) for s in sheets),
    }


def one(kind: str, code: str, area: str) -> None:
    measures = {
        "xlsx": lambda: _export(code, "workbook", "xlsx", "", 1),
        "xlsx_floor": lambda: _xlsx_floor(code),
        "read": lambda: _read(code),
        "csv": lambda: _export(code, "workbook", "csv", "", 1),
        "csv_floor_zip": lambda: _csv_floor(code, zipped=True),
        "csv_floor_plain": lambda: _csv_floor(code, zipped=False),
        "report": lambda: _export(code, "report", "pdf", "", 2),
        "scorecard": lambda: _export(code, "scorecard", "pdf", area, 3),
        "docx": lambda: _export(code, "masterplan", "docx", "", 2),
    }
    result = measures[kind]()
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


def _peak_mb() -> float:
    """This process's own peak resident memory (VmHWM). Not ru_maxrss: Linux carries it over
    fork and exec, so a process started by one that seeded a round reports the seeder's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, code: str, database_url: str, area: str = "") -> dict:
    command = [sys.executable, __file__, "--one", kind, "--round", code, "--area", area]
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"}
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def report(code: str, database_url: str) -> None:
    from surveys.models import Answer, Response

    responses = Response.objects.filter(round__code=code, status__in=["submitted", "approved"])
    answers = Answer.objects.filter(response__in=responses).count()
    scorecard_area = responses.order_by("pk").values_list("organisation__code", flat=True)[0]
    print(f"\nround {code}: {responses.count()} scored responses, {answers} answers", flush=True)
    xlsx, xlsx_floor = (
        measure("xlsx", code, database_url),
        measure("xlsx_floor", code, database_url),
    )
    print(
        f"  workbook xlsx  {xlsx['seconds'][0]:7.1f} s  peak {xlsx['peak_mb']:5.0f} MB"
        f"  {xlsx['bytes'] / 1e6:6.1f} MB file | floor (XlsxWriter from memory)"
        f" {xlsx_floor['seconds'][0]:6.1f} s ->"
        f" {xlsx['seconds'][0] / xlsx_floor['seconds'][0]:.2f}x"
        " [<= 3x, <= 1024 MB]",
        flush=True,
    )
    read = measure("read", code, database_url)
    print(
        f"  (reading every row of the workbook from PostgreSQL: {read['seconds'][0]:.1f} s,"
        f" {read['rows']} rows, peak {read['peak_mb']:.0f} MB)",
        flush=True,
    )
    csv_report(code, database_url)
    pdf = measure("report", code, database_url)
    print(
        f"  national PDF   cold {pdf['seconds'][0]:5.1f} s, warm {pdf['seconds'][1]:5.1f} s"
        f"  ({pdf['rows']} pages, peak {pdf['peak_mb']:.0f} MB) [<= 15 s]",
        flush=True,
    )
    card = measure("scorecard", code, database_url, area=scorecard_area)
    print(
        f"  scorecard PDF  cold {card['seconds'][0]:5.1f} s, warm {min(card['seconds'][1:]):5.2f} s"
        f"  ({card['rows']} pages) [<= 2 s]",
        flush=True,
    )
    word = measure("docx", code, database_url)
    print(f"  master-plan DOCX {min(word['seconds']):5.2f} s [<= 5 s]", flush=True)


def csv_report(code: str, database_url: str, runs: int = 3) -> None:
    """The CSV zip and its floor, alternately `runs` times (a busy machine slows a whole
    minute, so the two compared are measured in the same minutes); best and median of each,
    in wall time and in CPU time (the export's own process and its PostgreSQL backend)."""
    exports, floors = [], []
    for _ in range(runs):
        exports.append(measure("csv", code, database_url))
        floors.append(measure("csv_floor_zip", code, database_url))
    plain = measure("csv_floor_plain", code, database_url)
    for unit in ("seconds", "cpu"):
        export = sorted(run[unit][0] for run in exports)
        floor = sorted(run[unit][0] for run in floors)
        print(
            f"  csv zip {unit:7s} best {export[0]:6.2f} median {export[runs // 2]:6.2f}"
            f" | floor (csv module from memory, same zip) best {floor[0]:6.2f}"
            f" median {floor[runs // 2]:6.2f} -> {export[0] / floor[0]:.2f}x best,"
            f" {export[runs // 2] / floor[runs // 2]:.2f}x median [<= 2x]",
            flush=True,
        )
    print(
        f"  (csv zip peak {max(run['peak_mb'] for run in exports):.0f} MB,"
        f" {exports[0]['bytes'] / 1e6:.1f} MB file, {exports[0]['rows']} rows;"
        f" floor into plain files {plain['seconds'][0]:.2f} s)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8500")
    parser.add_argument(
        "--database-url", default="postgres://127.0.0.1:5432/readiness_exports_bench"
    )
    parser.add_argument("--only", choices=["csv"], help="only the CSV zip and its floor")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--round", help=argparse.SUPPRESS)
    parser.add_argument("--area", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        setup_django(os.environ["DATABASE_URL"])
        one(args.one, args.round, args.area)
        return
    setup_django(args.database_url)
    from django.core.management import call_command

    call_command("ensure_database")
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    for villages in [int(size) for size in args.sizes.split(",")]:
        if args.only == "csv":
            csv_report(ensure_round(villages), args.database_url)
        else:
            report(ensure_round(villages), args.database_url)


if __name__ == "__main__":
    main()
