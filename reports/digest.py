"""The weekly digest for program admins: last week's sessions, bookings, attendance and reminders."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.services import queue_templated_email
from sessions.models import Attendance, Booking, Occurrence, Reminder, WaitlistEntry

DIGEST_LOCAL_HOUR = 7


@dataclass
class WeeklyDigestStats:
    sessions_held: int
    sessions_cancelled: int
    bookings_made: int
    bookings_cancelled: int
    attended: int
    no_shows: int
    waitlist_joins: int
    still_waiting: int
    reminders_sent: int
    reminders_skipped: int
    reminders_failed: int
    reminders_uncertain: int  # "may have been sent": a worker died while handing it to the mail server
    emails_failed: int
    failed_reminders: list[Reminder]


def _count(status: str) -> Count:
    return Count("pk", filter=Q(status=status))


def weekly_digest_stats(*, start: datetime, end: datetime) -> WeeklyDigestStats:
    """What happened in [start, end): sessions, bookings, attendance, waitlists, reminders."""
    # Each aggregate is named after the field of WeeklyDigestStats it fills.
    occurrences = Occurrence.objects.filter(starts_at__gte=start, starts_at__lt=end).aggregate(
        sessions_held=_count(Occurrence.Status.SCHEDULED), sessions_cancelled=_count(Occurrence.Status.CANCELLED)
    )
    bookings = Booking.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        bookings_made=Count("pk"), bookings_cancelled=_count(Booking.Status.CANCELLED)
    )
    attendance = Attendance.objects.filter(occurrence__starts_at__gte=start, occurrence__starts_at__lt=end).aggregate(
        attended=_count(Attendance.Status.ATTENDED), no_shows=_count(Attendance.Status.NO_SHOW)
    )
    waitlist = WaitlistEntry.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        waitlist_joins=Count("pk"), still_waiting=_count(WaitlistEntry.Status.WAITING)
    )
    reminders = Reminder.objects.filter(due_at__gte=start, due_at__lt=end)
    by_status = reminders.aggregate(
        reminders_sent=_count(Reminder.Status.SENT),
        reminders_skipped=_count(Reminder.Status.SKIPPED),
        reminders_failed=_count(Reminder.Status.FAILED),
        reminders_uncertain=_count(Reminder.Status.UNCERTAIN),
    )
    return WeeklyDigestStats(
        **occurrences,
        **bookings,
        **attendance,
        **waitlist,
        **by_status,
        emails_failed=OutboundEmail.objects.filter(
            status=OutboundEmail.Status.FAILED, created_at__gte=start, created_at__lt=end
        ).count(),
        failed_reminders=list(
            reminders.filter(status=Reminder.Status.FAILED)
            .select_related("recipient", "occurrence__series")
            .order_by("due_at")[:20]
        ),
    )


def digest_week(now: datetime) -> tuple[datetime, datetime] | None:
    """Last week's [Monday 00:00, Monday 00:00) in the program's zone, once this week's Monday
    morning (DIGEST_LOCAL_HOUR) has come; the run that finds it first sends the digest."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    monday: date = local.date() - timedelta(days=local.weekday())
    this_week = datetime.combine(monday, time(0), tzinfo=zone)
    if local < datetime.combine(monday, time(DIGEST_LOCAL_HOUR), tzinfo=zone):
        return None
    return datetime.combine(monday - timedelta(days=7), time(0), tzinfo=zone), this_week


def send_weekly_digests(*, now: datetime | None = None) -> int:
    """Queue last week's digest to every program admin (once per admin and week). Returns how many."""
    now = now or timezone.now()
    week = digest_week(now)
    if week is None:
        return 0
    start, end = week
    admins = list(get_user_model().objects.filter(is_program_admin=True, is_active=True, email_opt_out=False))
    keys = {admin.pk: f"weekly_digest:{admin.pk}:{start.date().isoformat()}" for admin in admins}
    done = set(OutboundEmail.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    todo = [admin for admin in admins if keys[admin.pk] not in done]
    if not todo:
        return 0
    stats = weekly_digest_stats(start=start, end=end)
    queued = 0
    with transaction.atomic(), timezone.override(ZoneInfo(settings.TIME_ZONE)):
        for admin in todo:
            email = queue_templated_email(
                to=admin,
                kind="weekly_digest",
                template="reports/email/weekly_digest",
                context={
                    "recipient": admin,
                    "stats": stats,
                    "week_start": start,
                    "week_end": end - timedelta(days=1),
                    "log_url": settings.SITE_URL + reverse("sessions:reminder_log") + "?status=failed",
                },
                zone=ZoneInfo(settings.TIME_ZONE),  # the program's week, whoever reads it
                dedupe_key=keys[admin.pk],
            )
            queued += email is not None
    return queued
