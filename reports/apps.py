from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Scores and reports")

    def ready(self) -> None:
        # Registers the tasks in every process (web included): services send them by name
        # through reports/dispatch.py and never import them.
        from reports import tasks  # noqa: F401
