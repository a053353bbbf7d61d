"""Share links are now made when a round of an individual questionnaire opens (the home page
only reads them): make the missing ones of rounds opened before."""

from django.db import migrations


def share_links_create(apps, schema_editor):
    Round = apps.get_model("surveys", "Round")
    ShareLink = apps.get_model("surveys", "ShareLink")
    rounds = Round.objects.filter(
        status="open", version__questionnaire__respondent_type="individual"
    )
    for round_ in rounds:
        links = [
            ShareLink(round=round_, organisation_id=pk)
            for pk in round_.targets.values_list("pk", flat=True)
        ]
        ShareLink.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_choice_extra_columns")]

    operations = [migrations.RunPython(share_links_create, migrations.RunPython.noop)]
