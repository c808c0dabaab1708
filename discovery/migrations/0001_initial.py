"""The vendor-specific part of related work: on SQLite, a row-wise fts5vocab
table over search_fts for document frequencies (PostgreSQL needs nothing)."""

from django.db import migrations


def create(apps, schema_editor):
    from discovery.backends import create_schema

    create_schema(schema_editor)


def drop(apps, schema_editor):
    from discovery.backends import drop_schema

    drop_schema(schema_editor)


class Migration(migrations.Migration):
    initial = True

    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
