from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    """The project package as an app: its templates tags, management commands and checks."""

    name = "readiness"

    def ready(self) -> None:
        from readiness import checks  # noqa: F401  (registers the system checks)
