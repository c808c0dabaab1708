"""The API keeps its own promises: schemathesis generates requests from the
OpenAPI schema and checks every answer against it.

For each operation a bounded, derandomised number of examples is sent through
the WSGI application (no server), anonymously and with a national
administrator's write token; an answer fails the test when it is a server
error, has an undocumented status code or content type, or a body that does
not match the documented schema. Everything written is rolled back with the
test's transaction.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Assignment, Role
from api.tokens import issue_token

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 10

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go straight to the WSGI application, not through Django's test
    client, so they would close the database connection at their end (and with
    it the test's transaction on PostgreSQL); the test client avoids the same
    by disconnecting this handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_header(db) -> dict[str, str]:
    user = get_user_model().objects.create_user("schemathesis-admin")
    Assignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    _token, secret = issue_token(user, "schemathesis", "write")
    return {"Authorization": f"Bearer {secret}"}


def load_schema():
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = load_schema()
# One pytest item per operation, each with its own id: schemathesis' own
# parametrisation gives all of them the same node id, which pytest-xdist's
# scheduler collapses into one item (so most operations would never run).
OPERATIONS = [result.ok() for result in schema.get_all_operations()]
READS = [operation for operation in OPERATIONS if operation.method.upper() == "GET"]
bounded = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def run_examples(operation, headers: dict[str, str] | None = None) -> None:
    @bounded
    @given(case=operation.as_strategy())
    def examples(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    examples()


def label(operation) -> str:
    return operation.label


@pytest.mark.parametrize("operation", READS, ids=label)
def test_anonymous_reads_conform_to_the_schema(operation):
    run_examples(operation)


@pytest.mark.parametrize("operation", OPERATIONS, ids=label)
def test_administrator_reads_and_writes_conform_to_the_schema(operation, admin_header):
    run_examples(operation, admin_header)


def test_every_operation_is_exercised():
    assert len(OPERATIONS) >= 30 and {op.method.upper() for op in OPERATIONS} >= {
        "GET",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
    }
