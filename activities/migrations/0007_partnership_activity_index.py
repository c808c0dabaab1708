"""An index on (partnership_id, activity_id) of the link table of Activity.partnerships.

The table is the one Django creates for the many-to-many field, which has no
Meta of its own to declare an index in, so the index is plain SQL (the same on
SQLite and PostgreSQL). A partnership profile's latest activities
(partnerships.profile.Profile.latest_activities) are its links in descending
activity id: the database walks this index backwards and stops after a few
rows, where the index on partnership_id alone made it read and sort every link
of the partnership.
"""

from django.db import migrations

INDEX = "activities_partnership_activity_idx"
TABLE = "activities_activity_partnerships"


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_text_direction"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f'CREATE INDEX "{INDEX}" ON "{TABLE}" ("partnership_id", "activity_id")',
            reverse_sql=f'DROP INDEX "{INDEX}"',
        ),
    ]
