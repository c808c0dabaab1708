"""Bad requests get a 4xx answer with the one error body, never a 500."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from activities.tests.matrix import make as make_activity
from api.tests.conftest import as_token
from api.throttling import AnonThrottle

pytestmark = pytest.mark.django_db


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/activities/?ordering=password", "ordering"),
        ("/api/activities/?ordering=title,created", "ordering"),
        ("/api/activities/?ordering=", None),
        ("/api/activities/?type=galaxy", "type"),
        ("/api/activities/?year=abc", "year"),
        ("/api/activities/?year=99999", "year"),
        ("/api/activities/?partnership=no-such", "partnership"),
        ("/api/needs/?status=nonsense", "status"),
        ("/api/needs/?deadline=tomorrow", "deadline"),
        ("/api/organisations/?in_partnership=perhaps", "in_partnership"),
        ("/api/memberships/?current=2", "current"),
        ("/api/events/?cursor=not-a-cursor", "cursor"),
        # Hand-made cursors that decode to a position the ordering cannot hold:
        # "p=2025" for a date and time, "p=x" for a number, "r=1&p=2025" backwards.
        ("/api/activities/?cursor=cD0yMDI1", "cursor"),
        ("/api/activities/?cursor=cj0xJnA9MjAyNQ%3D%3D", "cursor"),
        ("/api/memberships/?cursor=cD14", "cursor"),
        ("/api/events/?cursor=cD0yMDI1", "cursor"),
        ("/api/people/?search=%00", "non_field_errors"),
        ("/api/organisations/%00/", "non_field_errors"),
    ],
)
def test_bad_query_parameters_answer_400(api, path, field):
    if field is None:  # an empty parameter means "not given"
        assert api.get(path).status_code == 200
        return
    body = assert_error(api.get(path), 400)
    assert field in body["errors"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/activities/not-a-uuid/",
        "/api/activities/00000000-0000-0000-0000-000000000000/",
        "/api/partnerships/no-such-partnership/",
        "/api/memberships/99999999/",
        "/api/memberships/abc/",
        "/api/memberships/99999999999999999999999/",
        "/api/no-such-thing/",
        "/api/activities",
    ],
)
def test_unknown_addresses_answer_404(api, path):
    assert assert_error(api.get(path), 404)["code"] == "not_found"


@pytest.mark.parametrize("size", ["100000", "-1", "abc", "0"])
def test_odd_page_sizes_are_cut_or_ignored(api, size):
    response = api.get(f"/api/organisations/?page_size={size}")
    assert response.status_code == 200
    assert 1 <= len(response.json()["results"]) <= 200


def test_malformed_json_answers_400(coordinator):
    response = as_token(coordinator).generic(
        "POST", "/api/activities/", b'{"title": ', content_type="application/json"
    )
    assert assert_error(response, 400)["code"] == "parse_error"


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "Ok", "activity_type": "network", "partnerships": ["usn\\u0000drammen"]}',
        b'{"title": "\\ud800", "activity_type": "network"}',
        b'{"\\u0000": 1}',
    ],
    ids=["nul-in-slug", "lone-surrogate", "nul-in-key"],
)
def test_text_no_database_can_store_answers_400(coordinator, body):
    response = as_token(coordinator).generic(
        "POST", "/api/activities/", body, content_type="application/json"
    )
    assert assert_error(response, 400)["code"] == "parse_error"


@pytest.mark.parametrize("depth", [17, 100_000], ids=["one-too-deep", "deeper-than-python"])
def test_a_body_nested_too_deeply_answers_400(coordinator, depth):
    body = b'{"title": "Dypt", "activity_type": "network", "x": ' + b"[" * depth + b"]" * depth
    response = as_token(coordinator).generic(
        "POST", "/api/activities/", body + b"}", content_type="application/json"
    )
    body = assert_error(response, 400)
    assert body["code"] == "parse_error" and "16" in body["detail"]


def test_a_body_larger_than_the_limit_answers_413_in_the_error_shape(coordinator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = {"title": "x" * 2000, "activity_type": "network"}
    response = as_token(coordinator).post("/api/activities/", payload, format="json")
    assert assert_error(response, 413)["code"] == "too_large"


def test_a_wrong_content_type_answers_415(coordinator):
    response = as_token(coordinator).generic(
        "POST", "/api/activities/", b"title=x", content_type="application/x-www-form-urlencoded"
    )
    assert assert_error(response, 415)["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "text",
        {"title": None},
        {"title": "x" * 10_000, "activity_type": "research_project"},
        {"title": "Ok", "activity_type": "rocket"},
        {"title": "Ok", "activity_type": "network", "partnerships": "usn-drammen"},
        {"title": "Ok", "activity_type": "network", "partnerships": [{"slug": 1}]},
        {"title": "Ok", "activity_type": "network", "start_date": "2024-13-45"},
        {"title": "Ok", "activity_type": "network", "funding_amount": -5},
        {"title": "Ok", "activity_type": "network", "funding_amount": 1e30},
        {"title": "Ok", "activity_type": "network", "organisation_roles": [None]},
        {"title": "Ok", "activity_type": "network", "person_roles": [{"person": "x"}]},
    ],
)
def test_bad_bodies_answer_400(coordinator, payload):
    response = as_token(coordinator).post("/api/activities/", payload, format="json")
    body = assert_error(response, 400)
    assert body["errors"]


def test_a_version_out_of_range_answers_400(coordinator, partnership, drammen):
    activity = make_activity(partnership, drammen)
    response = as_token(coordinator).patch(
        f"/api/activities/{activity.public_id}/", {"version": 2**40}, format="json"
    )
    assert "version" in assert_error(response, 400)["errors"]


def test_unsupported_methods_answer_405(coordinator):
    response = as_token(coordinator).delete("/api/themes/helse-og-omsorg/")
    assert assert_error(response, 405)["code"] == "method_not_allowed"


def test_too_many_requests_answer_429_with_retry_after(api, settings):
    settings.UNIKOM_API_THROTTLE_RATES = {"anon": "3/minute", "user": "5/minute"}
    cache.clear()
    answers = [api.get("/api/themes/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    body = assert_error(answers[-1], 429)
    assert body["code"] == "throttled"
    assert 0 < int(answers[-1]["Retry-After"]) <= 60


def test_signed_in_clients_have_their_own_limit(api, reader, settings):
    settings.UNIKOM_API_THROTTLE_RATES = {"anon": "1/minute", "user": "3/minute"}
    cache.clear()
    token_client = as_token(reader, "read")
    assert api.get("/api/themes/").status_code == 200
    assert api.get("/api/themes/").status_code == 429
    assert [token_client.get("/api/themes/").status_code for _ in range(3)] == [200, 200, 200]
    assert token_client.get("/api/themes/").status_code == 429


def test_visitors_are_counted_against_the_visitors_limit_only(api, settings):
    """A visitor's requests went to the signed-in users' limit too (by address)."""
    settings.UNIKOM_API_THROTTLE_RATES = {"anon": "3/minute", "user": "1/minute"}
    cache.clear()
    assert [api.get("/api/themes/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_a_refused_client_is_served_again_when_its_window_ends(api, settings, monkeypatch):
    settings.UNIKOM_API_THROTTLE_RATES = {"anon": "2/minute", "user": "5/minute"}
    cache.clear()
    clock = [1_000_000.0]
    monkeypatch.setattr(AnonThrottle, "timer", staticmethod(lambda: clock[0]))
    assert [api.get("/api/themes/").status_code for _ in range(3)] == [200, 200, 429]
    clock[0] += 45
    refused = api.get("/api/themes/")
    assert refused.status_code == 429 and refused["Retry-After"] == "15"
    clock[0] += 15
    assert [api.get("/api/themes/").status_code for _ in range(3)] == [200, 200, 429]


def test_what_a_client_costs_the_cache_does_not_grow_with_the_rate(api, settings):
    """DRF kept the time of every request in the period and wrote the list back each time."""
    settings.UNIKOM_API_THROTTLE_RATES = {"anon": "100000/minute", "user": "5/minute"}
    cache.clear()
    for _ in range(50):
        assert api.get("/api/themes/").status_code == 200
    _started, count = cache.get("throttle_anon_127.0.0.1")  # DRF's key for the address
    assert count == 50
