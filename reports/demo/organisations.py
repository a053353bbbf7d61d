"""The organisations of a synthetic round: the real provinces and districts, ministries with
departments, sector offices and N synthetic villages, and the targets of the round."""

from __future__ import annotations

import re

import pandas as pd

from organisations.models import Organisation, OrganisationKind
from organisations.services import organisations_import

SECTOR_MINISTRIES = ("MOH", "MOES", "MAE", "MOF", "MTC")
DEPARTMENTS_PER_MINISTRY = 3
DISTRICT_OFFICE_MINISTRIES = ("MOH", "MOES", "MAE")
KIND_EFFECT = {
    OrganisationKind.MINISTRY: 0.7,
    OrganisationKind.DEPARTMENT: 0.5,
    OrganisationKind.PROVINCE: 0.4,
    OrganisationKind.PROVINCIAL_OFFICE: 0.2,
    OrganisationKind.DISTRICT: -0.1,
    OrganisationKind.DISTRICT_OFFICE: -0.2,
    OrganisationKind.VILLAGE: -0.8,
}

# --- the organisations ---------------------------------------------------------------------


def _office_name(ministry: Organisation, place: Organisation, district: bool) -> dict:
    lo = ministry.name.get("lo", "").replace("ກະຊວງ", "ຫ້ອງການ" if district else "ພະແນກ", 1)
    en = ministry.name.get("en", ministry.code).replace(
        "Ministry of ", "District Office of " if district else "Provincial Department of ", 1
    )
    return {"lo": f"{lo} {place.name.get('lo', '')}", "en": f"{en}, {place.name.get('en', '')}"}


def organisation_records(villages: int) -> list[dict]:
    """The synthetic organisations as import records (code, parent, kind, names, ministry)."""
    provinces = list(Organisation.objects.filter(kind=OrganisationKind.PROVINCE).order_by("code"))
    districts = list(Organisation.objects.filter(kind=OrganisationKind.DISTRICT).order_by("code"))
    ministries = {m.code: m for m in Organisation.objects.filter(kind=OrganisationKind.MINISTRY)}
    if not provinces or not districts or not ministries:
        raise ValueError("The reference tree is missing: run `manage.py load_reference_data`.")
    records = []
    for code, ministry in sorted(ministries.items()):
        for n in range(1, DEPARTMENTS_PER_MINISTRY + 1):
            records.append(
                {
                    "code": f"{code}-D{n:02d}",
                    "parent_code": code,
                    "kind": "department",
                    "name_lo": f"ກົມ {n} {ministry.name.get('lo', '')}",
                    "name_en": f"Department {n}, {ministry.name.get('en', code)}",
                }
            )
    for place, suffix, kind, sector, district in [
        *[(p, "PO", "provincial_office", SECTOR_MINISTRIES, False) for p in provinces],
        *[(d, "DO", "district_office", DISTRICT_OFFICE_MINISTRIES, True) for d in districts],
    ]:
        for code in sector:
            if code not in ministries:
                continue
            name = _office_name(ministries[code], place, district)
            records.append(
                {
                    "code": f"{place.code}{suffix}-{code}",
                    "parent_code": place.code,
                    "kind": kind,
                    "name_lo": name["lo"],
                    "name_en": name["en"],
                    "line_ministry_code": code,
                }
            )
    per_district, extra = divmod(villages, len(districts))
    for index, district in enumerate(districts):
        for n in range(1, per_district + (1 if index < extra else 0) + 1):
            records.append(
                {
                    "code": f"{district.code}V{n:04d}",
                    "parent_code": district.code,
                    "kind": "village",
                    "name_lo": f"ບ້ານ {n} ເມືອງ{district.name.get('lo', '')}",
                    "name_en": f"Village {n}, {district.name.get('en', '')}",
                }
            )
    return records


def organisations_ensure(records: list[dict]) -> int:
    existing = set(
        Organisation.objects.filter(code__in=[r["code"] for r in records]).values_list(
            "code", flat=True
        )
    )
    missing = [{"line_ministry_code": "", **r} for r in records if r["code"] not in existing]
    if missing:
        report = organisations_import(rows_or_file=missing)
        if not report.ok:
            raise ValueError("\n".join(str(problem) for problem in report.problems[:20]))
    return len(missing)


# --- the organisations that answer the round ---------------------------------------------


def round_targets(village_count: int) -> pd.DataFrame:
    """The organisations that answer: every ministry, department, province, district and
    sector office, and the first `village_count` synthetic villages of the districts."""
    kinds = [k for k in KIND_EFFECT if k != OrganisationKind.VILLAGE]
    rows = list(
        Organisation.objects.filter(kind__in=kinds, active=True).values_list("id", "code", "kind")
    )
    villages = Organisation.objects.filter(
        kind=OrganisationKind.VILLAGE, code__regex=r"^LA\d{4}V\d{4}$"
    ).order_by("code")
    per_district, extra = divmod(village_count, max(1, _district_count()))
    wanted = set()
    for code in villages.values_list("code", flat=True):
        position = district_index(code[:6])
        limit = per_district + (1 if position < extra else 0)
        if int(code[7:]) <= limit:
            wanted.add(code)
    rows += list(villages.filter(code__in=wanted).values_list("id", "code", "kind"))
    frame = pd.DataFrame(rows, columns=["organisation_id", "code", "kind"])
    return frame.sort_values("code", ignore_index=True)


_DISTRICTS: list[str] = []


def _district_count() -> int:
    return len(_district_codes())


def _district_codes() -> list[str]:
    if not _DISTRICTS:
        _DISTRICTS.extend(
            Organisation.objects.filter(kind=OrganisationKind.DISTRICT)
            .order_by("code")
            .values_list("code", flat=True)
        )
    return _DISTRICTS


def district_index(code: str) -> int:
    return _district_codes().index(code)


def province_of(code: str) -> str:
    return code[:4] if re.match(r"^LA\d{2}", code) else ""
