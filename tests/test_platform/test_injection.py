"""User-typed text is escaped in pages (XSS) and never becomes SQL (injection)."""

import pytest
from django.urls import reverse

from tests.factories import MenteeFactory, ProgramAdminFactory, published_series

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


def test_a_series_title_with_markup_is_shown_as_text_on_browse(client):
    published_series(title=SCRIPT)
    client.force_login(MenteeFactory())

    page = client.get(reverse("sessions:browse")).content.decode()

    assert SCRIPT not in page
    assert "&lt;script&gt;" in page


def test_sql_typed_into_a_filter_is_just_text(client):
    admin = ProgramAdminFactory()
    MenteeFactory(email="alice@school.edu")
    client.force_login(admin)

    response = client.get(reverse("audit:access_log"), {"student": "' OR 1=1 --"})

    assert response.status_code == 200
    assert "alice@school.edu" not in response.content.decode()
