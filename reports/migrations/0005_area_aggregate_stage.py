"""The stage of an area's mean, stored by the scoring beside the mean (reports.scoring.stage_of).
Rows already stored get theirs here by the same rule, min(5, floor(mean + 1e-9)), so that no
area reads without a stage until its round is scored again."""

from django.db import migrations, models

FILL_STAGES = """
UPDATE reports_areaaggregate
SET stage = LEAST(5, floor(mean + 1e-9))::smallint
WHERE mean IS NOT NULL AND mean <> 'NaN'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_gender_incomplete_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="areaaggregate",
            name="stage",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="stage"),
        ),
        migrations.RunSQL(FILL_STAGES, migrations.RunSQL.noop),
    ]
