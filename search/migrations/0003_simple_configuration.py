"""PostgreSQL: the vectors are made with the ``simple`` configuration.

The text is stemmed in Python before it reaches the database; the
``norwegian`` configuration stemmed it a second time, so some words merged
only on PostgreSQL. The trigger's function is replaced and every document's
vector made again (SQLite's index is unchanged).
"""

from django.db import migrations

VECTORS = (
    "UPDATE search_searchdocument SET search_vector = "
    "setweight(to_tsvector('{config}', coalesce(title_terms, '')), 'A') || "
    "setweight(to_tsvector('{config}', coalesce(terms, '')), 'B')"
)


def configure(config):
    def run(apps, schema_editor):
        from search.backends.postgres import vector_function_sql

        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE OR REPLACE " + vector_function_sql(config))
            schema_editor.execute(VECTORS.format(config=config))

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_facet_document_unindexed"),
    ]

    operations = [
        migrations.RunPython(configure("simple"), configure("norwegian")),
    ]
