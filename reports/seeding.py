"""A realistic synthetic national round, for demos and benchmarks (`manage.py seed_national`).

The real provinces and districts (from load_reference_data), ministries with departments,
provincial and district sector offices, N synthetic villages, one response per organisation
with plausible answers: pillars that go together (one general capacity per organisation plus a
pillar effect), richer provinces ahead, some "don't know", realistic women/men counts, and
about 90% submitted. Deterministic for a given seed. Everything is written with bulk inserts or
COPY (10,000 responses x 60 questions in seconds); the synthetic rows skip the audit history.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from organisations.models import Organisation, OrganisationKind
from organisations.services import organisations_import
from surveys import expressions
from surveys.models import (
    Answer,
    Choice,
    Pillar,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    Round,
    RoundStatus,
    VersionStatus,
)

DEFAULT_FORM_ID = "lao_dma_state"
SYNTHETIC_CODE = "synthetic_dma"
SECTOR_MINISTRIES = ("MOH", "MOES", "MAE", "MOF", "MTC")
DEPARTMENTS_PER_MINISTRY = 3
DISTRICT_OFFICE_MINISTRIES = ("MOH", "MOES", "MAE")
# Provinces ahead or behind the others (capital and the big towns; the remote north and south).
PROVINCE_EFFECT = {
    "LA01": 0.9,
    "LA06": 0.4,
    "LA13": 0.4,
    "LA16": 0.4,
    "LA02": -0.5,
    "LA15": -0.4,
    "LA17": -0.4,
}
KIND_EFFECT = {
    OrganisationKind.MINISTRY: 0.7,
    OrganisationKind.DEPARTMENT: 0.5,
    OrganisationKind.PROVINCE: 0.4,
    OrganisationKind.PROVINCIAL_OFFICE: 0.2,
    OrganisationKind.DISTRICT: -0.1,
    OrganisationKind.DISTRICT_OFFICE: -0.2,
    OrganisationKind.VILLAGE: -0.8,
}
STAFF_SIZE = {  # mean number of staff by kind of organisation
    OrganisationKind.MINISTRY: 400,
    OrganisationKind.DEPARTMENT: 80,
    OrganisationKind.PROVINCE: 60,
    OrganisationKind.PROVINCIAL_OFFICE: 45,
    OrganisationKind.DISTRICT: 25,
    OrganisationKind.DISTRICT_OFFICE: 15,
    OrganisationKind.VILLAGE: 6,
}
PILLARS = [  # code, English, Lao, enabler
    ("technology", "Technology and Solutions", "ເຕັກໂນໂລຊີ ແລະ ວິທີແກ້ໄຂ", True),
    ("policy", "Policy and Regulations", "ນະໂຍບາຍ ແລະ ລະບຽບການ", True),
    ("skills", "Skills and Capacity Building", "ທັກສະ ແລະ ການສ້າງຄວາມອາດສາມາດ", True),
    ("user_centricity", "User Centricity", "ການເອົາຜູ້ໃຊ້ເປັນໃຈກາງ", False),
    ("services", "Service Definition and Delivery", "ການກຳນົດ ແລະ ການໃຫ້ບໍລິການ", False),
    ("institutional", "Institutional Framework", "ກົງຈັກການຈັດຕັ້ງ", True),
    ("collaboration", "Collaboration", "ການຮ່ວມມື", False),
]
GENDER_ROLES = ["staff", "staff_digital_skills", "ict_staff", "staff_trained_12m", "managers"]


@dataclass
class SeedReport:
    round_code: str
    organisations_created: int
    responses: int
    answers: int
    submitted: int


# --- the questionnaire ---------------------------------------------------------------------


def seed_version() -> QuestionnaireVersion:
    """The shipped default questionnaire if it is loaded, else a synthetic one of the same
    shape (7 pillars, 60 questions, 5 counts by sex with gender roles)."""
    shipped = (
        QuestionnaireVersion.objects.filter(form_id=DEFAULT_FORM_ID, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if shipped:
        return shipped
    existing = QuestionnaireVersion.objects.filter(questionnaire__code=SYNTHETIC_CODE).first()
    return existing or _synthetic_version()


@transaction.atomic
def _synthetic_version() -> QuestionnaireVersion:
    title = {"lo": "ແບບສອບຖາມທົດລອງ (ຂໍ້ມູນສັງເຄາະ)", "en": "Synthetic test questionnaire"}
    questionnaire = Questionnaire.objects.create(code=SYNTHETIC_CODE, title=title)
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        status=VersionStatus.PUBLISHED,
        title=title,
        languages=["lo", "en"],
        form_id=SYNTHETIC_CODE,
        published_at=timezone.now(),
    )
    levels = [
        ("none", "ບໍ່ມີ", "Not yet", 0.0, False),
        ("partly", "ບາງສ່ວນ", "Partly", 0.5, False),
        ("fully", "ເຕັມສ່ວນ", "Fully", 1.0, False),
        ("dont_know", "ບໍ່ຮູ້", "Don't know", None, True),
    ]
    order = 0
    for pillar_order, (code, name_en, name_lo, enabler) in enumerate(PILLARS, start=1):
        pillar = Pillar.objects.create(
            version=version,
            code=code,
            order=pillar_order,
            is_enabler=enabler,
            name={"lo": name_lo, "en": name_en},
        )
        specs = [(f"{code}_{n}", QuestionKind.SINGLE_CHOICE, {}, "", "") for n in range(1, 7)]
        specs.append((f"{code}_plan", QuestionKind.YES_NO, {}, "", ""))
        specs.append(
            (f"{code}_plan_level", QuestionKind.SINGLE_CHOICE, {}, "", f"${{{code}_plan}} = 'yes'")
        )
        if code == "technology":
            specs.append(
                (
                    "computers",
                    QuestionKind.INTEGER,
                    {"thresholds": [[1, 0.25], [5, 0.5], [20, 1.0]]},
                    "",
                    "",
                )
            )
            specs.append(("channels", QuestionKind.MULTIPLE_CHOICE, {}, "", ""))
        if code == "skills":
            specs += [
                ("staff", QuestionKind.COUNT_BY_SEX, {}, "staff", ""),
                (
                    "staff_digital_skills",
                    QuestionKind.COUNT_BY_SEX,
                    {"ratio_to": "staff"},
                    "staff_digital_skills",
                    "",
                ),
                ("ict_staff", QuestionKind.COUNT_BY_SEX, {}, "ict_staff", ""),
                (
                    "staff_trained_12m",
                    QuestionKind.COUNT_BY_SEX,
                    {"ratio_to": "staff"},
                    "staff_trained_12m",
                    "",
                ),
                ("managers", QuestionKind.COUNT_BY_SEX, {}, "managers", ""),
            ]
        for qcode, kind, scoring, role, relevant in specs:
            order += 1
            question = Question.objects.create(
                version=version,
                pillar=pillar,
                code=qcode,
                order=order,
                kind=kind,
                label={"lo": f"ຄຳຖາມທົດລອງ {qcode}", "en": f"Synthetic question {qcode}"},
                scoring=scoring,
                gender_role=role,
                relevant=relevant,
            )
            if kind == QuestionKind.SINGLE_CHOICE:
                rows = levels
            elif kind == QuestionKind.YES_NO:
                rows = [("yes", "ແມ່ນ", "Yes", 1.0, False), ("no", "ບໍ່ແມ່ນ", "No", 0.0, False)]
            elif kind == QuestionKind.MULTIPLE_CHOICE:
                rows = [
                    ("website", "ເວັບໄຊ", "Website", 0.4, False),
                    ("email", "ອີເມວ", "Email", 0.3, False),
                    ("social", "ສື່ສັງຄົມ", "Social media", 0.3, False),
                    ("app", "ແອັບ", "Mobile app", 0.4, False),
                ]
            else:
                rows = []
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    value=value,
                    label={"lo": lo, "en": en},
                    score=score,
                    is_dont_know=dk,
                    order=i,
                )
                for i, (value, lo, en, score, dk) in enumerate(rows)
            )
    return version


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


# --- the round, its responses and answers --------------------------------------------------


def _targets(village_count: int) -> pd.DataFrame:
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
        district_index = _district_index(code[:6])
        limit = per_district + (1 if district_index < extra else 0)
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


def _district_index(code: str) -> int:
    return _district_codes().index(code)


def _province_of(code: str) -> str:
    return code[:4] if re.match(r"^LA\d{2}", code) else ""


def capacities(targets: pd.DataFrame, pillar_codes: list[str], rng) -> pd.DataFrame:
    """Latent capacity in [0, 1] per organisation and pillar: a general level (province and
    kind of organisation plus noise) shared by all pillars, so pillars go together."""
    province = targets["code"].map(_province_of)
    effects = {p: PROVINCE_EFFECT.get(p, 0.0) for p in sorted(set(province))}
    general = (
        province.map(effects).to_numpy()
        + targets["kind"].map(KIND_EFFECT).fillna(0).to_numpy()
        + rng.normal(0, 0.6, len(targets))
    )
    data = {}
    for offset, code in enumerate(pillar_codes):
        pillar_effect = 0.3 - 0.15 * offset  # infrastructure ahead of collaboration
        z = general + pillar_effect + rng.normal(0, 0.45, len(targets))
        data[code] = 1 / (1 + np.exp(-z))
    return pd.DataFrame(data, index=targets.index)


@dataclass
class _QuestionSpec:
    id: int
    code: str
    kind: str
    pillar: str
    scoring: dict
    role: str
    relevant: str
    choices: list  # (value, score, is_dont_know) ordered by score


def _question_specs(version: QuestionnaireVersion) -> list[_QuestionSpec]:
    specs = []
    questions = version.questions.select_related("pillar").prefetch_related("choices")
    for q in questions.order_by("order"):
        if q.pillar is None or q.kind in (QuestionKind.NOTE, QuestionKind.TEXT, QuestionKind.DATE):
            continue
        choices = sorted(
            ((c.value, c.score, c.is_dont_know) for c in q.choices.all()),
            key=lambda c: (c[2], -1 if c[1] is None else c[1]),
        )
        specs.append(
            _QuestionSpec(
                q.id,
                q.code,
                q.kind,
                q.pillar.code,
                q.scoring or {},
                q.gender_role,
                q.relevant or "",
                choices,
            )
        )
    return specs


def _relevant_mask(
    spec: _QuestionSpec,
    chosen: dict[str, np.ndarray],
    numbers: dict[str, np.ndarray],
    size: int,
) -> np.ndarray:
    """Whether the question was shown to each organisation: its `relevant` expression evaluated
    by the product's own evaluator on the answers generated so far (unanswered: None)."""
    if not spec.relevant.strip():
        return np.ones(size, dtype=bool)
    names = expressions.references(spec.relevant)
    columns = {name: chosen.get(name, numbers.get(name)) for name in names}
    mask = np.zeros(size, dtype=bool)
    for row in range(size):
        values = {}
        for name, column in columns.items():
            value = None if column is None else column[row]
            if isinstance(value, float) and np.isnan(value):
                value = None
            values[name] = value
        mask[row] = expressions.evaluate_bool(spec.relevant, values)
    return mask


def _staff_counts(targets, level, rng) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    mean_staff = targets["kind"].map(STAFF_SIZE).fillna(20).to_numpy()
    total = rng.poisson(mean_staff) + 1
    women_share = np.clip(rng.normal(0.42, 0.1, len(total)), 0.1, 0.8)
    women = rng.binomial(total, women_share)
    men = total - women
    counts = {"staff": (women, men)}
    rates = {  # (women, men) share of staff in the role, growing with digital capacity
        "staff_digital_skills": (0.15 + 0.6 * level, 0.2 + 0.65 * level),
        "ict_staff": (0.01 + 0.05 * level, 0.03 + 0.09 * level),
        "staff_trained_12m": (0.05 + 0.4 * level, 0.07 + 0.45 * level),
        "managers": (np.full(len(total), 0.07), np.full(len(total), 0.14)),
    }
    for role, (women_rate, men_rate) in rates.items():
        counts[role] = (
            rng.binomial(women, np.clip(women_rate, 0, 1)),
            rng.binomial(men, np.clip(men_rate, 0, 1)),
        )
    return counts


def answer_rows(specs, targets, levels, rng, answered: np.ndarray) -> pd.DataFrame:
    """Answers for every target (rows of responses), question by question, vectorised over
    organisations. `answered[i]` is the share of questions organisation i answered."""
    size = len(targets)
    chosen: dict[str, np.ndarray] = {}
    numbers_by_code: dict[str, np.ndarray] = {}  # so a ratio's numerator fits its denominator
    staff = _staff_counts(targets, levels.mean(axis=1).to_numpy(), rng)
    frames = []
    for spec in specs:
        level = levels[spec.pillar].to_numpy() if spec.pillar in levels else np.full(size, 0.5)
        noisy = np.clip(level + rng.normal(0, 0.15, size), 0, 0.999)
        shown = _relevant_mask(spec, chosen, numbers_by_code, size) & (rng.random(size) < answered)
        index = np.nonzero(shown)[0]
        if spec.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO):
            scored = [c for c in spec.choices if not c[2] and c[1] is not None]
            dont_know = [c for c in spec.choices if c[2]]
            if scored:
                # Better-prepared organisations choose the better-scored answers.
                values = np.array([c[0] for c in scored], dtype=object)[
                    (noisy * len(scored)).astype(int)
                ]
            else:  # an unscored question (e.g. "do you charge fees?"): any answer
                plain = [c[0] for c in spec.choices if not c[2]]
                if not plain:
                    continue
                values = np.array(plain, dtype=object)[rng.integers(0, len(plain), size)]
            if dont_know:
                values[rng.random(size) < 0.06] = dont_know[0][0]
            chosen[spec.code] = np.where(shown, values, None)
            frames.append(
                pd.DataFrame(
                    {
                        "row": index,
                        "question_id": spec.id,
                        "sex": "",
                        "number": np.nan,
                        "choices": values[index],
                    }
                )
            )
        elif spec.kind == QuestionKind.MULTIPLE_CHOICE:
            # Ticks among the answers that score; an organisation that ticks none of them
            # answers "none" (a choice scoring 0) alone, as the questionnaire's rule demands.
            options = [c[0] for c in spec.choices if not c[2] and c[1]]
            nothing = [[c[0]] for c in spec.choices if not c[2] and not c[1]][:1] or [[]]
            picks = rng.random((size, len(options))) < (noisy[:, None] * 0.9)
            values = np.array(
                [
                    [o for o, p in zip(options, row, strict=True) if p] or nothing[0]
                    for row in picks[index]
                ]
                + [[]],
                dtype=object,
            )[:-1]
            everyone = np.full(size, None, dtype=object)
            everyone[index] = values
            chosen[spec.code] = everyone
            frames.append(
                pd.DataFrame(
                    {
                        "row": index,
                        "question_id": spec.id,
                        "sex": "",
                        "number": np.nan,
                        "choices": values,
                    }
                )
            )
        elif spec.kind == QuestionKind.COUNT_BY_SEX:
            women, men = staff.get(spec.role) or (rng.poisson(3, size), rng.poisson(4, size))
            numbers_by_code[spec.code] = np.where(shown, women + men, np.nan)
            for sex, numbers in (("F", women), ("M", men)):
                frames.append(
                    pd.DataFrame(
                        {
                            "row": index,
                            "question_id": spec.id,
                            "sex": sex,
                            "number": numbers[index].astype(float),
                            "choices": None,
                        }
                    )
                )
        elif spec.kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):
            denominator = numbers_by_code.get(spec.scoring.get("ratio_to", ""))
            if denominator is not None:
                # A share of the referenced count ("services online" of "all services"), so
                # it never exceeds it, and not asked when there is nothing to share.
                numbers = np.floor(noisy * denominator)
            else:
                thresholds = sorted(t[0] for t in spec.scoring.get("thresholds", [])) or [10.0]
                top = max(thresholds) * 1.5
                numbers = np.floor(noisy**1.5 * top)
            numbers_by_code[spec.code] = np.where(shown, numbers, np.nan)
            frames.append(
                pd.DataFrame(
                    {
                        "row": index,
                        "question_id": spec.id,
                        "sex": "",
                        "number": numbers[index],
                        "choices": None,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def _array_literal(values) -> str:
    if values is None or (isinstance(values, float) and np.isnan(values)):
        return "{}"
    if isinstance(values, str):
        values = [values]
    return "{" + ",".join('"' + str(v).replace('"', '\\"') + '"' for v in values) + "}"


def _copy_answers(rows: pd.DataFrame, response_ids: np.ndarray) -> None:
    now = timezone.now().isoformat()
    table = pd.DataFrame(
        {
            "response_id": response_ids[rows["row"].to_numpy()],
            "question_id": rows["question_id"].to_numpy(),
            "sex": rows["sex"].to_numpy(),
            "number": rows["number"].to_numpy(),
            "text": "",
            "choices": [_array_literal(v) for v in rows["choices"].to_numpy()],
            "updated_at": now,
        }
    )
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, header=False)
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f'COPY "{Answer._meta.db_table}" (response_id, question_id, sex, number, text, '
            "choices, updated_at) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (sex, text))",
            buffer,
        )


@transaction.atomic
def national_round_seed(*, round_code: str, villages: int = 8500, seed: int = 2026) -> SeedReport:
    if Round.objects.filter(code=round_code).exists():
        raise ValueError(f"A round with code {round_code!r} already exists.")
    rng = np.random.default_rng(seed)
    created = organisations_ensure(organisation_records(villages))
    version = seed_version()
    pillar_codes = list(version.pillars.order_by("order").values_list("code", flat=True))
    today = timezone.localdate()
    round_ = Round.objects.create(
        code=round_code,
        version=version,
        name={"lo": f"ຮອບປະເມີນທົດລອງ {round_code}", "en": f"Synthetic round {round_code}"},
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
        status=RoundStatus.OPEN,
        opened_at=timezone.now(),
        target_selection={"synthetic": True, "villages": villages, "seed": seed},
        pillar_targets={code: 3.0 + 0.5 * (i % 2) for i, code in enumerate(pillar_codes)},
    )
    targets = _targets(villages)
    round_.targets.through.objects.bulk_create(
        round_.targets.through(round_id=round_.pk, organisation_id=oid)
        for oid in targets["organisation_id"]
    )
    draw = rng.random(len(targets))
    status = np.select(
        [draw < 0.35, draw < 0.9],
        [ResponseStatus.APPROVED, ResponseStatus.SUBMITTED],
        default=ResponseStatus.DRAFT,
    )
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            round=round_,
            organisation_id=oid,
            status=s,
            submitted_at=now if s != ResponseStatus.DRAFT else None,
            reviewed_at=now if s == ResponseStatus.APPROVED else None,
        )
        for oid, s in zip(targets["organisation_id"], status, strict=True)
    )
    levels = capacities(targets, pillar_codes, rng)
    # A submitted response answers every question shown to it (submission requires it);
    # drafts are partly filled.
    answered = np.where(status == ResponseStatus.DRAFT, rng.random(len(targets)) * 0.6, 1.0)
    rows = answer_rows(_question_specs(version), targets, levels, rng, answered)
    _copy_answers(rows, np.array([r.pk for r in responses]))
    return SeedReport(
        round_code=round_code,
        organisations_created=created,
        responses=len(responses),
        answers=len(rows),
        submitted=int((status != ResponseStatus.DRAFT).sum()),
    )
