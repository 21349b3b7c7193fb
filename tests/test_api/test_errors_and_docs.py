"""Bad input gets a 4xx with a message, never a 5xx; the docs page loads only the site's own files."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "query", "field"),
    [
        ("api-v1:occurrences", {"start": "2027-03-01", "end": "2027-02-01"}, "end"),
        ("api-v1:occurrences", {"start": "9999-12-31"}, "start"),
        ("api-v1:occurrences", {"start": "2026-01-01", "end": "2028-01-01"}, "end"),
        ("api-v1:occurrences", {"limit": "100000"}, "limit"),
        ("api-v1:figures", {"subject_id": "99999"}, "subject_id"),
        ("api-v1:figures", {"class_year": "7"}, "class_year"),
        ("api-v1:sessions", {"subjectid": "3"}, "subjectid"),
        ("api-v1:student_bookings", {"email": "not an email"}, "email"),
    ],
)
def test_bad_input_answers_422_naming_the_field(client, make_token, name, query, field):
    _, headers = make_token(education_records=True)

    response = client.get(reverse(name), query, headers=headers)

    assert response.status_code == 422
    assert field in [str(part) for part in response.json()["detail"][0]["loc"]]


def test_an_id_beyond_any_row_answers_404_or_422_never_500(client, make_token):
    _, headers = make_token()

    huge = client.get("/api/v1/occurrences/99999999999999999999", headers=headers)
    missing = client.get(reverse("api-v1:occurrence", kwargs={"occurrence_id": 2**31 - 1}), headers=headers)

    assert (huge.status_code, missing.status_code) == (422, 404)


def test_the_api_docs_page_loads_nothing_from_another_origin(client):
    page = client.get(reverse("api-v1:openapi-view"))
    html = page.content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert page.status_code == 200
    assert sources and all(s.startswith("/static/") for s in sources)
    assert "script-src 'self'" in page["Content-Security-Policy"]
    # Each is a file of the app's own static files (django-ninja ships Swagger UI), served by whitenoise.
    assert all(finders.find(s.removeprefix("/static/")) for s in sources)


def test_the_openapi_document_lists_every_operation(client):
    doc = client.get(reverse("api-v1:openapi-json")).json()

    assert sorted(doc["paths"]) == [
        "/api/v1/figures", "/api/v1/occurrences", "/api/v1/occurrences/{occurrence_id}", "/api/v1/roster", "/api/v1/sessions",
        "/api/v1/sessions/{series_id}", "/api/v1/students/attendance", "/api/v1/students/bookings",
    ]  # fmt: skip
