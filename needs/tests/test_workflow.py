"""The status workflow: open → in dialogue → matched → closed, with the ways back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from needs.choices import TRANSITIONS, NeedStatus, may_move, next_statuses

from .helpers import ADD, edit_data, post_data, urls

pytestmark = pytest.mark.django_db

ALLOWED = [(old, new) for old in NeedStatus for new in next_statuses(old)]
FORBIDDEN = [
    (old, new) for old in NeedStatus for new in NeedStatus if old != new and not may_move(old, new)
]


def test_the_workflow_has_the_documented_shape():
    assert {(old, new) for old in NeedStatus for new in TRANSITIONS[old]} == set(ALLOWED)
    assert set(FORBIDDEN) == {
        (NeedStatus.MATCHED, NeedStatus.OPEN),
        (NeedStatus.CLOSED, NeedStatus.IN_DIALOGUE),
        (NeedStatus.CLOSED, NeedStatus.MATCHED),
    }


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    return client


def move(client, need, status, **changes):
    data = edit_data(client, urls(need)["edit"])
    data.update(status=status, **changes)
    return client.post(urls(need)["edit"], data)


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_allowed_moves_are_saved(signed_in, make_need, old, new):
    need = make_need(status=old)
    assert move(signed_in, need, new).status_code == 302
    need.refresh_from_db()
    assert need.status == new


@pytest.mark.parametrize(("old", "new"), FORBIDDEN)
def test_forbidden_moves_are_explained_beside_the_status(signed_in, make_need, old, new):
    need = make_need(status=old)
    response = move(signed_in, need, new)
    assert response.status_code == 200
    (error,) = response.context["form"].errors["status"]
    assert "cannot go from" in error
    need.refresh_from_db()
    assert need.status == old


def test_a_closed_need_reopens_only_with_a_deadline_that_has_not_passed(signed_in, make_need):
    today = timezone.localdate()
    need = make_need(status=NeedStatus.CLOSED, deadline=today - timedelta(days=10))
    response = move(signed_in, need, NeedStatus.OPEN)
    assert response.status_code == 200
    assert "deadline has passed" in response.context["form"].errors["deadline"][0]
    assert (
        move(
            signed_in, need, NeedStatus.OPEN, deadline=(today + timedelta(days=30)).isoformat()
        ).status_code
        == 302
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_a_closed_need_may_reopen_without_a_deadline(signed_in, make_need):
    need = make_need(status=NeedStatus.CLOSED, deadline=timezone.localdate() - timedelta(days=1))
    assert move(signed_in, need, NeedStatus.OPEN, deadline="").status_code == 302


def test_an_open_need_whose_deadline_passed_can_still_be_edited(signed_in, make_need):
    need = make_need(deadline=timezone.localdate() - timedelta(days=3))
    data = edit_data(signed_in, urls(need)["edit"])
    data["description"] = "Oppdatert beskrivelse."
    assert signed_in.post(urls(need)["edit"], data).status_code == 302


def test_an_open_need_cannot_get_a_new_deadline_in_the_past(signed_in, make_need):
    need = make_need(deadline=timezone.localdate() + timedelta(days=3))
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = move(signed_in, need, NeedStatus.OPEN, deadline=yesterday)
    assert "deadline" in response.context["form"].errors


def test_a_new_open_need_cannot_have_a_deadline_in_the_past(signed_in, partnership, drammen):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    data = post_data(organisation=drammen.pk, partnership=partnership.pk, deadline=yesterday)
    response = signed_in.post(ADD, data)
    assert response.status_code == 200
    assert "deadline" in response.context["form"].errors
    data["deadline"] = timezone.localdate().isoformat()
    assert signed_in.post(ADD, data).status_code == 302


def test_a_need_recorded_as_closed_may_have_a_past_deadline(signed_in, partnership, drammen):
    data = post_data(
        organisation=drammen.pk, partnership=partnership.pk, status="closed", deadline="2020-01-31"
    )
    assert signed_in.post(ADD, data).status_code == 302


def test_the_status_field_says_where_the_need_may_go(signed_in, make_need):
    need = make_need(status=NeedStatus.CLOSED)
    form = signed_in.get(urls(need)["edit"]).context["form"]
    assert str(form.fields["status"].help_text) == "From here the need may move to: Open."
