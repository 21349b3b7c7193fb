"""Schemathesis against the OpenAPI document the app serves: every operation, with generated valid
and invalid input, never answers a 5xx, and every answer (status, headers, body) matches the document."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.models import ApiToken
from api.services import hash_token
from tests.factories import AttendanceFactory, BookingFactory, MenteeFactory, published_series

EXAMPLES = 25  # per operation and phase; the suite stays fast


# The document as the app serves it (no database needed to serve it), loaded when the tests are
# collected; the requests then go to the same WSGI application, inside each test's transaction.
# (schemathesis.pytest.from_fixture, the lazy loader, does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
# A fixed token (the api_world fixture stores its hash): schemathesis builds some cases while collecting.
TOKEN = "pm_5c4e3a7ab1e5_" + "s" * 43


@schema.auth(refresh_interval=None)
class FixedToken:
    """Applied by schemathesis itself, so the cases it sends without a token (to test 401s) stay without."""

    def get(self, case, ctx):
        return f"Bearer {TOKEN}"

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": data}


@pytest.fixture
def api_world(db, settings):
    # Limits high enough not to interfere: test_rate_limits.py tests them.
    settings.API_RATE_LIMIT = "100000/m"
    settings.API_FAILED_AUTH_RATE_LIMIT = "100000/m"
    series = published_series()
    mentee = MenteeFactory(email="mentee@school.edu")
    occurrence = series.occurrences.first()
    BookingFactory(occurrence=occurrence, mentee=mentee)
    AttendanceFactory(occurrence=occurrence, mentee=mentee)
    ApiToken.objects.create(
        name="Schemathesis", access="read_write", education_records=True, prefix=TOKEN.split("_")[1],
        secret_hash=hash_token(TOKEN),
    )  # fmt: skip
    # As Django's test client does: the end of a request must not close the test's connection
    # (on PostgreSQL that would end the test's transaction).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema_and_never_with_a_server_error(case, api_world):
    # Left out: "schema-valid data is accepted". The document cannot say that `end` must not be before
    # `start` or that `subject_id` must exist; those answer 422 with a message (test_errors.py).
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
