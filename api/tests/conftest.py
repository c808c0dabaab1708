"""API test set-up: generous rate limits (one test lowers them), a fresh
throttle cache per test, and helpers for tokens."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.tokens import issue_token

HIGH_RATES = {"anon": "100000/minute", "user": "100000/minute"}


@pytest.fixture(autouse=True)
def generous_rates(settings):
    settings.UNIKOM_API_THROTTLE_RATES = HIGH_RATES
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_token(user, scope: str = "write") -> APIClient:
    """A client that sends a new token of ``user`` with the given scope."""
    _token, secret = issue_token(user, f"test {scope}", scope)
    # As a script would: no CSRF cookie, and Django's CSRF checks switched on.
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client
