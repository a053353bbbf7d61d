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
        return Organisation.objects.add_root(values)
    return Organisation.objects.add_child(parent, values)


def grant(user, role: str, organisation: Organisation) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, organisation=organisation)


def _published_version_with_two_pillars(*, code: str, title: dict, respondent_type: str):
    """A published version of a new questionnaire with the pillars `tech` and `skills`."""
    from surveys.models import Pillar, Questionnaire, QuestionnaireVersion, VersionStatus

    questionnaire = Questionnaire.objects.create(
        code=code, title=title, respondent_type=respondent_type
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        status=VersionStatus.PUBLISHED,
        title=questionnaire.title,
        languages=["lo", "en"],
    )
    tech = Pillar.objects.create(
        version=version,
        code="tech",
        order=1,
        is_enabler=True,
        name={"lo": "ເຕັກໂນໂລຊີ ແລະ ວິທີແກ້ໄຂ", "en": "Technology and solutions"},
    )
    skills = Pillar.objects.create(
        version=version,
        code="skills",
        order=2,
        is_enabler=True,
        name={"lo": "ທັກສະ ແລະ ການສ້າງຄວາມອາດສາມາດ", "en": "Skills and capacity building"},
    )
    return version, tech, skills


def make_version_of_every_kind(
    *, code: str = "dra", respondent_type: str = "organisation"
) -> "QuestionnaireVersion":  # noqa: F821 - imported lazily to keep this module's imports light
    """A published questionnaire version with two pillars and a question of every kind: a
    yes/no with a dependent text (relevant), a single choice with "don't know", a multiple
    choice, integer (with a constraint), decimal, date, and two count-by-sex questions where
    staff with digital skills must not exceed all staff for each sex."""
    from surveys.models import (
        Choice,
        Question,
        QuestionKind,
    )

    version, tech, skills = _published_version_with_two_pillars(
        code=code,
        title={"lo": f"ແບບສອບຖາມ {code}", "en": f"Questionnaire {code}"},
        respondent_type=respondent_type,
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
            skills,
            "staff_digital",
            QuestionKind.COUNT_BY_SEX,
            "Skilled staff",
            False,
            "",
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
            version=version,
            pillar=pillar,
            code=qcode,
            order=order,
            kind=kind,
            label={"lo": f"ລາວ: {label}", "en": label},
            required=required,
            relevant=relevant,
            constraint=constraint,
            constraint_message={"lo": "ຄ່າບໍ່ຖືກຕ້ອງ", "en": "Invalid value"} if constraint else {},
        )
        for corder, (value, lo, en, score, dont_know) in enumerate(choices.get(qcode, [])):
            Choice.objects.create(
                question=question,
                value=value,
                label={"lo": lo, "en": en},
                score=score,
                is_dont_know=dont_know,
                order=corder,
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
        code=code,
        version=version,
        name={"lo": f"ຮອບ {code}", "en": f"Round {code}"},
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=closes_in_days),
        status=RoundStatus.OPEN,
        opened_at=timezone.now(),
    )
    round_.targets.set(targets)
    if version.questionnaire.respondent_type == RespondentType.ORGANISATION:
        for organisation in targets:
            Response.objects.create(round=round_, organisation=organisation)
    return round_


# --- Questionnaires, rounds and responses (filling) -------------------------------------------


def make_published_version(*, code: str = "dra", respondent_type: str = "organisation"):
    """A small published version with questions of every kind, over two pillars:

    tech: a scored single choice with "don't know" (`connectivity`), a yes/no that drives skip
    logic (`has_website`), a text shown only when it is yes (`website_url`), a multiple choice
    (`channels`), a required integer with a range constraint (`systems`), a note.
    skills: two counts by sex, the second bounded by the first (`staff`, `staff_digital`), a
    decimal (`budget_share`) and a date (`last_training`)."""
    from surveys.models import (
        Choice,
        Question,
        QuestionKind,
    )

    version, tech, skills = _published_version_with_two_pillars(
        code=code,
        title={"lo": "ການປະເມີນຄວາມພ້ອມດ້ານດິຈິຕອນ", "en": "Digital readiness assessment"},
        respondent_type=respondent_type,
    )

    def question(pillar, order, code, kind, label_en, label_lo, **fields):
        return Question.objects.create(
            version=version,
            pillar=pillar,
            order=order,
            code=code,
            kind=kind,
            label={"lo": label_lo, "en": label_en},
            **fields,
        )

    connectivity = question(
        tech,
        1,
        "connectivity",
        QuestionKind.SINGLE_CHOICE,
        "How is your office connected to the internet?",
        "ຫ້ອງການຂອງທ່ານເຊື່ອມຕໍ່ອິນເຕີເນັດແນວໃດ?",
        required=True,
        hint={"lo": "ເລືອກໜຶ່ງຄຳຕອບ", "en": "Choose one answer"},
    )
    for order, (value, en, lo, score, dont_know) in enumerate(
        [
            ("none", "Not connected", "ບໍ່ໄດ້ເຊື່ອມຕໍ່", 0.0, False),
            ("shared", "Shared connection", "ໃຊ້ຮ່ວມກັນ", 0.5, False),
            ("dedicated", "Dedicated line", "ສາຍສະເພາະ", 1.0, False),
            ("dk", "Don't know", "ບໍ່ຮູ້", None, True),
        ]
    ):
        Choice.objects.create(
            question=connectivity,
            value=value,
            label={"lo": lo, "en": en},
            score=score,
            is_dont_know=dont_know,
            order=order,
        )
    has_website = question(
        tech,
        2,
        "has_website",
        QuestionKind.YES_NO,
        "Does your office have a website?",
        "ຫ້ອງການຂອງທ່ານມີເວັບໄຊບໍ?",
        required=True,
    )
    for order, (value, en, lo, score) in enumerate(
        [("yes", "Yes", "ມີ", 1.0), ("no", "No", "ບໍ່ມີ", 0.0)]
    ):
        Choice.objects.create(
            question=has_website, value=value, label={"lo": lo, "en": en}, score=score, order=order
        )
    question(
        tech,
        3,
        "website_url",
        QuestionKind.TEXT,
        "Address of the website",
        "ທີ່ຢູ່ຂອງເວັບໄຊ",
        required=True,
        relevant="${has_website} = 'yes'",
    )
    channels = question(
        tech,
        4,
        "channels",
        QuestionKind.MULTIPLE_CHOICE,
        "Which channels do you use?",
        "ທ່ານໃຊ້ຊ່ອງທາງໃດແດ່?",
    )
    for order, (value, en, lo, score, dont_know) in enumerate(
        [
            ("email", "Email", "ອີເມວ", 0.5, False),
            ("chat", "Chat applications", "ແອັບສົນທະນາ", 0.5, False),
            ("dk", "Don't know", "ບໍ່ຮູ້", None, True),
        ]
    ):
        Choice.objects.create(
            question=channels,
            value=value,
            label={"lo": lo, "en": en},
            score=score,
            is_dont_know=dont_know,
            order=order,
        )
    question(
        tech,
        5,
        "systems",
        QuestionKind.INTEGER,
        "How many information systems do you run?",
        "ທ່ານມີລະບົບຂໍ້ມູນຂ່າວສານຈັກລະບົບ?",
        required=True,
        constraint=". >= 0 and . <= 100",
        constraint_message={
            "lo": "ກະລຸນາໃສ່ຕົວເລກລະຫວ່າງ 0 ຫາ 100",
            "en": "Give a number from 0 to 100",
        },
    )
    question(tech, 6, "tech_note", QuestionKind.NOTE, "Thank you.", "ຂໍຂອບໃຈ.")
    question(
        skills,
        1,
        "staff",
        QuestionKind.COUNT_BY_SEX,
        "Staff",
        "ພະນັກງານ",
        required=True,
        gender_role="staff",
    )
    question(
        skills,
        2,
        "staff_digital",
        QuestionKind.COUNT_BY_SEX,
        "Staff with basic digital skills",
        "ພະນັກງານທີ່ມີທັກສະດິຈິຕອນພື້ນຖານ",
        required=True,
        constraint=". <= ${staff}",
        gender_role="digital_skills",
    )
    question(
        skills,
        3,
        "budget_share",
        QuestionKind.DECIMAL,
        "Share of the budget spent on ICT (%)",
        "ສ່ວນຮ້ອຍຂອງງົບປະມານດ້ານ ICT (%)",
        constraint=". >= 0 and . <= 100",
    )
    question(
        skills,
        4,
        "last_training",
        QuestionKind.DATE,
        "Date of the last training",
        "ວັນທີຂອງການຝຶກອົບຮົມຄັ້ງຫຼ້າສຸດ",
    )
    return version


def make_filling_round(*, version=None, organisations=(), code: str = "r2026", admin=None):
    """A round of `version` opened for `organisations` (one response each)."""
    import datetime

    from surveys.models import Round
    from surveys.services.rounds import round_open

    version = version or make_published_version()
    round_ = Round.objects.create(
        code=code,
        version=version,
        name={"lo": "ຮອບປີ 2026", "en": "Round 2026"},
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 12, 31),
        pillar_targets={pillar.code: 3 for pillar in version.pillars.all()},
    )
    round_.targets.set(organisations)
    round_open(round_=round_, user=admin)
    return round_


def make_xlsform(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx built from {sheet name: rows (the first is the header)}, for importer tests."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def full_xlsform_sheets() -> dict[str, list[list]]:
    """A small Lao/English XLSForm using every feature the importer supports: two pillars with
    weights and an enabler, yes/no with a dependent text, single choice with scores and "don't
    know", multiple choice, integer thresholds, decimal ratio, date, note, a count by sex with
    a constraint, a gender role, a hint, a constraint message, appearance, stages and
    recommendations."""
    lo, en = "label::Lao (lo)", "label::English (en)"
    return {
        "survey": [
            [
                "type",
                "name",
                lo,
                en,
                "hint::Lao (lo)",
                "hint::English (en)",
                "required",
                "relevant",
                "constraint",
                "constraint_message::Lao (lo)",
                "constraint_message::English (en)",
                "appearance",
                "pillar",
                "weight",
                "score",
                "gender_role",
            ],
            [
                "note",
                "intro",
                "ຍິນດີຕ້ອນຮັບ",
                "Welcome",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "select_one yes_no",
                "has_website",
                "ມີເວັບໄຊບໍ?",
                "Has a website?",
                "",
                "",
                "yes",
                "",
                "",
                "",
                "",
                "",
                "tech",
                "2",
                "",
                "",
            ],
            [
                "text",
                "website_url",
                "ທີ່ຢູ່ເວັບໄຊ",
                "Website address",
                "",
                "",
                "",
                "${has_website} = ’yes’",
                "",
                "",
                "",
                "",
                "tech",
                "",
                "",
                "",
            ],
            [
                "select_one connection",
                "connectivity",
                "ການເຊື່ອມຕໍ່",
                "Internet connection",
                "ເລືອກໜຶ່ງ",
                "Choose one",
                "yes",
                "",
                "",
                "",
                "",
                "minimal",
                "tech",
                "",
                "",
                "",
            ],
            [
                "select_multiple services",
                "services",
                "ບໍລິການ",
                "Online services",
                "",
                "",
                "",
                "",
                "count-selected(.) <= 2",
                "ບໍ່ເກີນ 2",
                "At most 2",
                "",
                "tech",
                "",
                "",
                "",
            ],
            [
                "integer",
                "computers",
                "ຄອມພິວເຕີ",
                "Computers",
                "",
                "",
                "",
                "",
                ". <= 10000",
                "",
                "",
                "",
                "tech",
                "",
                "0:0;1:0.5;10:1",
                "",
            ],
            [
                "date",
                "strategy_date",
                "ວັນທີ",
                "Strategy date",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "tech",
                "",
                "",
                "",
            ],
            [
                "begin group",
                "staff",
                "ພະນັກງານ",
                "Staff",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "skills",
                "",
                "",
                "staff",
            ],
            [
                "integer",
                "staff_f",
                "ຍິງ",
                "Women",
                "",
                "",
                "yes",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            ["integer", "staff_m", "ຊາຍ", "Men", "", "", "yes", "", "", "", "", "", "", "", "", ""],
            ["end group", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
            [
                "begin group",
                "trained",
                "ຝຶກອົບຮົມ",
                "Trained staff",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "skills",
                "",
                "ratio:${staff}",
                "trained",
            ],
            ["integer", "trained_f", "ຍິງ", "Women", "", "", "", "", "", "", "", "", "", "", "", ""],
            [
                "integer",
                "trained_m",
                "ຊາຍ",
                "Men",
                "",
                "",
                "",
                "",
                "${trained_f} <= ${staff_f} and ${trained_m} <= ${staff_m}",
                "ເກີນ",
                "Too many",
                "",
                "",
                "",
                "",
                "",
            ],
            ["end group", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
            [
                "decimal",
                "budget_share",
                "ງົບປະມານ",
                "Budget share",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "skills",
                "0.5",
                "0:0;0.1:1",
                "",
            ],
        ],
        "choices": [
            ["list_name", "name", lo, en, "score", "dont_know"],
            ["yes_no", "yes", "ມີ", "Yes", "1", ""],
            ["yes_no", "no", "ບໍ່ມີ", "No", "0", ""],
            ["connection", "none", "ບໍ່ມີ", "None", "0", ""],
            ["connection", "slow", "ຊ້າ", "Slow", "0.5", ""],
            ["connection", "fast", "ໄວ", "Fast", "1", ""],
            ["connection", "dk", "ບໍ່ຮູ້", "Don't know", "", "yes"],
            ["services", "web", "ເວັບໄຊ", "Website", "0.4", ""],
            ["services", "email", "ອີເມວ", "Email", "0.3", ""],
            ["services", "sms", "SMS", "SMS", "0.3", ""],
        ],
        "settings": [
            ["form_title", "form_id", "default_language", "respondent_type", "version"],
            ["ການປະເມີນ", "dra_test", "Lao (lo)", "organisation", "2026.1"],
        ],
        "pillars": [
            ["code", "name::Lao (lo)", "name::English (en)", "weight", "order", "is_enabler"],
            ["tech", "ເຕັກໂນໂລຊີ", "Technology", "2", "1", "yes"],
            ["skills", "ທັກສະ", "Skills", "1", "2", "yes"],
        ],
        "stages": [
            ["stage", "name::Lao (lo)", "name::English (en)"],
            ["1", "ເລີ່ມຕົ້ນ", "Nascent"],
        ],
        "recommendations": [
            ["pillar", "stage", "text::Lao (lo)", "text::English (en)"],
            ["tech", "1", "ເຊື່ອມຕໍ່ອິນເຕີເນັດ", "Connect every office"],
            ["skills", "1", "ຝຶກອົບຮົມພະນັກງານ", "Train the staff"],
        ],
    }
