"""The questionnaire of a synthetic round: the shipped default if loaded, else a synthetic one
of the same shape."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from surveys.models import QuestionKind, QuestionnaireVersion, VersionStatus
from surveys.services.versions import version_create
from surveys.version_specs import ChoiceSpec, PillarSpec, QuestionSpec, VersionSpec

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
RATIO_TO_STAFF = {"staff_digital_skills", "staff_trained_12m"}

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


LEVELS = [  # value, Lao, English, score, don't know
    ("none", "ບໍ່ມີ", "Not yet", 0.0, False),
    ("partly", "ບາງສ່ວນ", "Partly", 0.5, False),
    ("fully", "ເຕັມສ່ວນ", "Fully", 1.0, False),
    ("dont_know", "ບໍ່ຮູ້", "Don't know", None, True),
]
YES_NO = [("yes", "ແມ່ນ", "Yes", 1.0, False), ("no", "ບໍ່ແມ່ນ", "No", 0.0, False)]
CHANNELS = [
    ("website", "ເວັບໄຊ", "Website", 0.4, False),
    ("email", "ອີເມວ", "Email", 0.3, False),
    ("social", "ສື່ສັງຄົມ", "Social media", 0.3, False),
    ("app", "ແອັບ", "Mobile app", 0.4, False),
]
CHOICES_OF_KIND = {
    QuestionKind.SINGLE_CHOICE: LEVELS,
    QuestionKind.YES_NO: YES_NO,
    QuestionKind.MULTIPLE_CHOICE: CHANNELS,
}


@transaction.atomic
def _synthetic_version() -> QuestionnaireVersion:
    """Written by the one version writer (surveys.services.versions), then published."""
    title = {"lo": "ແບບສອບຖາມທົດລອງ (ຂໍ້ມູນສັງເຄາະ)", "en": "Synthetic test questionnaire"}
    spec = VersionSpec(
        form_id=SYNTHETIC_CODE,
        questionnaire_code=SYNTHETIC_CODE,
        title=title,
        respondent_type=None,
        languages=["lo", "en"],
        pillars=[
            PillarSpec(code, {"lo": name_lo, "en": name_en}, order=order, is_enabler=enabler)
            for order, (code, name_en, name_lo, enabler) in enumerate(PILLARS, start=1)
        ],
        questions=[question for pillar in PILLARS for question in _pillar_questions(pillar[0])],
    )
    version = version_create(spec=spec)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


def _pillar_questions(code: str) -> list[QuestionSpec]:
    """The pillar's questions: six levels, a plan (yes/no) and its level when there is one;
    numbers and channels in technology, the five counts by sex in skills."""
    rows = [(f"{code}_{n}", QuestionKind.SINGLE_CHOICE, {}, "", "") for n in range(1, 7)]
    rows.append((f"{code}_plan", QuestionKind.YES_NO, {}, "", ""))
    rows.append(
        (f"{code}_plan_level", QuestionKind.SINGLE_CHOICE, {}, "", f"${{{code}_plan}} = 'yes'")
    )
    if code == "technology":
        thresholds = {"thresholds": [[1, 0.25], [5, 0.5], [20, 1.0]]}
        rows.append(("computers", QuestionKind.INTEGER, thresholds, "", ""))
        rows.append(("channels", QuestionKind.MULTIPLE_CHOICE, {}, "", ""))
    if code == "skills":
        for role in GENDER_ROLES:
            ratio = {"ratio_to": "staff"} if role in RATIO_TO_STAFF else {}
            rows.append((role, QuestionKind.COUNT_BY_SEX, ratio, role, ""))
    return [
        QuestionSpec(
            code=qcode,
            kind=kind,
            label={"lo": f"ຄຳຖາມທົດລອງ {qcode}", "en": f"Synthetic question {qcode}"},
            scoring=scoring,
            gender_role=role,
            relevant=relevant,
            pillar_code=code,
            choices=[
                ChoiceSpec(value, {"lo": lo, "en": en}, score, dont_know)
                for value, lo, en, score, dont_know in CHOICES_OF_KIND.get(kind, [])
            ],
        )
        for qcode, kind, scoring, role, relevant in rows
    ]
