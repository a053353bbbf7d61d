"""Loads the built-in data: the administrative tree, the ministries and the built-in questionnaires.

Idempotent: running it again changes nothing, and it never overwrites a row an administrator
has since corrected (existing rows are left as they are)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the built-in reference data (idempotent)."

    def handle(self, *args, **options) -> None:
        from organisations.reference import reference_data_load
        from surveys.default_questionnaire import default_questionnaire_load

        for line in reference_data_load():
            self.stdout.write(line)
        for line in default_questionnaire_load():
            self.stdout.write(line)
