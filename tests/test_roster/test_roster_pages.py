"""The roster pages: upload, preview with problems and the rows shown apart, confirm, progress."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from roster.models import RosterImport
from roster.services import MAX_FILE_BYTES, check_roster
from tests.factories import BookingFactory, MenteeFactory, OccurrenceFactory, ProgramAdminFactory
from tests.test_roster.support import roster, row, upload

pytestmark = pytest.mark.django_db


def _post_file(client, content: bytes, **data):
    return client.post(reverse("roster:upload"), {"file": SimpleUploadedFile("roster.csv", content), **data})


def test_uploading_a_roster_shows_its_bad_rows_with_their_lines(admin_client):
    response = _post_file(admin_client, roster(row("ann@school.edu"), row("ben@school.edu", roles="boss")).encode())

    page = admin_client.get(response["Location"]).content.decode()
    assert "<th scope=\"row\">3</th><td>Unknown role &#x27;boss&#x27;" in page
    assert "Nothing has been imported" in page


def test_a_file_that_is_not_utf8_gets_a_message_on_the_form_not_an_error_page(admin_client):
    response = _post_file(admin_client, roster(row("ann@school.edu", first="Zoë")).encode("latin-1"))

    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused_on_the_form(admin_client):
    response = _post_file(admin_client, b"x" * (MAX_FILE_BYTES + 1))

    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_the_preview_of_a_full_roster_asks_to_confirm_the_number_and_lists_students_with_bookings_apart(admin_client):
    MenteeFactory(email="ann@school.edu")
    booked = MenteeFactory(email="booked@school.edu", first_name="Bo", last_name="Oked")
    BookingFactory(mentee=booked, occurrence=OccurrenceFactory(starts_at=timezone.now() + dt.timedelta(days=2)))
    pending = upload(roster(row("ann@school.edu")), full_roster=True)
    leaving = len(check_roster(pending.content, full_roster=True).departures)

    page = admin_client.get(reverse("roster:detail", args=[pending.pk])).content.decode()

    assert f"type {leaving}</label>" in page
    assert 'id="departures-with-bookings"' in page and "booked@school.edu): 1 upcoming booking" in page


def test_the_preview_lists_changes_to_program_admins_apart(admin_client):
    ProgramAdminFactory(email="boss@school.edu")
    pending = upload(roster(row("boss@school.edu", roles="mentee")))

    page = admin_client.get(reverse("roster:detail", args=[pending.pk])).content.decode()

    assert 'id="admin-changes"' in page and "boss@school.edu — roles admin → mentee" in page


def test_confirming_with_the_wrong_count_says_so_and_deactivates_nobody(admin_client):
    MenteeFactory(email="ann@school.edu")
    gone = MenteeFactory(email="gone@school.edu")
    pending = upload(roster(row("ann@school.edu")), full_roster=True)

    response = admin_client.post(reverse("roster:detail", args=[pending.pk]), {"deactivate_count": "999"})

    assert response.status_code == 400
    assert "to confirm" in response.content.decode()
    gone.refresh_from_db()
    assert gone.is_active


def test_confirming_a_clean_roster_imports_it_and_the_page_shows_the_result(admin_client, django_capture_on_commit_callbacks):
    pending = upload(roster(row("ann@school.edu")))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("roster:detail", args=[pending.pk]), {})

    page = admin_client.get(response["Location"]).content.decode()
    assert "1 new" in page and 'id="roster-result"' in page
    assert User.objects.filter(email="ann@school.edu").exists()


def test_the_progress_poll_shows_the_percentage_while_importing(admin_client):
    pending = upload(roster(row("ann@school.edu")))
    RosterImport.objects.filter(pk=pending.pk).update(status="running", progress=40, progress_note="Imported 400 of 1000 rows")

    response = admin_client.get(reverse("roster:progress", args=[pending.pk]), HTTP_HX_REQUEST="true")

    assert "Imported 400 of 1000 rows… 40%" in response.content.decode()


def test_the_progress_poll_reloads_the_page_once_the_import_is_done(admin_client):
    pending = upload(roster(row("ann@school.edu")))
    RosterImport.objects.filter(pk=pending.pk).update(status="imported", progress=100, finished_at=timezone.now())

    response = admin_client.get(reverse("roster:progress", args=[pending.pk]), HTTP_HX_REQUEST="true")

    assert response.headers.get("HX-Refresh") == "true"


def test_the_sample_roster_is_a_clean_file_with_this_years_classes(admin_client):
    sample = admin_client.get(reverse("roster:sample")).content.decode()

    check = check_roster(sample)
    assert check.is_clean and check.count("new") == 5


def test_a_failed_import_shows_why_on_its_page(admin_client):
    pending = upload(roster(row("ann@school.edu")))
    RosterImport.objects.filter(pk=pending.pk).update(status="failed", error="The import stopped after 0 of 1 rows.")

    page = admin_client.get(reverse("roster:detail", args=[pending.pk])).content.decode()

    assert "The import stopped after 0 of 1 rows." in page
