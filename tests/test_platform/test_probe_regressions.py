"""Inputs an outside probe sent that answered 500; each now gets a page with a message."""

import pytest
from django.urls import reverse

from tests.factories import MentorFactory, ProgramAdminFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fields", [{"term": "99"}, {"term": str(2**63)}, {"term": "²"}, {"term": "1", "weekday": "²"}])
def test_fill_from_term_with_a_term_that_does_not_exist_keeps_the_form(client, fields):
    client.force_login(MentorFactory())

    response = client.post(reverse("sessions:series_new"), {"fill_from_term": "1", "title": "Renal", **fields})

    assert response.status_code in (200, 400)
    assert 'value="Renal"' in response.content.decode()


@pytest.mark.parametrize("series", ["²", "9" * 30, "-1"])
def test_an_announcement_for_a_series_id_that_is_no_number_is_refused_not_a_500(client, series):
    client.force_login(ProgramAdminFactory())

    assert client.get(reverse("program:announcement_new"), {"series": series}).status_code in (200, 403)


def test_a_research_export_for_the_year_9999_says_the_days_it_accepts(admin_client):
    response = admin_client.post(
        reverse("reports:research_export"),
        {"first_day": "9999-12-31", "last_day": "9999-12-31", "study": "IRB 1", "confirm": "on"},
    )

    assert response.status_code == 400
    assert "Choose a day between 2000 and 2100" in response.content.decode()
