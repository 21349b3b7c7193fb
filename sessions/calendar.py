"""iCalendar (RFC 5545) output: one occurrence as an .ics file, or a person's private feed.

Times are written in the series' own time zone (DTSTART;TZID=America/Chicago:...) with a
matching VTIMEZONE, so calendar apps keep 18:00 at 18:00 across daylight saving. Cancelled
occurrences (and bookings the mentee cancelled) stay in the feed as STATUS:CANCELLED, which is
how subscribed calendars learn to remove them. Every change a viewer can see raises the event's
SEQUENCE (the occurrence's own changes plus the viewer's seat changes, so it never goes down) and
moves its LAST-MODIFIED; an emailed .ics of a change carries the same event as the feed.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.text import single_line
from sessions.models import Occurrence
from sessions.selectors import FEED_PAST_DAYS, Seat, calendar_occurrences, seats_of

if TYPE_CHECKING:
    from icalendar import Component, Event, Timezone, vText

    from accounts.models import User

# icalendar (about 9 MiB) is imported by the functions that write a calendar, not with this module:
# the web pages import it through the session services, and only feeds and reminders write one.

PRODID = "-//Peer Mentoring Program//Review sessions//EN"
# RFC 6047: an emailed iCalendar object names its METHOD in the Content-Type too.
ATTACHMENT_MIMETYPE = "text/calendar; method=PUBLISH; charset=utf-8"
# Said in the feed itself (X-WR-CALDESC), so a subscriber knows why older sessions are gone.
FEED_WINDOW = f"Review sessions from {FEED_PAST_DAYS} days ago on, and every upcoming one."


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def occurrence_url(occurrence: Occurrence) -> str:
    """The absolute link to an occurrence's page (where a mentee books or cancels), for emails and feeds."""
    return settings.SITE_URL + reverse("sessions:occurrence", kwargs={"pk": occurrence.pk})


def ics_attachment(
    *occurrences: Occurrence, recipient: "User | None" = None, seats: "dict[int, Seat] | None" = None
) -> dict[str, str]:
    """The occurrences as an email attachment for notifications.services.queue_email.

    With the `recipient`'s seats, so each event has the SEQUENCE and STATUS of the recipient's
    feed: a calendar that imported an earlier mail's event updates (or removes) it. Video links are
    written only where the recipient may see them. `seats`: the recipient's seats by occurrence id,
    when the caller read them for many recipients at once (selectors.seats_by_mentee).
    """
    first = occurrences[0]
    if seats is None:
        ids = [o.pk for o in occurrences]
        seats = seats_of(mentee=recipient, occurrences=Occurrence.objects.filter(pk__in=ids)) if recipient else {}
    return {
        "filename": f"session-{first.pk}.ics",
        "content": build_calendar(occurrences, name=first.series.title, seats=seats, method="PUBLISH", viewer=recipient).decode(),
        "mimetype": ATTACHMENT_MIMETYPE,
    }


def _line(value: str) -> "vText":
    """A one-line TEXT value: line breaks and other control characters (RFC 5545 forbids them) become spaces."""
    from icalendar import vText

    return vText(single_line(value))


def _lines(value: str) -> "vText":
    """A multi-line TEXT value: lines kept (vText escapes them as \\n), control characters become spaces."""
    from icalendar import vText

    return vText("\n".join(single_line(line) for line in value.splitlines()))


def occurrence_uid(occurrence: Occurrence) -> str:
    return f"occurrence-{occurrence.pk}@{_host()}"


def _wall_time(instant: datetime, zone: ZoneInfo) -> datetime:
    """`instant` in `zone`, or in UTC when that wall time happens twice (the repeated hour when the
    clocks go back): RFC 5545 reads an ambiguous local time as the first one, an hour early for 01:00 CST."""
    local = instant.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return instant.astimezone(UTC)
    return local


def _event(occurrence: Occurrence, *, seat: Seat | None, stamp: datetime, viewer: "User | None" = None) -> "Event":
    from icalendar import Event, vCalAddress

    series = occurrence.series
    video_link = occurrence.video_link_for(viewer)  # only for those who may book it (or run it)
    zone = ZoneInfo(series.time_zone)
    event = Event()
    event.add("uid", occurrence_uid(occurrence))
    event.add("dtstamp", stamp)
    event.add("dtstart", _wall_time(occurrence.starts_at, zone))
    event.add("dtend", _wall_time(occurrence.ends_at, zone))
    event.add("summary", _line(f"{series.title} ({series.subject.name})"))
    url = occurrence_url(occurrence)
    description = [series.description, f"Mentor: {series.mentor.display_name}"]
    if video_link:
        description.append(f"Video: {video_link}")
    if occurrence.is_cancelled and occurrence.cancel_reason:
        description.append(f"Cancelled: {occurrence.cancel_reason}")
    description.append(url)
    event.add("description", _lines("\n".join(part for part in description if part)))
    event.add("location", _line(occurrence.location or video_link))
    event.add("url", url)
    organizer = vCalAddress(f"mailto:{series.mentor.email}")
    organizer.params["cn"] = _line(series.mentor.display_name)
    event["organizer"] = organizer
    cancelled = occurrence.is_cancelled or (seat is not None and seat.cancelled)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # The viewer's own seat changes are changes their calendar must see, on top of the occurrence's.
    event.add("sequence", occurrence.sequence + (seat.revision if seat else 0))
    modified = max(occurrence.updated_at, seat.changed_at) if seat else occurrence.updated_at
    event.add("last-modified", modified.astimezone(UTC).replace(microsecond=0))
    return event


def build_calendar(
    occurrences: Iterable[Occurrence],
    *,
    name: str,
    seats: Mapping[int, Seat] | None = None,
    method: str | None = None,
    description: str | None = None,
    viewer: "User | None" = None,
) -> bytes:
    """An iCalendar document for `viewer`; `seats` are the viewer's seats by occurrence id
    (selectors.seats_of). Video links are written only where the viewer may see them (none without a viewer)."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", _line(name))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    if description:
        cal.add("x-wr-caldesc", description)
    seats = seats or {}
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    dates: list[date] = []
    for occurrence in occurrences:
        cal.add_component(_event(occurrence, seat=seats.get(occurrence.pk), stamp=stamp, viewer=viewer))
        dates.append(occurrence.starts_at.date())
    if not dates:
        return cal.to_ical()
    # Only the years around the events, so the VTIMEZONE stays small. Each VTIMEZONE is written
    # once per zone and dates (most of an emailed .ics's lines) and put before the first event, where
    # icalendar would write it: the reminders of a session share it.
    first_date, last_date = min(dates) - timedelta(days=366), max(dates) + timedelta(days=366)
    zones = b"".join(_vtimezone_ical(tzid, first_date, last_date) for tzid in sorted(cal.get_missing_tzids()))
    document = cal.to_ical()
    if not zones:
        return document
    # A property's line never starts with BEGIN (a folded line starts with a space): this is the first event.
    first_event = document.index(b"\r\nBEGIN:VEVENT\r\n") + 2
    return document[:first_event] + zones + document[first_event:]


@lru_cache(maxsize=128)
def _vtimezone_ical(tzid: str, first_date: date, last_date: date) -> bytes:
    """_vtimezone() written out (b"" for a zone icalendar does not know)."""
    vtimezone = _vtimezone(tzid, first_date, last_date)
    return b"" if vtimezone is None else vtimezone.to_ical()


def _vtimezone(tzid: str, first_date: date, last_date: date) -> "Timezone | None":
    """The zone's VTIMEZONE between the dates, onsets corrected (written once per zone and dates by
    _vtimezone_ical)."""
    from icalendar import Timezone

    try:
        vtimezone = Timezone.from_tzid(tzid, first_date=first_date, last_date=last_date)
    except ValueError:  # a zone icalendar does not know: the event keeps its TZID without a VTIMEZONE
        return None
    correct_onsets(vtimezone)
    return vtimezone


def correct_onsets(vtimezone: "Timezone") -> None:
    """Write every onset of a VTIMEZONE in the offset before the change, as RFC 5545 says.

    icalendar 7.3.2's add_missing_timezones writes a forward change (the DAYLIGHT onset) in the
    new offset: DTSTART:20270314T030000 with TZOFFSETFROM:-0600 for America/Chicago, an hour late
    (docs/upstream/icalendar-vtimezone-onset.md). Each onset is checked against zoneinfo and only
    a wrong one is rewritten, so this is a no-op once icalendar is fixed.
    """
    from icalendar import TimezoneDaylight, TimezoneStandard

    zone = ZoneInfo(str(vtimezone["TZID"]))
    for observance in vtimezone.subcomponents:
        if not isinstance(observance, TimezoneStandard | TimezoneDaylight):  # a VTIMEZONE holds only these
            continue
        before, after = observance.TZOFFSETFROM, observance.TZOFFSETTO
        if before == after:
            continue
        observance.DTSTART = _onset_in_offset_before(observance.DTSTART, zone, before, after)
        if "RDATE" in observance:
            onsets = [_onset_in_offset_before(onset, zone, before, after) for onset in _rdates(observance)]
            # One RDATE line per onset: vobject 0.9.9 reads only the first date of a comma list.
            del observance["RDATE"]
            for onset in onsets:
                observance.add("rdate", onset)


def _rdates(observance: "Component") -> list[datetime]:
    """The onsets an observance's RDATE lines list (one property or several)."""
    from icalendar import vDDDLists

    rdate = observance["RDATE"]
    lists = rdate if isinstance(rdate, list) else [rdate]
    return [d.dt for dates in lists if isinstance(dates, vDDDLists) for d in dates.dts if isinstance(d.dt, datetime)]


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


def occurrence_calendar(occurrence: Occurrence, *, viewer: "User | None" = None) -> bytes:
    """One occurrence as the `viewer` sees it (their seat's status and sequence), for the .ics download."""
    seats = seats_of(mentee=viewer, occurrences=Occurrence.objects.filter(pk=occurrence.pk)) if viewer else {}
    return build_calendar([occurrence], name=occurrence.series.title, seats=seats, method="PUBLISH", viewer=viewer)


def feed_calendar(*, user: "User") -> bytes:
    """The user's private feed: what they run and their seats, within the window FEED_WINDOW names."""
    occurrences, seats = calendar_occurrences(user=user)
    return build_calendar(
        occurrences, name=f"Review sessions: {user.display_name}", seats=seats, description=FEED_WINDOW, viewer=user
    )
