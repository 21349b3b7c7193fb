"""Demo review sessions: a term of weekly series, half of it past (attendance, notes, ratings),
half ahead (bookings, standing bookings, full sessions with waitlists, one cancellation).

Rows are created directly rather than through the services so the demo does not queue hundreds of
emails and can place sessions in the past; the invariants the services keep (seats, one booking
per mentee, no overlapping bookings, eligible class years) are kept here too.
"""

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from sessions.models import (
    Attendance,
    Booking,
    NoteRevision,
    Occurrence,
    OutcomeNote,
    Rating,
    ReviewSeries,
    StandingBooking,
    WaitlistEntry,
)
from sessions.recurrence import weekly_slots
from sessions.services import default_class_years
from sessions.services.publishing import occurrences_for

TOPICS = {
    "default": ["High-yield review", "Practice questions", "Concept map", "Case discussion"],
}
FEEDBACK = ["Very clear, thank you!", "Loved the practice questions.", "A bit fast but useful.", "", ""]
PRIVATE_NOTES = [
    "Group solid on basics; two mentees need help with applying concepts to vignettes.",
    "Good energy. Several asked for more practice questions before the block exam.",
    "Attendance lower this week (exam next week). Covered the essentials quickly.",
]


def _overlaps(busy: list[tuple[datetime, datetime]], occ: Occurrence) -> bool:
    return any(start < occ.ends_at and occ.starts_at < end for start, end in busy)


def seed_sessions(rng: random.Random, people: dict) -> None:
    """A term of weekly series with past occurrences, attendance, notes and ratings."""
    now = timezone.now()
    today = timezone.localdate()
    term_start = today - timedelta(weeks=6)
    term_end = today + timedelta(weeks=8)
    mentees = people["mentees"]
    busy: dict[int, list[tuple[datetime, datetime]]] = {m.pk: [] for m in mentees}

    all_series: list[ReviewSeries] = []
    for i, mentor in enumerate(people["mentors"]):
        subjects = [o.subject for o in mentor.offered_subjects.select_related("subject")]
        for j in range(1 if i % 3 else 2):
            subject = subjects[j % len(subjects)]
            weekday = (i + 2 * j) % 5
            start_time = time(17, 0) if j == 0 else time(19, 30)
            holiday = term_start + timedelta(weeks=3)
            series = ReviewSeries.objects.create(
                mentor=mentor,
                subject=subject,
                title=f"{subject.name} weekly review",
                description=f"Weekly {subject.name.lower()} review with practice questions. Bring your questions!",
                weekday=weekday,
                start_time=start_time,
                duration_minutes=90,
                time_zone=settings.TIME_ZONE,
                location=f"Education building, room {100 + i * 10 + j}" if i % 4 else "",
                video_link="" if i % 4 else f"https://meet.example.edu/review-{i}-{j}",
                seats=rng.randint(4, 8),
                first_date=term_start,
                last_date=term_end,
                skip_dates=[(holiday + timedelta(days=(weekday - holiday.weekday()) % 7)).isoformat()],
                allowed_class_years=default_class_years(mentor),
            )
            slots = weekly_slots(
                first_date=term_start,
                last_date=term_end,
                weekday=weekday,
                start_time=start_time,
                duration=timedelta(minutes=90),
                time_zone=series.time_zone,
                skip_dates=series.skipped,
            )
            Occurrence.objects.bulk_create(occurrences_for(series, slots))
            all_series.append(series)

    bookings: list[Booking] = []
    waitlist: list[WaitlistEntry] = []
    attendance: list[Attendance] = []
    ratings: list[Rating] = []
    for index, series in enumerate(all_series):
        eligible = [m for m in mentees if m.class_year in series.allowed_class_years]
        occurrences = list(series.occurrences.order_by("starts_at"))
        standing = []
        if index < 3:
            for mentee in rng.sample(eligible, 2):
                if not any(_overlaps(busy[mentee.pk], o) for o in occurrences):
                    standing.append(StandingBooking.objects.create(series=series, mentee=mentee, created_at=now))
        upcoming_index = 0
        for occ in occurrences:
            past = occ.starts_at <= now
            if not past:
                upcoming_index += 1
            full = not past and upcoming_index == 1 and index % 2 == 0
            target = occ.seats if full else rng.randint(occ.seats // 2, occ.seats)
            chosen: list = []
            for sb in standing:
                chosen.append((sb.mentee, Booking.Source.SERIES, sb))
            for mentee in rng.sample(eligible, len(eligible)):
                if len(chosen) >= target:
                    break
                if any(mentee is c[0] for c in chosen) or _overlaps(busy[mentee.pk], occ):
                    continue
                chosen.append((mentee, Booking.Source.SINGLE, None))
            booked_at = min(occ.starts_at, now) - timedelta(days=rng.randint(2, 10))
            for mentee, source, sb in chosen[: occ.seats]:
                busy[mentee.pk].append((occ.starts_at, occ.ends_at))
                bookings.append(
                    Booking(occurrence=occ, mentee=mentee, source=source, standing_booking=sb, created_at=booked_at)
                )
                if past:
                    roll = rng.random()
                    status = "attended" if roll < 0.75 else "no_show" if roll < 0.9 else "excused"
                    attendance.append(
                        Attendance(occurrence=occ, mentee=mentee, status=status, recorded_by=series.mentor,
                                   recorded_at=occ.ends_at + timedelta(hours=2))
                    )
                    if status == "attended" and rng.random() < 0.6:
                        ratings.append(
                            Rating(occurrence=occ, mentee=mentee, score=rng.choice([3, 4, 4, 5, 5, 5]),
                                   feedback=rng.choice(FEEDBACK), created_at=occ.ends_at + timedelta(hours=5))
                        )
            if past and rng.random() < 0.3:
                # A late cancellation, as the reports count them.
                late = next((m for m in rng.sample(eligible, len(eligible))
                             if all(m is not c[0] for c in chosen) and not _overlaps(busy[m.pk], occ)), None)
                if late:
                    bookings.append(Booking(
                        occurrence=occ, mentee=late, status=Booking.Status.CANCELLED, late_cancel=True,
                        created_at=booked_at, cancelled_at=occ.starts_at - timedelta(minutes=45),
                    ))
            if full:
                others = [m for m in eligible if all(m is not c[0] for c in chosen)]
                for position, mentee in enumerate(rng.sample(others, min(3, len(others)))):
                    waitlist.append(WaitlistEntry(occurrence=occ, mentee=mentee, created_at=now - timedelta(hours=5 - position)))
    Booking.objects.bulk_create(bookings)
    WaitlistEntry.objects.bulk_create(waitlist)
    Attendance.objects.bulk_create(attendance)
    Rating.objects.bulk_create(ratings)

    # Notes for past sessions, except each mentor's latest one (it shows as "waiting for notes").
    for series in all_series:
        past_occurrences = list(series.occurrences.filter(starts_at__lte=now).order_by("starts_at"))
        for occ in past_occurrences[:-1]:
            written = occ.ends_at + timedelta(hours=3)
            note = OutcomeNote.objects.create(
                occurrence=occ,
                mentor=series.mentor,
                topics=f"{series.subject.name}: {rng.choice(TOPICS['default'])}",
                private_notes=rng.choice(PRIVATE_NOTES),
                follow_ups="Share the practice question set." if rng.random() < 0.5 else "",
                note_to_attendees="Slides and questions are in the shared folder." if rng.random() < 0.7 else "",
                created_at=written,
                updated_at=written,
            )
            NoteRevision.objects.create(
                note=note, editor=series.mentor, edited_at=written, topics=note.topics,
                private_notes=note.private_notes, follow_ups=note.follow_ups, note_to_attendees=note.note_to_attendees,
            )

    # One upcoming session cancelled by its mentor.
    cancelled = Occurrence.objects.filter(series=all_series[-1], starts_at__gt=now).order_by("starts_at")[1]
    Occurrence.objects.filter(pk=cancelled.pk).update(
        status=Occurrence.Status.CANCELLED, cancel_reason="Clashes with the mentor's shelf exam.",
        cancelled_at=now, sequence=1,
    )
