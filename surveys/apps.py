from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Questionnaires and rounds")

    def ready(self) -> None:
        # Registers the tasks in every process (web included): services send them by name
        # through surveys/dispatch.py and never import them.
        from surveys import tasks  # noqa: F401
