"""Reads for the reminder log and the weekly digest."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from notifications.models import OutboundEmail, Reminder


def reminder_log(*, status: str | None = None) -> QuerySet[Reminder]:
    """Reminders newest-due first, with what the log page shows joined in."""
    reminders = Reminder.objects.select_related(
        "recipient", "occurrence__series__subject", "email"
    ).order_by("-due_at", "-pk")
    if status:
        reminders = reminders.filter(status=status)
    return reminders


def reminder_status_counts() -> dict[str, int]:
    counts = dict(Reminder.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {value: counts.get(value, 0) for value, _ in Reminder.Status.choices}


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


def weekly_digest_stats(*, start: datetime, end: datetime) -> WeeklyDigestStats:
    """What happened in [start, end): sessions, bookings, attendance, waitlists, reminders."""
    from sessions.models import Attendance, Booking, Occurrence, WaitlistEntry

    occurrences = Occurrence.objects.filter(starts_at__gte=start, starts_at__lt=end).aggregate(
        held=Count("pk", filter=Q(status=Occurrence.Status.SCHEDULED)),
        cancelled=Count("pk", filter=Q(status=Occurrence.Status.CANCELLED)),
    )
    bookings = Booking.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        made=Count("pk"), cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED))
    )
    attendance = Attendance.objects.filter(
        occurrence__starts_at__gte=start, occurrence__starts_at__lt=end
    ).aggregate(
        attended=Count("pk", filter=Q(status=Attendance.Status.ATTENDED)),
        no_shows=Count("pk", filter=Q(status=Attendance.Status.NO_SHOW)),
    )
    waitlist = WaitlistEntry.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        joins=Count("pk"), waiting=Count("pk", filter=Q(status=WaitlistEntry.Status.WAITING))
    )
    reminders = Reminder.objects.filter(due_at__gte=start, due_at__lt=end)
    by_status = reminders.aggregate(
        sent=Count("pk", filter=Q(status=Reminder.Status.SENT)),
        skipped=Count("pk", filter=Q(status=Reminder.Status.SKIPPED)),
        failed=Count("pk", filter=Q(status=Reminder.Status.FAILED)),
        uncertain=Count("pk", filter=Q(status=Reminder.Status.UNCERTAIN)),
    )
    return WeeklyDigestStats(
        sessions_held=occurrences["held"],
        sessions_cancelled=occurrences["cancelled"],
        bookings_made=bookings["made"],
        bookings_cancelled=bookings["cancelled"],
        attended=attendance["attended"],
        no_shows=attendance["no_shows"],
        waitlist_joins=waitlist["joins"],
        still_waiting=waitlist["waiting"],
        reminders_sent=by_status["sent"],
        reminders_skipped=by_status["skipped"],
        reminders_failed=by_status["failed"],
        reminders_uncertain=by_status["uncertain"],
        emails_failed=OutboundEmail.objects.filter(
            status=OutboundEmail.Status.FAILED, created_at__gte=start, created_at__lt=end
        ).count(),
        failed_reminders=list(
            reminders.filter(status=Reminder.Status.FAILED)
            .select_related("recipient", "occurrence__series")
            .order_by("due_at")[:20]
        ),
    )
