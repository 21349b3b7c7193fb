"""What the session services share: checks, the email helpers and the row locks."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from core import locking
from notifications.services import queue_templated_email
from sessions.calendar import ics_attachment, occurrence_url
from sessions.errors import (
    InvalidSchedule,
    NotAllowed,
)
from sessions.models import (
    MAX_DURATION_MINUTES,
    MAX_SEATS,
    PLANNING_HORIZON,
    Booking,
    Occurrence,
    OccurrenceQuerySet,
    ReviewSeries,
)
from sessions.recurrence import intervals_overlap
from sessions.rules import see_video_link


# ---------------------------------------------------------------------------
# Helpers shared by the services
# ---------------------------------------------------------------------------
def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _require_series_mentor(series: ReviewSeries, user: User) -> None:
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


def default_class_years(mentor: User) -> list[int]:
    """Mentees below the mentor's class year (MS1..MS3 for an MS4); MS1-MS2 if the year is unknown."""
    year = mentor.class_year
    return list(range(1, year)) if year and year > 1 else [1, 2]


def _mentor_clash(mentor: User, slots: Iterable[tuple[datetime, datetime]], *, exclude_ids: Iterable[int] = ()) -> Occurrence | None:
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


def _email_context(occurrence: Occurrence, **extra: Any) -> dict[str, Any]:
    """Templates show times with the `zoned` filter, in the recipient's zone (see _send_email).

    The video link only for a recipient who may book the session (sessions.rules.see_video_link).
    """
    series = occurrence.series
    mentee = extra.get("mentee")
    return {
        "occurrence": occurrence,
        "series": series,
        "video_link": occurrence.video_link_for(mentee),
        "show_video_links": mentee is not None and see_video_link(mentee, series),
        "url": occurrence_url(occurrence),
        **extra,
    }


# Emails about what the mentee did (or got from the waitlist) follow their "bookings" preference;
# a session cancelled or moved by the mentor is essential: missing it means a wasted trip.
OPTIONAL_KINDS = {"booking_confirmed", "booking_cancelled", "series_booked", "waitlist_promoted", "waitlist_joined"}


def _send_email(*, to: User, kind: str, template: str, context: dict[str, Any], **extra: Any) -> None:
    """Queue an email; queue_templated_email renders it in the recipient's zone, whoever's request
    triggered it, and the templates name the zone with every time (zoned_times)."""
    from accounts.preferences import wants_email

    if kind in OPTIONAL_KINDS and not wants_email(to, "bookings"):
        return
    if not to.is_active:
        return
    queue_templated_email(to=to, kind=kind, template=template, context=context, **extra)


def _ics_attachment(occurrences: Iterable[Occurrence], recipient: User) -> list[dict[str, str]]:
    """The events as `recipient`'s calendar must now show them (their SEQUENCE and STATUS)."""
    return [ics_attachment(*occurrences, recipient=recipient)]


def _email_booking(kind: str, booking: Booking, occurrence: Occurrence, mentee: User) -> None:
    """Email `mentee` what happened to their booking (`kind` names the template: booking_confirmed,
    waitlist_promoted, booking_cancelled), with the event as their calendar must now show it."""
    _send_email(
        to=mentee,
        kind=kind,
        template=f"sessions/email/{kind}",
        context=_email_context(occurrence, mentee=mentee, booking=booking),
        attachments=_ics_attachment([occurrence], mentee),
    )


def _occurrences_with_series() -> OccurrenceQuerySet:
    return Occurrence.objects.select_related("series", "series__mentor", "series__subject")


def _lock_occurrence(occurrence_id: int) -> Occurrence:
    return locking.lock(_occurrences_with_series(), occurrence_id)


def _lock_user(user_id: int) -> User:
    # Serialises one mentee's concurrent bookings, so two overlapping sessions cannot both pass the check.
    return locking.lock(User.objects.all(), user_id)
