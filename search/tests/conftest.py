import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The session's data, indexed once (tests roll their own changes back)."""
    from search.documents import reindex

    with django_db_blocker.unblock():
        reindex()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def search_ids(q, **filters):
    from search import service

    return service.run(q, {k: [v] if isinstance(v, str) else v for k, v in filters.items()})


def titles(q, **filters):
    from search.models import SearchDocument

    ids = search_ids(q, **filters).ids
    docs = SearchDocument.objects.in_bulk(ids)
    return [docs[i].title for i in ids]
