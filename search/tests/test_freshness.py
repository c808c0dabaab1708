import pytest

from organisations.models import Person
from search.models import SearchDocument
from search.tests.conftest import titles
from search.tests.helpers import activity, need

pytestmark = pytest.mark.django_db


def test_a_new_record_is_found_at_once():
    activity("Kystkultur i Lofoten")
    assert titles("kystkultur") == ["Kystkultur i Lofoten"]


def test_an_edit_replaces_the_old_words():
    a = activity("Kystkultur i Lofoten")
    a.title = "Fjellkultur i Valdres"
    a.save()
    assert titles("kystkultur") == []
    assert titles("fjellkultur") == ["Fjellkultur i Valdres"]


def test_a_record_moved_to_trash_leaves_the_index_and_returns_when_restored():
    n = need("Kartlegging av ensomhet")
    n.move_to_trash(None)
    assert "Kartlegging av ensomhet" not in titles("ensomhet")
    assert not SearchDocument.objects.filter(kind="need", object_id=n.pk).exists()
    n.restore(None)
    assert titles("ensomhet") == ["Kartlegging av ensomhet"]


def test_a_deleted_record_leaves_the_index():
    a = activity("Kystkultur i Lofoten")
    a.delete()
    assert titles("kystkultur") == []
    assert not SearchDocument.objects.filter(kind="activity", object_id=a.pk).exists()


def test_a_record_made_private_leaves_the_index():
    a = activity("Kystkultur i Lofoten")
    a.is_public = False
    a.save()
    assert titles("kystkultur") == []


def test_private_people_are_not_indexed():
    Person.objects.create(name="Hemmelig Forsker", is_public=False)
    assert titles("hemmelig forsker") == []


def test_public_people_are_found_by_name_but_not_by_contact_data():
    Person.objects.create(
        name="Åse Ørnulfsdatter", email="ase.secret@example.no", phone="99887766", is_public=True
    )
    assert titles("Ørnulfsdatter") == ["Åse Ørnulfsdatter"]
    assert titles("ase.secret@example.no") == []
    assert titles("99887766") == []
    assert not SearchDocument.objects.filter(body__contains="99887766").exists()


def test_a_theme_added_later_shows_in_the_facets():
    from partnerships.models import Theme
    from search.tests.conftest import search_ids

    theme = Theme.objects.first()
    a = activity("Kystkultur i Lofoten")
    a.themes.add(theme)
    assert titles("kystkultur", theme=theme.slug) == ["Kystkultur i Lofoten"]
    a.themes.remove(theme)
    assert "theme" not in search_ids("kystkultur").facets
