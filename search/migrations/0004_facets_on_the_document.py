"""Facet values move onto their document (search.facets): JSON in ``facets``,
the status value again in ``status``; the table of one row per value goes.

The values already indexed are carried over in SQL, so no reindex is needed;
going back rebuilds the table from the JSON the same way. On SQLite, Django
adds (and removes) a column by copying the table into a new one, which loses
the triggers that keep the full-text index in step: they are made again.
"""

from django.db import migrations, models

# The kind is the document's own column; every other value goes into the JSON.
FORWARD = {
    "postgresql": (
        "UPDATE search_searchdocument d SET facets = f.facets, status = f.status FROM ("
        "SELECT document_id, json_agg(json_build_array(facet, value, label) "
        "ORDER BY facet, value)::text AS facets, "
        "left(coalesce(min(value) FILTER (WHERE facet = 'status'), ''), 20) AS status "
        "FROM search_searchfacet WHERE facet <> 'kind' GROUP BY document_id) f "
        "WHERE f.document_id = d.id"
    ),
    "sqlite": (
        "UPDATE search_searchdocument SET "
        "facets = coalesce((SELECT json_group_array(json_array(facet, value, label)) "
        "FROM (SELECT facet, value, label FROM search_searchfacet "
        "WHERE document_id = search_searchdocument.id AND facet <> 'kind' "
        "ORDER BY facet, value)), '[]'), "
        "status = coalesce((SELECT substr(min(value), 1, 20) FROM search_searchfacet "
        "WHERE document_id = search_searchdocument.id AND facet = 'status'), '')"
    ),
}
BACKWARD = {
    "postgresql": (
        "INSERT INTO search_searchfacet (document_id, facet, value, label) "
        "SELECT d.id, v->>0, v->>1, v->>2 FROM search_searchdocument d, "
        "json_array_elements(nullif(d.facets, '')::json) v "
        "UNION ALL SELECT id, 'kind', kind, kind FROM search_searchdocument"
    ),
    "sqlite": (
        "INSERT INTO search_searchfacet (document_id, facet, value, label) "
        "SELECT d.id, json_extract(v.value, '$[0]'), json_extract(v.value, '$[1]'), "
        "json_extract(v.value, '$[2]') FROM search_searchdocument d, "
        "json_each(CASE WHEN d.facets = '' THEN '[]' ELSE d.facets END) v "
        "UNION ALL SELECT id, 'kind', kind, kind FROM search_searchdocument"
    ),
}


def carry(statements):
    def run(apps, schema_editor):
        sql = statements.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)
        restore_triggers(apps, schema_editor)

    return run


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from search.backends.sqlite import DROP_TRIGGERS, TRIGGERS

        for sql in [*DROP_TRIGGERS, *TRIGGERS]:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_simple_configuration"),
    ]

    operations = [
        # Undone last: after the columns have gone again.
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),
        migrations.AddField(
            model_name="searchdocument",
            name="facets",
            field=models.TextField(blank=True, verbose_name="facet values"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="status",
            field=models.CharField(blank=True, max_length=20, verbose_name="status"),
        ),
        migrations.RunPython(carry(FORWARD), carry(BACKWARD)),
        migrations.DeleteModel(name="SearchFacet"),
    ]
