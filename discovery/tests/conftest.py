import pytest


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client
