"""The OpenAPI schema is valid and warning-free; the docs page uses only this site's assets."""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "/api/activities/": {"get", "post"},
    "/api/activities/{public_id}/": {"get", "put", "patch", "delete"},
    "/api/needs/{public_id}/": {"get", "put", "patch", "delete"},
    "/api/events/{public_id}/": {"get", "put", "patch", "delete"},
    "/api/people/{public_id}/": {"get", "put", "patch", "delete"},
    "/api/partnerships/{slug}/": {"get", "put", "patch"},
    "/api/organisations/{slug}/": {"get"},
    "/api/memberships/{id}/": {"get"},
    "/api/agreements/{id}/": {"get"},
    "/api/anchorings/{id}/": {"get"},
    "/api/themes/{slug}/": {"get"},
}


def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    for path, methods in OPERATIONS.items():
        assert set(schema["paths"][path]) >= methods, path


def test_the_served_schema_documents_errors_auth_and_pagination(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {
        "status",
        "code",
        "detail",
        "errors",
    }
    update = schema["paths"]["/api/activities/{public_id}/"]["patch"]
    assert {"400", "401", "403", "404", "409", "429"} <= set(update["responses"])
    listing = schema["paths"]["/api/activities/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"cursor", "page_size", "ordering", "search", "type", "partnership"} <= names


def test_the_docs_page_loads_only_same_origin_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads its scripts and styles"
    assert not [a for a in assets if re.match(r"(https?:)?//", a)], assets
    assert "<script>" not in html and "<style" not in html  # CSP allows no inline code
    for asset in assets:
        assert client.get(asset.replace("&amp;", "&")).status_code == 200, asset
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_the_served_schema_is_generated_once_per_language(client, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from api.schema_view import SchemaView

    monkeypatch.setattr(SchemaView, "_generated", {})
    monkeypatch.setattr(SchemaView, "_rendered", {})
    generated = []
    real = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        generated.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    first = client.get("/api/schema/?format=json").json()
    again = client.get("/api/schema/?format=json").json()
    assert again == first and len(generated) == 1
    english = client.get("/api/schema/?format=json&lang=en").json()
    assert len(generated) == 2 and english["paths"].keys() == first["paths"].keys()
    # The same schema as YAML, drawn from what was generated.
    yaml = client.get("/api/schema/")
    assert yaml["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    assert b"openapi: 3." in yaml.content and len(generated) == 2
    # Another server process (nothing kept in its memory) reads it from the shared cache.
    monkeypatch.setattr(SchemaView, "_generated", {})
    monkeypatch.setattr(SchemaView, "_rendered", {})
    assert client.get("/api/schema/?format=json").json() == first and len(generated) == 2
