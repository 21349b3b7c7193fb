"""Every write review sessions allow: publish, edit, cancel, book, waitlist, attend, note, rate.

Each service owns its transaction. Whatever reads seats and then writes a booking locks the
occurrence row first (core.locking), so on PostgreSQL two mentees can never take the same
last seat; SQLite runs IMMEDIATE transactions (one writer at a time). Lock order is always
occurrences (by id) before the mentee's user row (core.locking.LOCK_ORDER), so concurrent
services cannot deadlock.
Services raise `sessions.errors.SessionError` subclasses with messages a user can read.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core import locking
from mentorship.selectors import active_mentee_ids_for
from notifications.services import queue_templated_email
from sessions.calendar import ics_attachment, occurrence_url
from sessions.errors import (
    AlreadyBooked,
    AlreadyRated,
    InvalidSchedule,
    NotAllowed,
    NotAttended,
    NotBookable,
    NotEligibleToBook,
    NothingToUndo,
    Overlap,
    SeatsLeft,
    SessionError,
    SessionFull,
    TooLate,
)
from sessions.models import (
    MAX_DURATION_MINUTES,
    MAX_SEATS,
    MAX_SERIES_DAYS,
    PLANNING_HORIZON,
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
from sessions.recurrence import intervals_overlap, local_instant, weekly_slots
from sessions.rules import see_video_link
from sessions.selectors import booked_sessions_by_mentee

User = get_user_model()



# ---------------------------------------------------------------------------
# Helpers shared by the services
# ---------------------------------------------------------------------------
def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _require_series_mentor(series: ReviewSeries, user) -> None:
    if series.mentor_id != user.pk:
        raise NotAllowed("Only the mentor who runs this series can change it.")


def _check_seats(seats: int) -> None:
    if seats is None or seats < 1:
        raise InvalidSchedule("A session needs at least one seat.", field="seats")
    if seats > MAX_SEATS:
        raise InvalidSchedule(f"A session can have at most {MAX_SEATS} seats.", field="seats")


def _check_duration(minutes: int) -> None:
    if minutes is None or not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise InvalidSchedule(
            f"The duration must be between 1 and {MAX_DURATION_MINUTES} minutes (8 hours).", field="duration_minutes"
        )


def _check_planned_within_horizon(day: date, now: datetime, field: str) -> None:
    """Sessions are planned at most two years ahead (and far dates overflow the time arithmetic)."""
    limit = timezone.localtime(now).date() + PLANNING_HORIZON
    if day > limit:
        raise InvalidSchedule(f"Sessions can be planned up to {limit:%d %B %Y} (two years ahead).", field=field)


def default_class_years(mentor) -> list[int]:
    """Mentees below the mentor's class year (MS1..MS3 for an MS4); MS1-MS2 if the year is unknown."""
    year = mentor.class_year
    return list(range(1, year)) if year and year > 1 else [1, 2]


def _mentor_clash(mentor, slots: Iterable[tuple[datetime, datetime]], *, exclude_ids: Iterable[int] = ()) -> Occurrence | None:
    """The first scheduled occurrence of `mentor` overlapping any of `slots` (one query)."""
    slots = list(slots)
    if not slots:
        return None
    earliest = min(start for start, _ in slots)
    latest = max(end for _, end in slots)
    existing = list(
        Occurrence.objects.scheduled()
        .filter(series__mentor=mentor, starts_at__lt=latest, ends_at__gt=earliest)
        .exclude(pk__in=list(exclude_ids))
        .select_related("series")
    )
    for start, end in slots:
        for other in existing:
            if intervals_overlap(start, end, other.starts_at, other.ends_at):
                return other
    return None


def _describe(occurrence: Occurrence) -> str:
    local = timezone.localtime(occurrence.starts_at)
    return f"{occurrence.series.title} on {local:%a %d %b at %H:%M} ({local.tzname()})"


def _email_context(occurrence: Occurrence, **extra) -> dict:
    """Templates show times with the `zoned` filter, in the recipient's zone (see _send_email).

    The video link only for a recipient who may book the session (sessions.rules.see_video_link).
    """
    series = occurrence.series
    mentee = extra.get("mentee")
    return {
        "occurrence": occurrence,
        "series": series,
        "video_link": occurrence.video_link_for(mentee),
        "show_video_links": bool(mentee) and see_video_link(mentee, series),
        "url": occurrence_url(occurrence),
        **extra,
    }


# Emails about what the mentee did (or got from the waitlist) follow their "bookings" preference;
# a session cancelled or moved by the mentor is essential: missing it means a wasted trip.
OPTIONAL_KINDS = {"booking_confirmed", "booking_cancelled", "series_booked", "waitlist_promoted"}


def _send_email(*, to, kind: str, template: str, context: dict, **extra) -> None:
    """Queue an email; queue_templated_email renders it in the recipient's zone, whoever's request
    triggered it, and the templates name the zone with every time (zoned_times)."""
    from accounts.preferences import wants_email

    if kind in OPTIONAL_KINDS and not wants_email(to, "bookings"):
        return
    if not to.is_active:
        return
    queue_templated_email(to=to, kind=kind, template=template, context=context, **extra)


def _ics_attachment(occurrences: Iterable[Occurrence], recipient) -> list[dict]:
    """The events as `recipient`'s calendar must now show them (their SEQUENCE and STATUS)."""
    return [ics_attachment(*occurrences, recipient=recipient)]


def _occurrences_with_series() -> "QuerySet[Occurrence]":
    return Occurrence.objects.select_related("series", "series__mentor", "series__subject")


def _lock_occurrence(occurrence_id: int) -> Occurrence:
    return locking.lock(_occurrences_with_series(), occurrence_id)


def _lock_user(user_id: int) -> User:
    # Serialises one mentee's concurrent bookings, so two overlapping sessions cannot both pass the check.
    return locking.lock(User.objects.all(), user_id)


# ---------------------------------------------------------------------------
# Publishing and editing (mentors)
# ---------------------------------------------------------------------------
def publish_series(
    *,
    mentor,
    subject,
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
        series.full_clean()
        series.save()
        Occurrence.objects.bulk_create(
            Occurrence(
                series=series,
                series_date=s.series_date,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                seats=seats,
                location=series.location,
                video_link=series.video_link,
            )
            for s in slots
        )
    return series


def edit_occurrence(
    *,
    occurrence: Occurrence,
    editor,
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
        occurrence.full_clean()
        occurrence.save()
        if changes:
            _notify_changed([occurrence], changes)
        if seats_grew:
            promote_waitlist(occurrence=occurrence, now=now)
    return occurrence


def edit_series_from(
    *,
    series: ReviewSeries,
    editor,
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
        series.full_clean()
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


def cancel_occurrence(*, occurrence: Occurrence, by, reason: str, now: datetime | None = None) -> Occurrence:
    """Cancel one occurrence with a reason; every booked mentee is emailed, the waitlist closes."""
    return cancel_occurrences(occurrences=[occurrence], by=by, reason=reason, now=now)[0]


def cancel_occurrences(*, occurrences: list[Occurrence], by, reason: str, now: datetime | None = None) -> list[Occurrence]:
    now = _now(now)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidSchedule("Give a reason; the booked mentees will see it.", field="reason")
    with transaction.atomic():
        locked = locking.lock_rows(_occurrences_with_series().filter(pk__in=[o.pk for o in occurrences]))
        for occ in locked:
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
        WaitlistEntry.objects.filter(occurrence_id__in=ids, status=WaitlistEntry.Status.WAITING).update(
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


def cancel_series_from(*, series: ReviewSeries, by, from_date: date, reason: str, now: datetime | None = None) -> list[Occurrence]:
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


# ---------------------------------------------------------------------------
# Booking (mentees)
# ---------------------------------------------------------------------------
def check_eligible(*, series: ReviewSeries, mentee) -> None:
    """Raise NotEligibleToBook unless `mentee` may book this series (role, class year, matched-only)."""
    if series.mentor_id == mentee.pk:
        raise NotEligibleToBook("You run this session; you cannot book a seat in it.")
    if not mentee.is_mentee:
        raise NotEligibleToBook("Only mentees can book sessions.")
    years = series.allowed_class_years
    if years and mentee.class_year not in years:
        allowed = ", ".join(f"MS{y}" for y in years)
        raise NotEligibleToBook(f"This series is open to {allowed} students only.")
    if series.matched_mentees_only and mentee.pk not in active_mentee_ids_for(series.mentor):
        raise NotEligibleToBook("This series is open to the mentor's matched mentees only.")


def _check_bookable(occurrence: Occurrence, now: datetime) -> None:
    if occurrence.is_cancelled or occurrence.series.status != ReviewSeries.Status.ACTIVE:
        raise NotBookable("This session is cancelled.")
    if occurrence.has_started(now):
        raise NotBookable("This session has already started or is over.")


def _mentee_clash(mentee, occurrence: Occurrence) -> Occurrence | None:
    """A scheduled session the mentee booked or runs that overlaps `occurrence`."""
    return (
        Occurrence.objects.scheduled()
        .filter(starts_at__lt=occurrence.ends_at, ends_at__gt=occurrence.starts_at)
        .filter(Q(bookings__mentee=mentee, bookings__status=Booking.Status.BOOKED) | Q(series__mentor=mentee))
        .exclude(pk=occurrence.pk)
        .select_related("series")
        .first()
    )


def _book_locked(
    occurrence: Occurrence,
    mentee,
    *,
    now: datetime,
    source: str,
    standing: StandingBooking | None = None,
) -> Booking:
    """Book a seat; the caller holds the lock on the occurrence row (and the mentee's)."""
    _check_bookable(occurrence, now)
    check_eligible(series=occurrence.series, mentee=mentee)
    if occurrence.bookings.booked().filter(mentee=mentee).exists():
        raise AlreadyBooked("You already have a seat in this session.")
    if occurrence.bookings.booked().count() >= occurrence.seats:
        raise SessionFull("This session is full. Join the waitlist to get the next free seat.")
    clash = _mentee_clash(mentee, occurrence)
    if clash:
        raise Overlap(f"You already have a session at that time: {_describe(clash)}.")
    booking = Booking.objects.create(
        occurrence=occurrence, mentee=mentee, source=source, standing_booking=standing, created_at=now
    )
    WaitlistEntry.objects.filter(occurrence=occurrence, mentee=mentee, status=WaitlistEntry.Status.WAITING).update(
        status=WaitlistEntry.Status.LEFT, left_at=now
    )
    return booking


def _refuse_if_plainly_full(occurrence: Occurrence, mentee) -> None:
    """Unlocked pre-check: when a popular session fills, the crowd behind it is refused without
    queueing for its row lock. Only a definite "full" is decided here; the locked path decides the rest."""
    state = (
        Occurrence.objects.filter(pk=occurrence.pk, status=Occurrence.Status.SCHEDULED)
        .with_seats_left()
        .annotate(mine=Exists(Booking.objects.booked().filter(occurrence=OuterRef("pk"), mentee=mentee)))
        .values("seats_left", "mine")
        .first()
    )
    if state and state["seats_left"] <= 0 and not state["mine"]:
        raise SessionFull("This session is full. Join the waitlist to get the next free seat.")


def book_seat(*, occurrence: Occurrence, mentee, now: datetime | None = None) -> Booking:
    """Book one seat in one occurrence and email a confirmation (with an .ics).

    Raises NotBookable (cancelled, started), NotEligibleToBook, AlreadyBooked, SessionFull (offer the
    waitlist) or Overlap. Safe under concurrency: the occurrence row is locked while seats are counted.
    """
    now = _now(now)
    _refuse_if_plainly_full(occurrence, mentee)
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        _lock_user(mentee.pk)
        booking = _book_locked(occurrence, mentee, now=now, source=Booking.Source.SINGLE)
        _send_email(
            to=mentee,
            kind="booking_confirmed",
            template="sessions/email/booking_confirmed",
            context=_email_context(occurrence, mentee=mentee, booking=booking),
            attachments=_ics_attachment([occurrence], mentee),
        )
    return booking


@dataclass
class SeriesBookingResult:
    standing: StandingBooking
    booked: list[Booking] = field(default_factory=list)
    waitlisted: list[WaitlistEntry] = field(default_factory=list)
    skipped: list[tuple[Occurrence, str]] = field(default_factory=list)


def book_series(*, series: ReviewSeries, mentee, now: datetime | None = None) -> SeriesBookingResult:
    """A standing booking: a seat in every future occurrence, each counted against its own seats.

    Full occurrences put the mentee on their waitlist; overlapping ones are skipped with a reason.
    One summary email. Raises NotEligibleToBook / NotBookable / AlreadyBooked before anything is saved.
    """
    now = _now(now)
    with transaction.atomic():
        occurrences = locking.lock_rows(_occurrences_with_series().filter(series=series).upcoming(now))
        _lock_user(mentee.pk)
        series = ReviewSeries.objects.get(pk=series.pk)
        if series.status != ReviewSeries.Status.ACTIVE:
            raise NotBookable("This series is cancelled.")
        check_eligible(series=series, mentee=mentee)
        if not occurrences:
            raise NotBookable("This series has no upcoming sessions.")
        if StandingBooking.objects.filter(series=series, mentee=mentee, active=True).exists():
            raise AlreadyBooked("You already booked the whole series.")
        standing = StandingBooking.objects.create(series=series, mentee=mentee, created_at=now)
        result = SeriesBookingResult(standing=standing)
        for occ in sorted(occurrences, key=lambda o: o.starts_at):
            try:
                with transaction.atomic():
                    result.booked.append(
                        _book_locked(occ, mentee, now=now, source=Booking.Source.SERIES, standing=standing)
                    )
            except AlreadyBooked:
                Booking.objects.booked().filter(occurrence=occ, mentee=mentee).update(standing_booking=standing)
            except SessionFull:
                result.waitlisted.append(_waitlist_locked(occ, mentee, now=now))
            except SessionError as error:
                result.skipped.append((occ, error.message))
        _send_email(
            to=mentee,
            kind="series_booked",
            template="sessions/email/series_booked",
            context={
                "series": series,
                "mentee": mentee,
                "booked": [b.occurrence.starts_at for b in result.booked],
                "waitlisted": [w.occurrence.starts_at for w in result.waitlisted],
                "skipped": [(o.starts_at, why) for o, why in result.skipped],
                "url": settings.SITE_URL + reverse("sessions:mine"),
            },
        )
    return result


def cancel_booking(*, booking: Booking, by, now: datetime | None = None) -> Booking:
    """Cancel a seat. After the cutoff (settings.BOOKING_CANCEL_CUTOFF_HOURS before start) it is
    recorded as a late cancellation; once the session started it cannot be cancelled. The freed seat
    goes to the first waitlisted mentee. The mentee gets a confirmation email."""
    now = _now(now)
    if booking.mentee_id != by.pk:
        raise NotAllowed("You can only cancel your own bookings.")
    with transaction.atomic():
        occurrence = _lock_occurrence(booking.occurrence_id)
        booking = locking.lock(Booking.objects.all(), booking.pk)
        if not booking.is_active:
            raise NothingToUndo("This booking is already cancelled.")
        if occurrence.has_started(now):
            raise TooLate("This session has already started; it can no longer be cancelled.")
        cutoff = occurrence.starts_at - timedelta(hours=settings.BOOKING_CANCEL_CUTOFF_HOURS)
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.late_cancel = now > cutoff
        booking.save(update_fields=["status", "cancelled_at", "late_cancel"])
        _send_email(
            to=booking.mentee,
            kind="booking_cancelled",
            template="sessions/email/booking_cancelled",
            context=_email_context(occurrence, mentee=booking.mentee, booking=booking),
            attachments=_ics_attachment([occurrence], booking.mentee),
        )
        if not occurrence.is_cancelled:
            promote_waitlist(occurrence=occurrence, now=now)
    return booking


def end_standing_booking(*, standing: StandingBooking, by, now: datetime | None = None) -> list[Booking]:
    """Stop booking the whole series: cancels its future bookings (each by cancel_booking's rules)."""
    now = _now(now)
    if standing.mentee_id != by.pk:
        raise NotAllowed("You can only change your own bookings.")
    with transaction.atomic():
        StandingBooking.objects.filter(pk=standing.pk, active=True).update(active=False, ended_at=now)
        future = list(
            standing.bookings.booked().filter(occurrence__starts_at__gt=now).order_by("occurrence_id")
        )
        return [cancel_booking(booking=b, by=by, now=now) for b in future]


def _waitlist_locked(occurrence: Occurrence, mentee, *, now: datetime) -> WaitlistEntry:
    existing = occurrence.waitlist.filter(mentee=mentee, status=WaitlistEntry.Status.WAITING).first()
    return existing or WaitlistEntry.objects.create(occurrence=occurrence, mentee=mentee, created_at=now)


def join_waitlist(*, occurrence: Occurrence, mentee, now: datetime | None = None) -> WaitlistEntry:
    """Queue for a full session; the first waitlisted mentee gets the next free seat automatically."""
    now = _now(now)
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        _check_bookable(occurrence, now)
        check_eligible(series=occurrence.series, mentee=mentee)
        if occurrence.bookings.booked().filter(mentee=mentee).exists():
            raise AlreadyBooked("You already have a seat in this session.")
        if occurrence.waitlist.filter(mentee=mentee, status=WaitlistEntry.Status.WAITING).exists():
            raise AlreadyBooked("You are already on the waitlist.")
        if occurrence.bookings.booked().count() < occurrence.seats:
            raise SeatsLeft("There are seats left: book one instead.")
        return _waitlist_locked(occurrence, mentee, now=now)


def leave_waitlist(*, entry: WaitlistEntry, by, now: datetime | None = None) -> WaitlistEntry:
    now = _now(now)
    if entry.mentee_id != by.pk:
        raise NotAllowed("You can only leave your own waitlist places.")
    updated = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistEntry.Status.WAITING).update(
        status=WaitlistEntry.Status.LEFT, left_at=now
    )
    if not updated:
        raise NothingToUndo("You are no longer on this waitlist.")
    entry.refresh_from_db()
    return entry


def promote_waitlist(*, occurrence: Occurrence, now: datetime | None = None) -> list[Booking]:
    """Give free seats to waitlisted mentees in the order they joined, emailing each.

    A waiting mentee who cannot take the seat now (a clash, no longer eligible) is passed over and
    keeps their place. Nothing happens once the session started or was cancelled.
    """
    now = _now(now)
    promoted: list[Booking] = []
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        if occurrence.is_cancelled or occurrence.has_started(now):
            return promoted
        free = occurrence.seats - occurrence.bookings.booked().count()
        if free <= 0:
            return promoted
        for entry in occurrence.waitlist.filter(status=WaitlistEntry.Status.WAITING).select_related("mentee"):
            if free <= 0:
                break
            try:
                with transaction.atomic():
                    mentee = _lock_user(entry.mentee_id)
                    booking = _book_locked(occurrence, mentee, now=now, source=Booking.Source.WAITLIST)
            except SessionError:
                continue
            WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistEntry.Status.PROMOTED, promoted_at=now)
            _send_email(
                to=mentee,
                kind="waitlist_promoted",
                template="sessions/email/waitlist_promoted",
                context=_email_context(occurrence, mentee=mentee, booking=booking),
                attachments=_ics_attachment([occurrence], mentee),
            )
            promoted.append(booking)
            free -= 1
    return promoted


# ---------------------------------------------------------------------------
# After the session (mentors) and ratings (mentees)
# ---------------------------------------------------------------------------
def notes_editable_until(note: OutcomeNote | None, occurrence: Occurrence) -> datetime:
    """Notes (and attendance) can be written after the session starts and edited for
    settings.NOTES_EDITABLE_DAYS after the notes were first saved."""
    start = note.created_at if note else None
    window = timedelta(days=settings.NOTES_EDITABLE_DAYS)
    return start + window if start else occurrence.ends_at + timedelta(days=3650)


def _check_record_window(occurrence: Occurrence, by, now: datetime) -> OutcomeNote | None:
    _require_series_mentor(occurrence.series, by)
    if occurrence.is_cancelled:
        raise NotBookable("This session was cancelled; there is nothing to record.")
    if not occurrence.has_started(now):
        raise TooLate("You can record the session once it has started.")
    note = locking.lock_first(OutcomeNote.objects.filter(occurrence=occurrence))
    if note and now > notes_editable_until(note, occurrence):
        raise TooLate(
            f"Notes can be edited for {settings.NOTES_EDITABLE_DAYS} days after they were written; "
            "this record is now closed."
        )
    return note


def record_attendance(
    *,
    occurrence: Occurrence,
    by,
    statuses: Mapping[int, str],
    walk_ins: Iterable = (),
    now: datetime | None = None,
) -> list[Attendance]:
    """Record attended / no-show / excused for booked mentees (by user id) and add walk-ins.

    Every booked mentee must get a status. Walk-ins are mentees without a booking, recorded as attended.
    """
    now = _now(now)
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        _check_record_window(occurrence, by, now)
        booked_ids = set(occurrence.bookings.booked().values_list("mentee_id", flat=True))
        valid = set(Attendance.Status.values)
        missing = booked_ids - set(statuses)
        if missing:
            raise InvalidSchedule("Give every booked mentee a status.", field="attendance")
        unknown = set(statuses) - booked_ids
        if unknown:
            raise InvalidSchedule("Only booked mentees are on the roster; add others as walk-ins.", field="attendance")
        if any(s not in valid for s in statuses.values()):
            raise InvalidSchedule("Unknown attendance status.", field="attendance")
        walk_ins = list(walk_ins)
        for person in walk_ins:
            if person.pk in booked_ids:
                raise InvalidSchedule(f"{person} is booked already; mark them on the roster.", field="walk_ins")
            if not person.is_mentee or person.pk == occurrence.series.mentor_id:
                raise InvalidSchedule(f"{person} is not a mentee.", field="walk_ins")
        records = []
        for mentee_id, status in statuses.items():
            record, _ = Attendance.objects.update_or_create(
                occurrence=occurrence,
                mentee_id=mentee_id,
                defaults={"status": status, "walk_in": False, "recorded_by": by, "recorded_at": now},
            )
            records.append(record)
        for person in walk_ins:
            record, _ = Attendance.objects.update_or_create(
                occurrence=occurrence,
                mentee=person,
                defaults={"status": Attendance.Status.ATTENDED, "walk_in": True, "recorded_by": by, "recorded_at": now},
            )
            records.append(record)
    return records


def save_outcome_note(
    *,
    occurrence: Occurrence,
    by,
    topics: str = "",
    private_notes: str = "",
    follow_ups: str = "",
    note_to_attendees: str = "",
    now: datetime | None = None,
) -> OutcomeNote:
    """Write or edit the outcome note; every save that changes it is kept as a NoteRevision.

    Editable for settings.NOTES_EDITABLE_DAYS after it was first written (then TooLate).
    """
    now = _now(now)
    fields = {
        "topics": topics.strip(),
        "private_notes": private_notes.strip(),
        "follow_ups": follow_ups.strip(),
        "note_to_attendees": note_to_attendees.strip(),
    }
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        note = _check_record_window(occurrence, by, now)
        if note is None:
            note = OutcomeNote(occurrence=occurrence, mentor=by, created_at=now, updated_at=now, **fields)
            note.full_clean()
            note.save()
        elif any(getattr(note, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(note, k, v)
            note.updated_at = now
            note.full_clean()
            note.save()
        else:
            return note
        NoteRevision.objects.create(note=note, editor=by, edited_at=now, **fields)
    return note


def record_session(
    *,
    occurrence: Occurrence,
    by,
    statuses: Mapping[int, str],
    walk_ins: Iterable = (),
    topics: str = "",
    private_notes: str = "",
    follow_ups: str = "",
    note_to_attendees: str = "",
    now: datetime | None = None,
) -> OutcomeNote:
    """Attendance and the outcome note from one form, saved together or not at all."""
    now = _now(now)
    with transaction.atomic():
        record_attendance(occurrence=occurrence, by=by, statuses=statuses, walk_ins=walk_ins, now=now)
        return save_outcome_note(
            occurrence=occurrence,
            by=by,
            topics=topics,
            private_notes=private_notes,
            follow_ups=follow_ups,
            note_to_attendees=note_to_attendees,
            now=now,
        )


def rate_occurrence(*, occurrence: Occurrence, mentee, score: int, feedback: str = "", now: datetime | None = None) -> Rating:
    """A mentee who attended rates the session 1..5, once."""
    now = _now(now)
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidSchedule("Choose a score from 1 to 5.", field="score")
    with transaction.atomic():
        attended = Attendance.objects.filter(
            occurrence=occurrence, mentee=mentee, status=Attendance.Status.ATTENDED
        ).exists()
        if not attended:
            raise NotAttended("Only mentees who attended this session can rate it.")
        if Rating.objects.filter(occurrence=occurrence, mentee=mentee).exists():
            raise AlreadyRated("You have already rated this session.")
        rating = Rating(occurrence=occurrence, mentee=mentee, score=score, feedback=feedback.strip(), created_at=now)
        rating.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                rating.save()
        except IntegrityError:
            # Two submits at once: the unique constraint kept the first.
            raise AlreadyRated("You have already rated this session.") from None
    return rating


def regenerate_calendar_token(*, user) -> str:
    """Revoke the user's calendar feed URL and issue a new one."""
    from accounts.models import new_calendar_token

    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
