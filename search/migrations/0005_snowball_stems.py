"""The stems come from the Snowball Norwegian stemmer (search.text, PyStemmer)
instead of a stemmer of our own: every document's stems are made again from the
title and text it holds, as ``unikom search reindex`` makes them (the triggers
keep the full-text index in step). Only the index's own table is read, with
this migration's model, so it runs whatever state the other apps' tables are
in; an empty index (a new database, the tests) costs one query.

Going back leaves the new stems, which the older code reads as they are (some
inflected forms then meet less well until ``unikom search reindex``).
"""

from django.db import migrations

from search.documents import restem


def forwards(apps, schema_editor):
    restem(apps.get_model("search", "SearchDocument"))


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_facets_on_the_document"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
