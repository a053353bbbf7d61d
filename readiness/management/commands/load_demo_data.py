"""Demo accounts (one per role) and a small living national round, for `make run`.

Only in the demo configuration (DEBUG=true and DEMO=true): a production server never gets
accounts with published passwords."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, Role, RoleAssignment
from readiness.console import both

DEMO_PASSWORD = "demo-Readiness-2026"  # noqa: S105 (published on purpose: demo only)
DEMO_ROUND = "demo-2026"

# username, role, organisation code, display name (in Lao, as officials' names are)
DEMO_ACCOUNTS = [
    ("admin", Role.ADMINISTRATOR, "LA", "ທີມງານຄຸ້ມຄອງລະບົບ ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ"),
    ("analyst", Role.ANALYST, "LA", "ນັກວິເຄາະ ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ / UNDP"),
    ("reviewer", Role.REVIEWER, "LA01", "ຜູ້ກວດກາ ນະຄອນຫຼວງວຽງຈັນ"),
    ("focal", Role.FOCAL_POINT, "LA0101", "ຜູ້ປະສານງານ ເມືອງຈັນທະບູລີ"),
]


class Command(BaseCommand):
    help = "Create the demo accounts and a small demo round (demo configuration only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--list",
            action="store_true",
            help="Only print the demo accounts and what the demo round holds now.",
        )
        parser.add_argument("--villages", type=int, default=300)

    def handle(self, *args, list: bool = False, villages: int = 300, **options) -> None:
        """Without --list: create what is missing (accounts, round) and say what was done,
        without the accounts (`make run` prints them once, in its banner, with --list)."""
        if not settings.DEMO:
            raise CommandError(
                "Demo data is only created in the demo configuration (DEBUG=true and DEMO=true)."
            )
        if list:
            self._print_accounts()
            self._print_round()
            return
        self._create_accounts()
        self._seed_round(villages)

    def _print_accounts(self) -> None:
        self.stdout.write(
            " "
            + both(
                _("Demo accounts (password for all: %(password)s):"), {"password": DEMO_PASSWORD}
            )
        )
        for username, role, code, full_name in DEMO_ACCOUNTS:
            role_name = both(role.label)
            self.stdout.write(f"   {username:<10} {role_name:<36} {code:<8} {full_name}")

    def _print_round(self) -> None:
        """The demo round's counts as the administrator's progress page and the reviewer's
        home show them (the same selectors)."""
        from surveys.models import Round

        round_ = Round.objects.filter(code=DEMO_ROUND).first()
        if round_ is None:
            return
        counts = demo_round_counts(round_)
        self.stdout.write(" " + both(_("Demo round %(code)s:"), {"code": round_.code}))
        self.stdout.write(
            "   "
            + both(
                _(
                    "%(expected)s organisations expected: %(not_started)s not started, "
                    "%(draft)s draft, %(submitted)s submitted, %(returned)s returned, "
                    "%(approved)s approved"
                ),
                counts,
                separator="\n   ",
            )
        )
        self.stdout.write(
            "   "
            + both(
                _("The reviewer (%(scope)s) has %(waiting)s responses waiting."),
                {"scope": "LA01", "waiting": counts["waiting"]},
            )
        )

    @transaction.atomic
    def _create_accounts(self) -> None:
        user_model = get_user_model()
        for username, role, code, full_name in DEMO_ACCOUNTS:
            organisation = Organisation.objects.get(code=code)
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={"first_name": full_name, "email": f"{username}@demo.invalid"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            RoleAssignment.objects.get_or_create(user=user, role=role, organisation=organisation)

    def _seed_round(self, villages: int) -> None:
        if "seed_national" not in get_commands():
            return
        from surveys.models import Round

        if Round.objects.filter(code=DEMO_ROUND).exists():
            self.stdout.write(both(_("Demo round %(code)s already present."), {"code": DEMO_ROUND}))
            return
        call_command("seed_national", round=DEMO_ROUND, villages=villages, seed=2026)
        demo_focal_point_draft()
        from reports.scoring.services import round_rescore

        round_rescore(round_=Round.objects.get(code=DEMO_ROUND))


def demo_round_counts(round_) -> dict[str, int]:
    """expected, not_started, draft, submitted, returned, approved: the totals of the demo
    administrator's progress table; waiting: the demo reviewer's home count."""
    from surveys.selectors.review import round_progress, waiting_count

    user_model = get_user_model()
    admin = user_model.objects.get(username="admin")
    reviewer = user_model.objects.get(username="reviewer")
    _rows, totals = round_progress(admin, round_, "province")
    return {**dict(totals), "waiting": waiting_count(reviewer)}


# The demo focal point's draft keeps the answers of its first pillars; the rest is to fill.
PILLARS_ANSWERED = 3


@transaction.atomic
def demo_focal_point_draft() -> None:
    """The seeded round submits about 90% of responses; the demo focal point should find
    theirs a draft with the first PILLARS_ANSWERED pillars answered and the others empty, so
    a newcomer can try the filling screens. Its history starts from that state (written by
    the system), as if the seed had made it so."""
    from surveys.models import Answer, Response, ResponseStatus
    from surveys.services.history import history_baseline

    focal_codes = [code for _, role, code, _ in DEMO_ACCOUNTS if role == Role.FOCAL_POINT]
    responses = list(
        Response.objects.filter(
            round__code=DEMO_ROUND, organisation__code__in=focal_codes, is_individual=False
        ).select_related("round__version")
    )
    for response in responses:
        pillars = list(response.round.version.pillars.order_by("order"))
        kept = pillars[:PILLARS_ANSWERED]
        response.answers.exclude(question__pillar__in=kept).delete()
        Response.objects.filter(pk=response.pk).update(
            status=ResponseStatus.DRAFT,
            submitted_at=None,
            submitted_by=None,
            reviewed_at=None,
            reviewed_by=None,
        )
    # The seed's records described the submitted response: replaced by the draft's.
    ids = [response.pk for response in responses]
    Response.history.filter(id__in=ids).delete()
    Answer.history.filter(response_id__in=ids).delete()
    history_baseline(response_ids=ids)
