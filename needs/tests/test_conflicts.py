"""Two people editing the same need cannot overwrite each other."""

from __future__ import annotations

import pytest

from needs.models import Need

from .helpers import edit_data, urls

pytestmark = pytest.mark.django_db


def test_the_second_save_of_the_same_version_is_refused_and_keeps_the_typing(
    client, coordinator, make_need
):
    need = make_need()
    url = urls(need)["edit"]
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    first, second = edit_data(client, url), edit_data(client, url)
    assert first["version"] == second["version"] == 1

    first["status"] = "in_dialogue"
    assert client.post(url, first).status_code == 302

    second["title"] = "Skrevet samtidig"
    second["description"] = "Min egen tekst, som ikke må gå tapt."
    response = client.post(url, second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this record while you were editing it" in html
    assert 'value="Skrevet samtidig"' in html
    assert "Min egen tekst, som ikke må gå tapt." in html

    need = Need.objects.get(pk=need.pk)
    assert (need.title, need.status, need.version) == (
        "Hvordan beholde sykepleiere i hjemmetjenesten?",
        "in_dialogue",
        2,
    )
