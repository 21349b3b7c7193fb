"""Demo check-in: the latest past session with attendance had its mentees check in from their
phones (and one walk-in, recorded as such in its attendance). Runs after sessions.demo."""

import random
from datetime import timedelta

from django.utils import timezone

from checkin.models import CheckIn
from sessions.models import Attendance, Booking, Occurrence


def seed_checkin(rng: random.Random, people: dict) -> None:
    now = timezone.now()
    occurrence = (
        Occurrence.objects.scheduled()
        .filter(ends_at__lte=now, attendance__status=Attendance.Status.ATTENDED)
        .select_related("series")
        .order_by("-starts_at")
        .first()
    )
    if occurrence is None:
        return
    attended = list(occurrence.attendance.filter(status=Attendance.Status.ATTENDED).order_by("mentee_id"))
    CheckIn.objects.bulk_create(
        CheckIn(occurrence=occurrence, mentee_id=a.mentee_id, checked_in_at=occurrence.starts_at - timedelta(minutes=rng.randint(0, 12)))
        for a in attended
    )
    busy = Booking.objects.booked().filter(
        occurrence__starts_at__lt=occurrence.ends_at, occurrence__ends_at__gt=occurrence.starts_at
    ).values_list("mentee_id", flat=True)
    walk_in = next(
        (m for m in people["mentees"] if m.pk not in set(busy) and m.class_year in occurrence.series.allowed_class_years),
        None,
    )
    if walk_in is not None:
        CheckIn.objects.create(
            occurrence=occurrence, mentee=walk_in, checked_in_at=occurrence.starts_at + timedelta(minutes=4), walk_in=True
        )
        Attendance.objects.create(
            occurrence=occurrence, mentee=walk_in, status=Attendance.Status.ATTENDED, walk_in=True,
            recorded_by=occurrence.series.mentor, recorded_at=occurrence.ends_at + timedelta(hours=2),
        )  # fmt: skip
