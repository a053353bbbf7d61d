"""factory_boy factories for the whole suite."""

import factory
from django.contrib.auth import get_user_model

from organisations.models import Organisation, OrganisationKind, RoleAssignment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-Strong-pass-1")


def make_organisation(
    *, code: str, kind: str = OrganisationKind.OTHER, parent: Organisation | None = None, **fields
) -> Organisation:
    """Adds a node to the tree (treebeard needs add_root/add_child, not a plain create)."""
    name = fields.pop("name", {"lo": f"ອົງການ {code}", "en": f"Organisation {code}"})
    values = {"code": code, "kind": kind, "name": name, **fields}
    if parent is None:
        return Organisation.add_root(**values)
    return parent.add_child(**values)


def grant(user, role: str, organisation: Organisation) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, organisation=organisation)


def make_version_of_every_kind(
    *, code: str = "dra", respondent_type: str = "organisation"
) -> "QuestionnaireVersion":  # noqa: F821 - imported lazily to keep this module's imports light
    """A published questionnaire version with two pillars and a question of every kind: a
    yes/no with a dependent text (relevant), a single choice with "don't know", a multiple
    choice, integer (with a constraint), decimal, date, and two count-by-sex questions where
    staff with digital skills must not exceed all staff for each sex."""
    from surveys.models import (
        Choice,
        Pillar,
        Question,
        QuestionKind,
        Questionnaire,
        QuestionnaireVersion,
        VersionStatus,
    )

    questionnaire = Questionnaire.objects.create(
        code=code, title={"lo": f"ແບບສອບຖາມ {code}", "en": f"Questionnaire {code}"},
        respondent_type=respondent_type,
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, status=VersionStatus.PUBLISHED,
        title=questionnaire.title, languages=["lo", "en"],
    )
    tech = Pillar.objects.create(
        version=version, code="tech", order=1, is_enabler=True,
        name={"lo": "ເຕັກໂນໂລຊີ ແລະ ວິທີແກ້ໄຂ", "en": "Technology and solutions"},
    )
    skills = Pillar.objects.create(
        version=version, code="skills", order=2, is_enabler=True,
        name={"lo": "ທັກສະ ແລະ ການສ້າງຄວາມອາດສາມາດ", "en": "Skills and capacity building"},
    )
    specs = [
        (tech, "has_website", QuestionKind.YES_NO, "Has a website?", True, "", ""),
        (tech, "website_url", QuestionKind.TEXT, "Website", False, "${has_website} = 'yes'", ""),
        (tech, "connectivity", QuestionKind.SINGLE_CHOICE, "Internet connection", True, "", ""),
        (tech, "services", QuestionKind.MULTIPLE_CHOICE, "Online services", False, "", ""),
        (tech, "computers", QuestionKind.INTEGER, "Number of computers", False, "", ". <= 10000"),
        (tech, "budget_share", QuestionKind.DECIMAL, "Share of budget on ICT", False, "", ""),
        (tech, "strategy_date", QuestionKind.DATE, "Date of the digital strategy", False, "", ""),
        (skills, "staff", QuestionKind.COUNT_BY_SEX, "Staff", True, "", ""),
        (
            skills, "staff_digital", QuestionKind.COUNT_BY_SEX, "Skilled staff", False, "",
            "${staff_digital_f} <= ${staff_f} and ${staff_digital_m} <= ${staff_m}",
        ),
    ]
    choices = {
        "has_website": [("yes", "ມີ", "Yes", 1.0, False), ("no", "ບໍ່ມີ", "No", 0.0, False)],
        "connectivity": [
            ("none", "ບໍ່ມີ", "None", 0.0, False),
            ("slow", "ຊ້າ", "Slow", 0.5, False),
            ("fast", "ໄວ", "Fast", 1.0, False),
            ("dk", "ບໍ່ຮູ້", "Don't know", None, True),
        ],
        "services": [
            ("web", "ເວັບໄຊ", "Website", 0.4, False),
            ("email", "ອີເມວ", "Email", 0.3, False),
            ("sms", "ຂໍ້ຄວາມ SMS", "SMS", 0.3, False),
        ],
    }
    for order, (pillar, qcode, kind, label, required, relevant, constraint) in enumerate(specs):
        question = Question.objects.create(
            version=version, pillar=pillar, code=qcode, order=order, kind=kind,
            label={"lo": f"ລາວ: {label}", "en": label}, required=required,
            relevant=relevant, constraint=constraint,
            constraint_message={"lo": "ຄ່າບໍ່ຖືກຕ້ອງ", "en": "Invalid value"} if constraint else {},
        )
        for corder, (value, lo, en, score, dont_know) in enumerate(choices.get(qcode, [])):
            Choice.objects.create(
                question=question, value=value, label={"lo": lo, "en": en}, score=score,
                is_dont_know=dont_know, order=corder,
            )
    return version


def make_open_round(*, version, code: str = "r2026", targets=(), closes_in_days: int = 30):
    """An open round of `version` targeting `targets`; organisation questionnaires get one
    draft response per target, as opening a round does."""
    import datetime

    from django.utils import timezone

    from surveys.models import RespondentType, Response, Round, RoundStatus

    today = timezone.localdate()
    round_ = Round.objects.create(
        code=code, version=version, name={"lo": f"ຮອບ {code}", "en": f"Round {code}"},
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=closes_in_days),
        status=RoundStatus.OPEN, opened_at=timezone.now(),
    )
    round_.targets.set(targets)
    if version.questionnaire.respondent_type == RespondentType.ORGANISATION:
        for organisation in targets:
            Response.objects.create(round=round_, organisation=organisation)
    return round_
