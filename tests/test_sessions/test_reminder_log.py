"""The program admins' reminder log: sent, skipped, failed, with times; filtered and paginated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.models import Reminder
from tests.factories import MenteeFactory, MentorFactory, OccurrenceFactory, ProgramAdminFactory

pytestmark = pytest.mark.django_db


def reminder(status, **extra):
    occurrence = OccurrenceFactory()
    values = {"sent_at": timezone.now()} if status == "sent" else {}
    return Reminder.objects.create(
        occurrence=occurrence,
        recipient=MenteeFactory(),
        kind="1h",
        session_starts_at=occurrence.starts_at,
        due_at=occurrence.starts_at - timedelta(hours=1),
        status=status,
        **values,
        **extra,
    )


def test_a_program_admin_sees_failed_reminders_with_the_reason(client):
    client.force_login(ProgramAdminFactory())
    failed = reminder("failed", reason="Gave up after 5 attempts: SMTP server refused")
    reminder("sent")

    response = client.get("/sessions/reminders/?status=failed")

    assert response.status_code == 200
    content = response.content.decode()
    assert failed.recipient.email in content
    assert "SMTP server refused" in content
    assert list(response.context["page"].object_list) == [failed]


def test_a_reminder_whose_hand_off_was_cut_short_is_listed_as_may_have_been_sent_not_failed(client):
    client.force_login(ProgramAdminFactory())
    uncertain = reminder("uncertain", reason="The worker stopped while handing this email to the mail server.")
    reminder("failed", reason="Gave up after 8 attempts")

    response = client.get("/sessions/reminders/?status=uncertain")

    assert list(response.context["page"].object_list) == [uncertain]
    content = response.content.decode()
    assert "May have been sent" in content
    assert 'href="?status=uncertain">May have been sent <span class="badge text-bg-light">1</span>' in content


def test_the_log_is_paginated(client):
    client.force_login(ProgramAdminFactory())
    for _ in range(51):
        reminder("skipped", reason="The session was cancelled.")

    first = client.get("/sessions/reminders/")
    second = client.get("/sessions/reminders/?page=2")

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1


def test_mentors_and_mentees_may_not_see_the_log(client):
    for user in (MentorFactory(), MenteeFactory()):
        client.force_login(user)
        assert client.get("/sessions/reminders/").status_code == 403


def test_the_log_page_query_count_does_not_grow_with_the_reminders(client, django_assert_max_num_queries):
    client.force_login(ProgramAdminFactory())
    for _ in range(20):
        reminder("sent")

    with django_assert_max_num_queries(8):
        client.get("/sessions/reminders/")


def test_program_admins_find_the_log_in_the_navigation(client):
    client.force_login(ProgramAdminFactory())

    assert b'href="/sessions/reminders/"' in client.get("/dashboard/").content


def test_program_admins_find_failed_reminders_from_the_dashboard(client):
    client.force_login(ProgramAdminFactory())

    assert b'href="/sessions/reminders/?status=failed"' in client.get("/dashboard/").content


def test_mentees_see_no_reminder_panel_on_the_dashboard(client):
    client.force_login(MenteeFactory())

    assert b"/sessions/reminders/" not in client.get("/dashboard/").content
