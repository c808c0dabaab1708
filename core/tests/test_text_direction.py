"""Text that reverses its own direction (U+202E and kin) is refused the same way
by the form, the API and the import, with the same message: one rule, on the
model field (core.validators)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from activities.models import Activity
from api.tests.conftest import as_token
from imports.reading import read_table
from imports.service import Options, check
from imports.tests.conftest import activity_row, csv_bytes

pytestmark = pytest.mark.django_db

MESSAGE = "Fjern de usynlige tegnene som endrer retningen på teksten"
TITLES = ["Tittel \u202egnalfeh", "\u2066Isolert\u2069", "Innebygd \u202a tekst \u202c"]


@pytest.mark.parametrize("title", TITLES)
def test_the_model_refuses_it(title):
    with pytest.raises(ValidationError) as refused:
        Activity(title=title, activity_type="network").full_clean(exclude=["partnerships"])
    assert MESSAGE in " ".join(refused.value.message_dict["title"])


@pytest.mark.parametrize("title", TITLES)
def test_the_form_refuses_it_at_the_field(client, coordinator, partnership, title):
    client.force_login(coordinator)
    page = client.post(
        "/activities/add/",
        {
            "title": title,
            "activity_type": "network",
            "status": "ongoing",
            "partnerships": [partnership.pk],
            "version": "0",
        },
    )
    assert page.status_code == 200
    assert MESSAGE in " ".join(page.context["form"].errors["title"])
    assert not Activity.objects.filter(title=title).exists()


@pytest.mark.parametrize("title", TITLES)
def test_the_api_refuses_it_at_the_field(coordinator, partnership, title):
    response = as_token(coordinator).post(
        "/api/activities/",
        {"title": title, "activity_type": "network", "partnerships": [partnership.slug]},
        format="json",
    )
    assert response.status_code == 400
    assert MESSAGE in " ".join(response.json()["errors"]["title"])


@pytest.mark.parametrize("title", TITLES)
def test_the_import_refuses_it_at_its_row_and_column(coordinator, partnership, title):
    raw = csv_bytes([activity_row(title=title, partnerships=partnership.slug)])
    report = check(read_table(raw, "a.csv"), "activities", "a.csv", Options(user=coordinator))
    ((row, column, message),) = [(p.row, p.column, str(p)) for p in report.problems]
    assert (row, column) == (2, "title")
    assert MESSAGE in message


def test_ordinary_right_to_left_text_is_kept():
    """Arabic or Hebrew text itself, and the marks LRM/RLM, are not direction overrides."""
    Activity(title="مشروع بحثي \u200f", activity_type="network").full_clean(
        exclude=["partnerships"]
    )
