# One organisation per code however it is typed: la1899 and LA1899 are the same code
# (issue 9, point 4). The import already compares codes this way; the constraint holds it for
# the admin and every other writer.

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Upper("code"),
                name="organisation_code_unique_ignoring_case",
                violation_error_message="An organisation with this code (in any letter case) already exists.",
            ),
        ),
    ]
