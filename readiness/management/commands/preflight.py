"""Checks that PostgreSQL and Redis answer, and says what to run when they do not."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import OperationalError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.console import both

POSTGRES_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
REDIS_START = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no '
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log"
)


class Command(BaseCommand):
    help = "Check that PostgreSQL and Redis answer before starting the product."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-redis", action="store_true", help="Only check PostgreSQL.")

    def handle(self, *args, no_redis: bool = False, **options) -> None:
        problems = []
        try:
            connection.ensure_connection()
        except OperationalError as error:
            problems.append(
                _(
                    "PostgreSQL does not answer at DATABASE_URL (%(error)s). "
                    "Start it, e.g.: %(command)s"
                )
                % {"error": str(error).strip().splitlines()[0], "command": POSTGRES_START}
            )
        if not no_redis:
            import redis

            try:
                redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
            except redis.RedisError as error:
                problems.append(
                    _("Redis does not answer at REDIS_URL (%(error)s). Start it, e.g.: %(command)s")
                    % {"error": error, "command": REDIS_START}
                )
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(both(gettext_lazy("PostgreSQL and Redis answer.")))
