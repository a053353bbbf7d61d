"""The questionnaire of a synthetic round: the shipped default if loaded, else a synthetic one
of the same shape."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from surveys.models import (
    Choice,
    Pillar,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    VersionStatus,
)

DEFAULT_FORM_ID = "lao_dma_state"
SYNTHETIC_CODE = "synthetic_dma"
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
