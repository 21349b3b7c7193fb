"""iCalendar (RFC 5545) output: one occurrence as an .ics file, or a person's private feed.

Times are written in the series' own time zone (DTSTART;TZID=America/Chicago:...) with a
matching VTIMEZONE, so calendar apps keep 18:00 at 18:00 across daylight saving. Cancelled
occurrences (and bookings the mentee cancelled) stay in the feed as STATUS:CANCELLED, which is
how subscribed calendars learn to remove them.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vDDDLists, vText

from accounts.text import single_line
from sessions.models import Occurrence

PRODID = "-//Peer Mentoring Program//Review sessions//EN"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def occurrence_url(occurrence: Occurrence) -> str:
    """The absolute link to an occurrence's page (where a mentee books or cancels), for emails and feeds."""
    return settings.SITE_URL + reverse("sessions:occurrence", kwargs={"pk": occurrence.pk})


def ics_attachment(occurrence: Occurrence) -> dict:
    """The occurrence as an email attachment for notifications.services.queue_email."""
    return {
        "filename": f"session-{occurrence.pk}.ics",
        "content": occurrence_calendar(occurrence).decode(),
        "mimetype": "text/calendar",
    }


def _line(value: str) -> vText:
    """A one-line TEXT value: line breaks and other control characters (RFC 5545 forbids them) become spaces."""
    return vText(single_line(value))


def _lines(value: str) -> vText:
    """A multi-line TEXT value: lines kept (vText escapes them as \\n), control characters become spaces."""
    return vText("\n".join(single_line(line) for line in value.splitlines()))


def occurrence_uid(occurrence: Occurrence) -> str:
    return f"occurrence-{occurrence.pk}@{_host()}"


def _event(occurrence: Occurrence, *, cancelled_for_viewer: bool, stamp: datetime) -> Event:
    series = occurrence.series
    zone = ZoneInfo(series.time_zone)
    event = Event()
    event.add("uid", occurrence_uid(occurrence))
    event.add("dtstamp", stamp)
    event.add("dtstart", occurrence.starts_at.astimezone(zone))
    event.add("dtend", occurrence.ends_at.astimezone(zone))
    event.add("summary", _line(f"{series.title} ({series.subject.name})"))
    url = occurrence_url(occurrence)
    description = [series.description, f"Mentor: {series.mentor.display_name}"]
    if occurrence.video_link:
        description.append(f"Video: {occurrence.video_link}")
    if occurrence.is_cancelled and occurrence.cancel_reason:
        description.append(f"Cancelled: {occurrence.cancel_reason}")
    description.append(url)
    event.add("description", _lines("\n".join(part for part in description if part)))
    event.add("location", _line(occurrence.location or occurrence.video_link))
    event.add("url", url)
    organizer = vCalAddress(f"mailto:{series.mentor.email}")
    organizer.params["cn"] = _line(series.mentor.display_name)
    event["organizer"] = organizer
    cancelled = occurrence.is_cancelled or cancelled_for_viewer
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # A viewer's own cancellation is a change the calendar must see even if the occurrence did not change.
    event.add("sequence", occurrence.sequence + (1 if cancelled_for_viewer else 0))
    event.add("last-modified", occurrence.updated_at.astimezone(UTC))
    return event


def build_calendar(
    occurrences: Iterable[Occurrence],
    *,
    name: str,
    cancelled_ids: Iterable[int] = (),
    method: str | None = None,
) -> bytes:
    """An iCalendar document; `cancelled_ids` are occurrences the viewer cancelled their seat in."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", _line(name))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cancelled_ids = set(cancelled_ids)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    dates: list[date] = []
    for occurrence in occurrences:
        cal.add_component(_event(occurrence, cancelled_for_viewer=occurrence.pk in cancelled_ids, stamp=stamp))
        dates.append(occurrence.starts_at.date())
    if dates:
        # Only the years around the events, so the VTIMEZONE stays small.
        cal.add_missing_timezones(
            first_date=min(dates) - timedelta(days=366), last_date=max(dates) + timedelta(days=366)
        )
        for component in cal.walk("VTIMEZONE"):
            correct_onsets(component)
    return cal.to_ical()


def correct_onsets(vtimezone) -> None:
    """Write every onset of a VTIMEZONE in the offset before the change, as RFC 5545 says.

    icalendar 7.3.2's add_missing_timezones writes a forward change (the DAYLIGHT onset) in the
    new offset: DTSTART:20270314T030000 with TZOFFSETFROM:-0600 for America/Chicago, an hour late
    (docs/upstream/icalendar-vtimezone-onset.md). Each onset is checked against zoneinfo and only
    a wrong one is rewritten, so this is a no-op once icalendar is fixed.
    """
    zone = ZoneInfo(str(vtimezone["TZID"]))
    for observance in vtimezone.subcomponents:
        before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
        if before == after:
            continue
        observance.DTSTART = _onset_in_offset_before(observance.DTSTART, zone, before, after)
        if "RDATE" in observance:
            lists = observance["RDATE"] if isinstance(observance["RDATE"], list) else [observance["RDATE"]]
            onsets = [_onset_in_offset_before(d.dt, zone, before, after) for dates in lists for d in dates.dts]
            observance["RDATE"] = vDDDLists(onsets)


def _onset_in_offset_before(wall: datetime, zone: ZoneInfo, before: timedelta, after: timedelta) -> datetime:
    """The local onset `wall` rewritten in the offset `before`, if it was written in `after`."""

    def changes_at(instant: datetime) -> bool:
        return (instant - timedelta(seconds=1)).astimezone(zone).utcoffset() == before and instant.astimezone(
            zone
        ).utcoffset() == after

    if changes_at((wall - before).replace(tzinfo=UTC)):
        return wall
    if changes_at((wall - after).replace(tzinfo=UTC)):
        return wall - after + before
    return wall


def occurrence_calendar(occurrence: Occurrence, *, cancelled_for_viewer: bool = False) -> bytes:
    return build_calendar(
        [occurrence],
        name=occurrence.series.title,
        cancelled_ids=[occurrence.pk] if cancelled_for_viewer else [],
        method="PUBLISH",
    )
