"""Demo accounts (one per role) and a small living national round, for `make run`.

Only in the demo configuration (DEBUG=true and DEMO=true): a production server never gets
accounts with published passwords."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.models import Organisation, Role, RoleAssignment

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
        parser.add_argument("--list", action="store_true", help="Only print the demo accounts.")
        parser.add_argument("--villages", type=int, default=300)

    def handle(self, *args, list: bool = False, villages: int = 300, **options) -> None:
        if not settings.DEMO:
            raise CommandError(
                "Demo data is only created in the demo configuration (DEBUG=true and DEMO=true)."
            )
        if not list:
            self._create_accounts()
            self._seed_round(villages)
        self.stdout.write(
            " " + _("Demo accounts (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for username, role, code, full_name in DEMO_ACCOUNTS:
            self.stdout.write(f"   {username:<10} {role.label:<14} {code:<8} {full_name}")

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
            self.stdout.write(_("Demo round %(code)s already present.") % {"code": DEMO_ROUND})
            return
        call_command("seed_national", round=DEMO_ROUND, villages=villages, seed=2026)
        self._leave_the_demo_focal_point_a_draft()

    @transaction.atomic
    def _leave_the_demo_focal_point_a_draft(self) -> None:
        """The seeded round submits about 90% of responses; the demo focal point should find
        theirs still to fill, so a newcomer can try the filling screens."""
        from reports.scoring.services import round_rescore
        from surveys.models import ResponseStatus, Round

        demo_round = Round.objects.get(code=DEMO_ROUND)
        focal_codes = [code for _, role, code, _ in DEMO_ACCOUNTS if role == Role.FOCAL_POINT]
        demo_round.responses.filter(organisation__code__in=focal_codes).update(
            status=ResponseStatus.DRAFT, submitted_at=None, submitted_by=None, reviewed_at=None
        )
        round_rescore(round=demo_round)
