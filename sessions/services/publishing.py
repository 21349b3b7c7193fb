"""Publishing and editing series and occurrences, and cancelling them (mentors)."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core import locking
from core.errors import clean_or_refuse
from sessions.errors import (
    InvalidSchedule,
    NotAllowed,
    NotBookable,
    Overlap,
    TooLate,
)
from sessions.models import (
    MAX_SERIES_DAYS,
    Booking,
    Occurrence,
    ReviewSeries,
    StandingBooking,
    WaitlistEntry,
)
from sessions.recurrence import Slot, local_instant, weekly_slots
from sessions.selectors import booked_sessions_by_mentee
from sessions.services.common import (
    _check_duration,
    _check_planned_within_horizon,
    _check_seats,
    _describe,
    _email_context,
    _ics_attachment,
    _lock_occurrence,
    _lock_user,
    _mentor_clash,
    _now,
    _occurrences_with_series,
    _require_series_mentor,
    _send_email,
    default_class_years,
)
from sessions.services.waitlist import promote_waitlist
from teaching.services import require_ready_to_publish

if TYPE_CHECKING:
    from accounts.models import User
    from subjects.models import Subject


# ---------------------------------------------------------------------------
# Publishing and editing (mentors)
# ---------------------------------------------------------------------------
def publish_series(
    *,
    mentor: "User",
    subject: "Subject",
    title: str,
    weekday: int,
    start_time: time,
    duration_minutes: int,
    seats: int,
    first_date: date,
    last_date: date,
    description: str = "",
    location: str = "",
    video_link: str = "",
    skip_dates: Iterable[date] = (),
    allowed_class_years: Iterable[int] | None = None,
    matched_mentees_only: bool = False,
    now: datetime | None = None,
) -> ReviewSeries:
    """Create a weekly series and one occurrence per week of the term, all or nothing.

    Refuses a non-mentor, seats < 1, a series ending before it starts, a date in the past, a local
    start time that does not exist on some date (DST gap), and overlaps with the mentor's other sessions.
    """
    now = _now(now)
    if not mentor.is_mentor:
        raise NotAllowed("Only approved mentors can publish sessions.")
    require_ready_to_publish(mentor=mentor, today=timezone.localdate(now))
    _check_seats(seats)
    _check_duration(duration_minutes)
    if not (location.strip() or video_link.strip()):
        raise InvalidSchedule("Give a room or a video link.", field="location")
    if last_date < first_date:
        raise InvalidSchedule("The last date is before the first date.", field="last_date")
    _check_planned_within_horizon(last_date, now, "last_date")
    if (last_date - first_date).days > MAX_SERIES_DAYS:
        raise InvalidSchedule("A series can run for at most a year; publish a new one next term.", field="last_date")
    today = timezone.localtime(now).date()
    if first_date < today:
        raise InvalidSchedule("The first date is in the past.", field="first_date")
    skip = sorted(set(skip_dates))
    years = sorted(set(allowed_class_years)) if allowed_class_years else default_class_years(mentor)
    if any(y not in (1, 2, 3, 4) for y in years):
        raise InvalidSchedule("Class years must be between MS1 and MS4.", field="allowed_class_years")

    time_zone = settings.TIME_ZONE
    slots = weekly_slots(
        first_date=first_date,
        last_date=last_date,
        weekday=weekday,
        start_time=start_time,
        duration=timedelta(minutes=duration_minutes),
        time_zone=time_zone,
        skip_dates=skip,
    )
    if not slots:
        raise InvalidSchedule("No session falls between these dates on that weekday.", field="last_date")
    if slots[0].starts_at <= now:
        raise InvalidSchedule("The first session would start in the past.", field="first_date")

    with transaction.atomic():
        _lock_user(mentor.pk)
        clash = _mentor_clash(mentor, [(s.starts_at, s.ends_at) for s in slots])
        if clash:
            raise Overlap(f"This overlaps your session {_describe(clash)}.", field="start_time")
        series = ReviewSeries(
            mentor=mentor,
            subject=subject,
            title=title.strip(),
            description=description.strip(),
            weekday=weekday,
            start_time=start_time,
            duration_minutes=duration_minutes,
            time_zone=time_zone,
            location=location.strip(),
            video_link=video_link.strip(),
            seats=seats,
            first_date=first_date,
            last_date=last_date,
            skip_dates=[d.isoformat() for d in skip],
            allowed_class_years=years,
            matched_mentees_only=matched_mentees_only,
        )
        clean_or_refuse(series, InvalidSchedule)
        series.save()
        Occurrence.objects.bulk_create(occurrences_for(series, slots))
    return series


def occurrences_for(series: ReviewSeries, slots: Iterable[Slot]) -> list[Occurrence]:
    """The series' occurrences at `slots` (unsaved), each with the series' seats, room and link."""
    return [
        Occurrence(
            series=series,
            series_date=s.series_date,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            seats=series.seats,
            location=series.location,
            video_link=series.video_link,
        )
        for s in slots
    ]


def edit_occurrence(
    *,
    occurrence: Occurrence,
    editor: "User",
    starts_at: datetime | None = None,
    duration_minutes: int | None = None,
    location: str | None = None,
    video_link: str | None = None,
    seats: int | None = None,
    now: datetime | None = None,
) -> Occurrence:
    """Move one occurrence, change its room/link or seats. Booked mentees are emailed the change.

    `starts_at` is an aware datetime (any zone). Seats cannot drop below the seats already booked;
    more seats promote the waitlist.
    """
    now = _now(now)
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        _require_series_mentor(occurrence.series, editor)
        if occurrence.is_cancelled:
            raise NotBookable("This session is cancelled.")
        if occurrence.has_started(now):
            raise TooLate("This session has already started; it can no longer be changed.")
        new_start = starts_at or occurrence.starts_at
        if duration_minutes is not None:
            _check_duration(duration_minutes)  # before timedelta(): 10^14 minutes overflows it
        duration = timedelta(minutes=duration_minutes) if duration_minutes is not None else occurrence.duration
        _check_planned_within_horizon(timezone.localtime(new_start).date(), now, "date")
        if new_start <= now:
            raise InvalidSchedule("The new time is in the past.", field="starts_at")
        new_end = new_start + duration
        moved = (new_start, new_end) != (occurrence.starts_at, occurrence.ends_at)
        if moved:
            clash = _mentor_clash(editor, [(new_start, new_end)], exclude_ids=[occurrence.pk])
            if clash:
                raise Overlap(f"This overlaps your session {_describe(clash)}.", field="starts_at")
        booked = occurrence.bookings.booked().count()
        if seats is not None:
            _check_seats(seats)
            if seats < booked:
                raise InvalidSchedule(
                    f"{booked} mentees are already booked; seats cannot go below that.", field="seats"
                )
        changes = []
        if moved:
            changes.append("time")
        if location is not None and location.strip() != occurrence.location:
            changes.append("room")
        if video_link is not None and video_link.strip() != occurrence.video_link:
            changes.append("video link")
        occurrence.starts_at, occurrence.ends_at = new_start, new_end
        if location is not None:
            occurrence.location = location.strip()
        if video_link is not None:
            occurrence.video_link = video_link.strip()
        if not (occurrence.location or occurrence.video_link):
            raise InvalidSchedule("Give a room or a video link.", field="location")
        seats_grew = seats is not None and seats > occurrence.seats
        if seats is not None:
            occurrence.seats = seats
        occurrence.record_change()
        clean_or_refuse(occurrence, InvalidSchedule)
        occurrence.save()
        if changes:
            _notify_changed([occurrence], changes)
        if seats_grew:
            promote_waitlist(occurrence=occurrence, now=now)
    return occurrence


def edit_series_from(
    *,
    series: ReviewSeries,
    editor: "User",
    from_date: date,
    title: str | None = None,
    description: str | None = None,
    start_time: time | None = None,
    duration_minutes: int | None = None,
    location: str | None = None,
    video_link: str | None = None,
    seats: int | None = None,
    now: datetime | None = None,
) -> list[Occurrence]:
    """Change the series and every scheduled, future occurrence on or after `from_date`.

    Times are recomputed from each occurrence's week date and the new local start time (a moved
    occurrence snaps back to the series rule). All or nothing; booked mentees are emailed once each.
    """
    now = _now(now)
    _require_series_mentor(series, editor)
    if seats is not None:
        _check_seats(seats)
    if duration_minutes is not None:
        _check_duration(duration_minutes)
    with transaction.atomic():
        occurrences = locking.lock_rows(
            _occurrences_with_series().scheduled().filter(series=series, series_date__gte=from_date, starts_at__gt=now)
        )
        series = locking.lock(ReviewSeries.objects.all(), series.pk)
        if series.status != ReviewSeries.Status.ACTIVE:
            raise NotBookable("This series is cancelled.")
        if not occurrences:
            raise InvalidSchedule("No upcoming session of this series on or after that date.", field="from_date")
        new_start_time = start_time or series.start_time
        minutes = duration_minutes or series.duration_minutes
        retime = start_time is not None or duration_minutes is not None
        new_times: dict[int, tuple[datetime, datetime]] = {}
        if retime:
            for occ in occurrences:
                start = local_instant(occ.series_date, new_start_time, series.time_zone)
                if start <= now:
                    raise InvalidSchedule(
                        f"The session of {occ.series_date:%d %B} would move into the past.", field="start_time"
                    )
                new_times[occ.pk] = (start, start + timedelta(minutes=minutes))
            clash = _mentor_clash(editor, new_times.values(), exclude_ids=new_times.keys())
            if clash:
                raise Overlap(f"This overlaps your session {_describe(clash)}.", field="start_time")
        if seats is not None:
            booked = dict(
                Booking.objects.booked()
                .filter(occurrence__in=occurrences)
                .values_list("occurrence")
                .annotate(n=Count("pk"))
            )
            fullest = max(booked.values(), default=0)
            if seats < fullest:
                raise InvalidSchedule(
                    f"One session already has {fullest} mentees booked; seats cannot go below that.", field="seats"
                )

        for name, value in (
            ("title", title),
            ("description", description),
            ("location", location),
            ("video_link", video_link),
        ):
            if value is not None:
                setattr(series, name, value.strip())
        if start_time is not None:
            series.start_time = start_time
        if duration_minutes is not None:
            series.duration_minutes = duration_minutes
        if seats is not None:
            series.seats = seats
        if not (series.location or series.video_link):
            raise InvalidSchedule("Give a room or a video link.", field="location")
        clean_or_refuse(series, InvalidSchedule)
        series.save()

        changed, grown = [], []
        for occ in occurrences:
            what = []
            if occ.pk in new_times and new_times[occ.pk] != (occ.starts_at, occ.ends_at):
                occ.starts_at, occ.ends_at = new_times[occ.pk]
                what.append("time")
            if location is not None and occ.location != series.location:
                occ.location = series.location
                what.append("room")
            if video_link is not None and occ.video_link != series.video_link:
                occ.video_link = series.video_link
                what.append("video link")
            if seats is not None and occ.seats != seats:
                if seats > occ.seats:
                    grown.append(occ)
                occ.seats = seats
                what.append("seats")
            if what or title is not None:
                occ.record_change()
                changed.append((occ, what))
        Occurrence.objects.bulk_update(
            [occ for occ, _ in changed],
            ["starts_at", "ends_at", "location", "video_link", "seats", "sequence", "updated_at"],
        )
        visible = [occ for occ, what in changed if set(what) - {"seats"}]
        if visible:
            kinds = sorted({w for _, what in changed for w in what} - {"seats"})
            _notify_changed(visible, kinds)
        for occ in grown:
            promote_waitlist(occurrence=occ, now=now)
    return occurrences


def _notify_changed(occurrences: list[Occurrence], changes: list[str]) -> None:
    """One email per booked mentee listing the changed occurrences."""
    for mentee, occs in booked_sessions_by_mentee([o.pk for o in occurrences]):
        first = occs[0]
        _send_email(
            to=mentee,
            kind="session_changed",
            template="sessions/email/session_changed",
            context=_email_context(
                first,
                mentee=mentee,
                changes=", ".join(changes),
                sessions=[(o, o.starts_at) for o in occs],
            ),
            attachments=_ics_attachment(occs, mentee),
        )


def cancel_occurrence(*, occurrence: Occurrence, by: "User", reason: str, now: datetime | None = None) -> Occurrence:
    """Cancel one occurrence with a reason; every booked mentee is emailed, the waitlist closes."""
    return cancel_occurrences(occurrences=[occurrence], by=by, reason=reason, now=now)[0]


def cancel_occurrences(*, occurrences: list[Occurrence], by: "User", reason: str, now: datetime | None = None) -> list[Occurrence]:
    """Cancel occurrences of the `by` mentor's series (or any, for a program admin), all or nothing."""
    now = _now(now)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidSchedule("Give a reason; the booked mentees will see it.", field="reason")
    with transaction.atomic():
        locked = locking.lock_rows(_occurrences_with_series().filter(pk__in=[o.pk for o in occurrences]))
        for occ in locked:
            if not by.is_program_admin:  # program admins cancel sessions on a new holiday (program app)
                _require_series_mentor(occ.series, by)
            if occ.is_cancelled:
                raise NotBookable(f"The session {_describe(occ)} is already cancelled.")
            if occ.has_started(now):
                raise TooLate(f"The session {_describe(occ)} has already started.")
        ids = [o.pk for o in locked]
        for occ in locked:
            occ.status = Occurrence.Status.CANCELLED
            occ.cancel_reason = reason[:500]
            occ.cancelled_at = now
            occ.record_change()
        Occurrence.objects.bulk_update(
            locked, ["status", "cancel_reason", "cancelled_at", "sequence", "updated_at"]
        )
        WaitlistEntry.objects.filter(occurrence_id__in=ids, status__in=WaitlistEntry.OPEN_STATUSES).update(
            status=WaitlistEntry.Status.CLOSED, left_at=now
        )
        for mentee, occs in booked_sessions_by_mentee(ids):
            _send_email(
                to=mentee,
                kind="session_cancelled",
                template="sessions/email/session_cancelled",
                context=_email_context(
                    occs[0],
                    mentee=mentee,
                    reason=reason,
                    sessions=[(o, o.starts_at) for o in occs],
                ),
                attachments=_ics_attachment(occs, mentee),
            )
    return locked


def cancel_series_from(*, series: ReviewSeries, by: "User", from_date: date, reason: str, now: datetime | None = None) -> list[Occurrence]:
    """Cancel every scheduled, future occurrence on or after `from_date`; booked mentees get one email each.

    When nothing scheduled remains ahead, the series itself is marked cancelled and standing bookings end.
    """
    now = _now(now)
    _require_series_mentor(series, by)
    with transaction.atomic():
        targets = list(
            Occurrence.objects.scheduled().filter(series=series, series_date__gte=from_date, starts_at__gt=now)
        )
        if not targets:
            raise InvalidSchedule("No upcoming session of this series on or after that date.", field="from_date")
        cancelled = cancel_occurrences(occurrences=targets, by=by, reason=reason, now=now)
        if not Occurrence.objects.upcoming(now).filter(series=series).exists():
            ReviewSeries.objects.filter(pk=series.pk).update(
                status=ReviewSeries.Status.CANCELLED, cancelled_at=now, updated_at=now
            )
            StandingBooking.objects.filter(series=series, active=True).update(active=False, ended_at=now)
    return cancelled
