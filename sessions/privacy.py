"""The sessions part of a user's data export and of account deletion (accounts.services.privacy_modules).

Deletion keeps what the program's aggregates need (past bookings, attendance, scores, notes as the
mentor's education records) and removes what the person wrote or still has pending: future seats
are released (the waitlist moves up), waitlist places end, rating comments go, and the future
sessions of a departing mentor are cancelled with the booked mentees told.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from sessions.models import Attendance, Booking, Occurrence, Rating, ReviewSeries, StandingBooking, WaitlistEntry

if TYPE_CHECKING:
    from accounts.models import User


def _when(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def export_user_data(user: "User") -> dict[str, list[dict[str, Any]]]:
    bookings = Booking.objects.filter(mentee=user).select_related("occurrence__series__subject").order_by("created_at")
    return {
        "bookings": [
            {
                "session": b.occurrence.series.title,
                "subject": b.occurrence.series.subject.name,
                "starts_at": _when(b.occurrence.starts_at),
                "status": b.status,
                "source": b.source,
                "late_cancel": b.late_cancel,
                "booked_at": _when(b.created_at),
                "cancelled_at": _when(b.cancelled_at),
            }
            for b in bookings
        ],
        "waitlist": [
            {"session": w.occurrence.series.title, "starts_at": _when(w.occurrence.starts_at), "status": w.status}
            for w in WaitlistEntry.objects.filter(mentee=user).select_related("occurrence__series")
        ],
        "attendance": [
            {"session": a.occurrence.series.title, "starts_at": _when(a.occurrence.starts_at), "status": a.status,
             "walk_in": a.walk_in}
            for a in Attendance.objects.filter(mentee=user).select_related("occurrence__series")
        ],
        "ratings_given": [
            {"session": r.occurrence.series.title, "score": r.score, "feedback": r.feedback}
            for r in Rating.objects.filter(mentee=user).select_related("occurrence__series")
        ],
        "series_run": [
            {"title": s.title, "subject": s.subject.name, "weekday": s.get_weekday_display(),
             "start_time": s.start_time.isoformat(), "first_date": s.first_date.isoformat(),
             "last_date": s.last_date.isoformat(), "status": s.status}
            for s in ReviewSeries.objects.filter(mentor=user).select_related("subject")
        ],
    }


def erase_user_data(user: "User") -> None:
    from sessions.services import cancel_occurrences, promote_waitlist

    now = timezone.now()
    with transaction.atomic():
        future = list(Booking.objects.booked().filter(mentee=user, occurrence__starts_at__gt=now))
        Booking.objects.filter(pk__in=[b.pk for b in future]).update(
            status=Booking.Status.CANCELLED, cancelled_at=now
        )
        StandingBooking.objects.filter(mentee=user, active=True).update(active=False, ended_at=now)
        open_places = WaitlistEntry.objects.filter(mentee=user, status__in=WaitlistEntry.OPEN_STATUSES)
        offered_in = set(open_places.filter(status=WaitlistEntry.Status.OFFERED).values_list("occurrence_id", flat=True))
        open_places.update(status=WaitlistEntry.Status.LEFT, left_at=now)
        Rating.objects.filter(mentee=user).update(feedback="")
        for occurrence_id in sorted({b.occurrence_id for b in future} | offered_in):
            promote_waitlist(occurrence=Occurrence(pk=occurrence_id), now=now)
        running = list(Occurrence.objects.upcoming(now).filter(series__mentor=user))
        if running:
            cancel_occurrences(occurrences=running, by=user, reason="The mentor has left the program.", now=now)
        ReviewSeries.objects.filter(mentor=user, status=ReviewSeries.Status.ACTIVE).update(
            status=ReviewSeries.Status.CANCELLED, cancelled_at=now
        )
