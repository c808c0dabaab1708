"""Activity.title_key and the indexes an import's duplicate checks look up.

An import checks each row against the live activities with the same title (in
any case) in the same partnership, or the same Cristin id or Research Council
number. It read every live activity's title to do so (211,000 rows at national
scale, a third of a committed import's time); now it asks for the file's keys
only. ``title_key`` is the folded title hashed to 64 bits (activities.models.
title_key), written here for the activities there are.
"""

from django.db import migrations, models

BATCH = 2000


def fill_title_keys(apps, schema_editor):
    from activities.models import title_key

    Activity = apps.get_model("activities", "Activity")
    rows = Activity.objects.values_list("pk", "title").order_by("pk")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        Activity.objects.bulk_update(
            [Activity(pk=pk, title_key=title_key(title)) for pk, title in batch], ["title_key"]
        )
        last = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0007_partnership_activity_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="title_key",
            field=models.BigIntegerField(default=0, editable=False, verbose_name="title key"),
        ),
        migrations.RunPython(fill_title_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=models.Q(deleted_at__isnull=True),
                fields=["title_key"],
                name="activity_title_key_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=models.Q(deleted_at__isnull=True) & ~models.Q(cristin_project_id=""),
                fields=["cristin_project_id"],
                name="activity_cristin_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=models.Q(deleted_at__isnull=True) & ~models.Q(nfr_project_number=""),
                fields=["nfr_project_number"],
                name="activity_nfr_idx",
            ),
        ),
    ]
