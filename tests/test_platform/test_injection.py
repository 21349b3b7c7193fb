"""User-typed text is escaped in pages (XSS) and never becomes SQL (injection)."""

import pytest
from django.urls import reverse

from audit.services import record_access
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
    for email in ("alice@school.edu", "bob@school.edu"):
        record_access(actor=admin, action="outcome_note.read", student=MenteeFactory(email=email))
    client.force_login(admin)

    injected = client.get(reverse("audit:access_log"), {"student": "' OR 1=1 --"}).content.decode()
    # The same filter with a real address finds that student's row only: the rows are there to be shown.
    bob = client.get(reverse("audit:access_log"), {"student": "bob@school.edu"}).content.decode()

    assert "alice@school.edu" not in injected and "bob@school.edu" not in injected
    assert "No reads recorded for this filter." in injected
    assert "bob@school.edu" in bob and "alice@school.edu" not in bob
