"""The dispatcher's rules: who gets which reminder when, and what is never sent."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from sessions.models import Reminder
from sessions.reminder_emails import prepare_reminder_email
from sessions.reminders import dispatch_due_reminders
from tests.factories import BookingFactory, MenteeFactory, OccurrenceFactory

pytestmark = pytest.mark.django_db


def session_in(delta, **booking):
    occurrence = OccurrenceFactory(starts_at=timezone.now() + delta)
    return BookingFactory(occurrence=occurrence, **booking)


def reminders_of(user):
    return sorted(Reminder.objects.filter(recipient=user).values_list("kind", "status"))


def test_the_booked_mentee_and_the_mentor_get_the_24_hour_reminder_once_it_is_due(dispatch):
    booking = session_in(timedelta(hours=23, minutes=50))

    dispatch(send=False)

    assert reminders_of(booking.mentee) == [("24h", "pending")]
    assert reminders_of(booking.occurrence.series.mentor) == [("24h", "pending")]


def test_no_reminder_is_recorded_before_its_time(dispatch):
    booking = session_in(timedelta(hours=24, minutes=5))

    dispatch(send=False)

    assert Reminder.objects.filter(occurrence=booking.occurrence).count() == 0


def test_a_due_reminder_is_emailed_to_each_person(dispatch):
    booking = session_in(timedelta(minutes=50))

    dispatch()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [booking.mentee.email, booking.occurrence.series.mentor.email]
    )
    assert set(Reminder.objects.filter(kind="1h").values_list("status", flat=True)) == {"sent"}


def test_a_user_gets_reminders_at_their_own_offsets(dispatch):
    booking = session_in(timedelta(hours=2, minutes=50), mentee=MenteeFactory(reminder_offsets_hours=[3]))

    dispatch(send=False)

    assert reminders_of(booking.mentee) == [("3h", "pending")]


def test_an_empty_offset_list_switches_reminders_off(dispatch):
    booking = session_in(timedelta(minutes=50), mentee=MenteeFactory(reminder_offsets_hours=[]))

    dispatch(send=False)

    assert reminders_of(booking.mentee) == []


def test_a_user_who_opted_out_of_email_gets_no_reminders(dispatch):
    booking = session_in(timedelta(minutes=50), mentee=MenteeFactory(email_opt_out=True))

    dispatch(send=False)

    assert reminders_of(booking.mentee) == []


def test_a_cancelled_booking_gets_no_reminder(dispatch):
    booking = session_in(timedelta(minutes=50), status="cancelled", cancelled_at=timezone.now())

    dispatch(send=False)

    assert reminders_of(booking.mentee) == []


def test_a_cancelled_session_gets_no_reminder(dispatch):
    booking = session_in(timedelta(minutes=50))
    booking.occurrence.status = "cancelled"
    booking.occurrence.cancelled_at = timezone.now()
    booking.occurrence.save()

    dispatch()

    assert Reminder.objects.count() == 0
    assert mail.outbox == []


def test_a_reminder_recorded_before_the_session_was_cancelled_is_skipped(dispatch):
    booking = session_in(timedelta(minutes=50))
    dispatch(send=False)
    booking.occurrence.status = "cancelled"
    booking.occurrence.cancelled_at = timezone.now()
    booking.occurrence.save()

    for reminder in Reminder.objects.filter(kind="1h"):
        assert prepare_reminder_email(reminder_id=reminder.pk) is None

    assert mail.outbox == []
    assert set(Reminder.objects.filter(kind="1h").values_list("status", "reason")) == {
        ("skipped", "The session was cancelled.")
    }


def test_a_reminder_recorded_before_the_booking_was_cancelled_is_skipped(dispatch):
    booking = session_in(timedelta(minutes=50))
    dispatch(send=False)
    booking.status, booking.cancelled_at = "cancelled", timezone.now()
    booking.save()

    reminder = Reminder.objects.get(recipient=booking.mentee, kind="1h")
    assert prepare_reminder_email(reminder_id=reminder.pk) is None

    reminder.refresh_from_db()
    assert (reminder.status, reminder.reason) == ("skipped", "The booking was cancelled.")


def test_a_moved_session_gets_reminders_for_its_new_time_and_not_its_old_one(dispatch):
    booking = session_in(timedelta(minutes=50))
    dispatch(send=False)
    occurrence = booking.occurrence
    occurrence.starts_at += timedelta(minutes=5)
    occurrence.ends_at += timedelta(minutes=5)
    occurrence.sequence += 1
    occurrence.save()

    dispatch()

    rows = Reminder.objects.filter(recipient=booking.mentee, kind="1h").order_by("session_starts_at")
    assert [(r.status, r.session_starts_at == occurrence.starts_at) for r in rows] == [
        ("skipped", False),
        ("sent", True),
    ]
    assert "moved" in rows[0].reason
    mentee_mail = [m for m in mail.outbox if m.to == [booking.mentee.email]]
    assert len(mentee_mail) == 1
    local = timezone.localtime(occurrence.starts_at, ZoneInfo(settings.TIME_ZONE))
    assert f"{local:%H:%M}" in mentee_mail[0].subject


def test_a_session_moved_after_its_reminder_was_sent_is_reminded_again_for_the_new_time(dispatch):
    booking = session_in(timedelta(minutes=50))
    dispatch()
    occurrence = booking.occurrence
    occurrence.starts_at += timedelta(minutes=5)
    occurrence.ends_at += timedelta(minutes=5)
    occurrence.save()

    dispatch()

    assert len([m for m in mail.outbox if m.to == [booking.mentee.email]]) == 2


def test_a_reminder_whose_session_has_started_is_skipped_not_sent_late(dispatch):
    booking = session_in(timedelta(minutes=50))
    dispatch(send=False)
    reminder = Reminder.objects.get(recipient=booking.mentee, kind="1h")

    prepare_reminder_email(reminder_id=reminder.pk, now=booking.occurrence.starts_at + timedelta(minutes=1))

    reminder.refresh_from_db()
    assert reminder.status == "skipped"
    assert "already started" in reminder.reason
    assert mail.outbox == []


def test_reminders_that_fell_due_during_an_outage_after_the_start_are_recorded_as_skipped(dispatch):
    booking = session_in(timedelta(minutes=50))

    dispatch(now=booking.occurrence.starts_at + timedelta(minutes=10))

    assert reminders_of(booking.mentee) == [("1h", "skipped"), ("24h", "skipped")]
    assert mail.outbox == []


def test_when_several_offsets_fall_due_at_once_only_the_nearest_is_sent(dispatch):
    booking = session_in(timedelta(minutes=30))

    dispatch()

    assert reminders_of(booking.mentee) == [("1h", "sent"), ("24h", "skipped")]
    assert "Superseded" in Reminder.objects.get(recipient=booking.mentee, kind="24h").reason


def test_each_offset_is_sent_when_its_time_comes(dispatch):
    booking = session_in(timedelta(hours=23))
    dispatch()

    dispatch(now=booking.occurrence.starts_at - timedelta(minutes=59))

    assert reminders_of(booking.mentee) == [("1h", "sent"), ("24h", "sent")]


def test_running_the_dispatcher_again_sends_nothing_twice(dispatch):
    booking = session_in(timedelta(minutes=50))

    dispatch()
    dispatch()
    dispatch(now=timezone.now() + timedelta(minutes=10))

    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(occurrence=booking.occurrence, status="sent").count() == 2


def test_a_reminder_task_that_runs_twice_queues_one_email(dispatch):
    session_in(timedelta(minutes=50))
    dispatch(send=False)
    reminder = Reminder.objects.filter(kind="1h").first()

    first = prepare_reminder_email(reminder_id=reminder.pk)
    second = prepare_reminder_email(reminder_id=reminder.pk)

    assert first is not None
    assert second is None


def test_the_database_refuses_a_second_row_for_the_same_reminder(dispatch):
    booking = session_in(timedelta(minutes=50))
    dispatch(send=False)
    reminder = Reminder.objects.get(recipient=booking.mentee, kind="1h")

    with pytest.raises(IntegrityError):
        Reminder.objects.create(
            occurrence=reminder.occurrence,
            recipient=reminder.recipient,
            kind=reminder.kind,
            session_starts_at=reminder.session_starts_at,
            due_at=reminder.due_at,
        )


def test_the_dispatcher_reads_a_constant_number_of_queries_whatever_the_bookings(dispatch, django_assert_max_num_queries):
    for _ in range(3):
        occurrence = OccurrenceFactory(starts_at=timezone.now() + timedelta(minutes=50))
        BookingFactory.create_batch(4, occurrence=occurrence)

    with django_assert_max_num_queries(20):
        dispatch_due_reminders()

    assert Reminder.objects.filter(kind="1h").count() == 3 * 5


def test_offsets_that_are_not_whole_hours_within_a_week_are_ignored():
    from sessions.reminders import reminder_offsets_for

    user = MenteeFactory.build(reminder_offsets_hours=[1, "24", 0, -3, 500, "soon", 24])

    assert reminder_offsets_for(user) == [1, 24]


def test_celery_beat_runs_the_dispatcher_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["sessions-dispatch-reminders"]

    assert entry["task"] == "sessions.tasks.dispatch_reminders"
    assert entry["schedule"] == 60.0
