"""The built-in reference data: the national root, 18 first-level units, 148 districts and the
current ministries (see organisations/data/README.md for the sources).

Only missing codes are created; a row that exists is left exactly as it is, so a name an
administrator corrected is never overwritten, and a second run creates nothing."""

from collections import Counter
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from organisations.models import Organisation, OrganisationKind
from organisations.services import import_rows_read, organisations_import

DATA_DIR = Path(__file__).resolve().parent / "data"
REFERENCE_FILES = ("admin_units.csv", "ministries.csv")


def reference_rows() -> list:
    rows = []
    for name in REFERENCE_FILES:
        file_rows, problems = import_rows_read(DATA_DIR / name)
        if problems:  # a broken shipped file is a bug of the release, not of the user
            raise CommandError(f"{name}: " + "; ".join(str(p) for p in problems))
        rows += file_rows
    return rows


def reference_data_load() -> list[str]:
    """Creates the reference organisations that are missing; returns lines to print."""
    rows = reference_rows()
    existing = set(
        Organisation.objects.filter(code__in=[r.code for r in rows]).values_list("code", flat=True)
    )
    missing = [row for row in rows if row.code not in existing]
    if missing:
        # The import validates placement against the tree as it is now: a reference unit whose
        # parent an administrator removed is reported rather than silently skipped.
        records = [
            {
                "code": row.code,
                "parent_code": row.parent_code,
                "kind": row.kind,
                "name_lo": row.name_lo,
                "name_en": row.name_en,
                "iso_code": row.iso_code or "",
            }
            for row in missing
        ]
        report = organisations_import(rows_or_file=records)
        if not report.ok:
            raise CommandError("\n".join(str(problem) for problem in report.problems))
    created = Counter(row.kind for row in missing)
    lines = [
        _("Reference organisations: %(created)d created, %(present)d already present.")
        % {"created": len(missing), "present": len(existing)}
    ]
    for kind in (
        OrganisationKind.NATIONAL,
        OrganisationKind.PROVINCE,
        OrganisationKind.DISTRICT,
        OrganisationKind.MINISTRY,
    ):
        if created[kind]:
            lines.append(
                _("  %(kind)s: %(count)d created")
                % {"kind": OrganisationKind(kind).label, "count": created[kind]}
            )
    return lines
