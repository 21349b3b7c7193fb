"""Reading our .ics output with parsers this project did not write: icalendar, ics, vobject and
recurring-ical-events. Each test of a feed or attachment goes through `parse_everywhere`, so a
document one of them refuses, or reads differently, fails the test."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import ics
import recurring_ical_events
import vobject


@dataclass(frozen=True)
class ParsedEvent:
    uid: str
    summary: str
    description: str
    location: str
    status: str
    sequence: int
    start: datetime  # UTC
    end: datetime  # UTC
    last_modified: datetime | None


@dataclass
class ParsedCalendar:
    name: str
    events: dict[str, ParsedEvent]
    vobject_calendar: object  # its VTIMEZONEs are turned into tzinfo objects by dateutil

    def vtimezone_tzinfo(self, tzid: str):
        """The tzinfo vobject (dateutil) builds from our VTIMEZONE, not from the system's tz database."""
        return self._vtimezone(tzid).gettzinfo()

    def vtimezone_onsets(self, tzid: str) -> list[tuple[datetime, timedelta, timedelta]]:
        """Each offset change the VTIMEZONE announces, as RFC 5545 defines it (local DTSTART or RDATE
        minus TZOFFSETFROM): (UTC instant, offset before, offset after), read by vobject."""
        onsets = []
        for kind in ("standard", "daylight"):
            for observance in self._vtimezone(tzid).contents.get(kind, []):
                before = _offset(observance.tzoffsetfrom.value)
                after = _offset(observance.tzoffsetto.value)
                if before == after:
                    continue  # the observance in force when the VTIMEZONE's range begins
                locals_ = [observance.dtstart.value] + [
                    datetime.strptime(text, "%Y%m%dT%H%M%S")
                    for rdate in observance.contents.get("rdate", [])
                    for text in str(rdate.value).split(",")
                ]
                onsets += [((local - before).replace(tzinfo=UTC), before, after) for local in locals_]
        return sorted(onsets)

    def _vtimezone(self, tzid: str):
        for component in getattr(self.vobject_calendar, "vtimezone_list", []):
            if component.tzid.value == tzid:
                return component
        raise LookupError(f"no VTIMEZONE {tzid}")


def _offset(text: str) -> timedelta:
    sign = -1 if text.startswith("-") else 1
    return sign * timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


def _from_icalendar(text: str) -> tuple[str, dict[str, ParsedEvent]]:
    cal = icalendar.Calendar.from_ical(text)
    events = {}
    for e in cal.walk("VEVENT"):
        modified = e.get("last-modified")
        events[str(e["uid"])] = ParsedEvent(
            uid=str(e["uid"]),
            summary=str(e.get("summary", "")),
            description=str(e.get("description", "")),
            location=str(e.get("location", "")),
            status=str(e.get("status", "")),
            sequence=int(e.get("sequence", 0)),
            start=e.decoded("dtstart").astimezone(UTC),
            end=e.decoded("dtend").astimezone(UTC),
            last_modified=modified.dt.astimezone(UTC) if modified else None,
        )
    # icalendar reads X-WR-CALNAME as an unknown property (raw); it is TEXT, so unescape it as such.
    name = cal.get("x-wr-calname")
    return (_unescape_text(name.to_ical().decode()) if name is not None else ""), events


def _unescape_text(raw: str) -> str:
    """RFC 5545 TEXT unescaping (\\n, \\; \\, \\\\)."""
    return re.sub(r"\\([nN;,\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def _forget_vobject_timezones() -> None:
    """vobject keeps the first VTIMEZONE it ever read for a TZID for the rest of the process
    (vobject.icalendar.registerTzid); each document must be read with its own VTIMEZONE, or a test
    passes or fails by the order the tests run in."""
    registry = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [tzid for tzid in registry if tzid != "UTC"]:
        del registry[tzid]


def _from_vobject(text: str):
    _forget_vobject_timezones()
    cal = vobject.readOne(text)
    events = {}
    for e in getattr(cal, "vevent_list", []):

        def value(name: str, event=e) -> str:
            return str(event.contents[name][0].value) if name in event.contents else ""

        modified = e.contents.get("last-modified")
        events[value("uid")] = ParsedEvent(
            uid=value("uid"),
            summary=value("summary"),
            description=value("description"),
            location=value("location"),
            status=value("status"),
            sequence=int(value("sequence") or 0),
            start=e.dtstart.value.astimezone(UTC),
            end=e.dtend.value.astimezone(UTC),
            last_modified=modified[0].value.astimezone(UTC) if modified else None,
        )
    name = str(cal.contents["x-wr-calname"][0].value) if "x-wr-calname" in cal.contents else ""
    return name, events, cal


def _as_ics_reads(value: str) -> str:
    """`value` as the `ics` package reads it back once written with RFC 5545's escapes: it undoes
    the escapes one kind at a time (ics.utils.unescape_string), so an escaped backslash followed
    by n, r, ; or , ("\\\\r") comes back as a backslash and a control character instead of the two
    characters written. Hypothesis found it with a stored backslash and "R"; icalendar and vobject
    read the same bytes correctly."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return ics.utils.unescape_string(escaped)


def _from_ics(text: str) -> dict[str, tuple]:
    """The fields the `ics` package models (it has no SEQUENCE; it reads it as an extra line)."""
    cal = ics.Calendar(text)
    found = {}
    for e in cal.events:
        sequence = next((int(line.value) for line in e.extra if line.name == "SEQUENCE"), 0)
        found[e.uid] = (
            e.name or "",
            e.description or "",
            e.location or "",
            (e.status or "").upper(),
            sequence,
            e.begin.datetime.astimezone(UTC),
            e.end.datetime.astimezone(UTC),
        )
    return found


def parse_everywhere(body: bytes | str) -> ParsedCalendar:
    """Parse with all four libraries, check they agree on every event, return what they read."""
    text = body.decode() if isinstance(body, bytes) else body
    name, by_icalendar = _from_icalendar(text)
    vobject_name, by_vobject, vobject_calendar = _from_vobject(text)
    assert vobject_name == name, (vobject_name, name)
    assert by_vobject == by_icalendar, "vobject reads the events differently from icalendar"
    by_ics = _from_ics(text)
    assert by_ics == {
        uid: (
            _as_ics_reads(e.summary),
            _as_ics_reads(e.description),
            _as_ics_reads(e.location),
            e.status,
            e.sequence,
            e.start,
            e.end,
        )
        for uid, e in by_icalendar.items()
    }, "ics reads the events differently from icalendar"
    if by_icalendar:
        starts = [e.start for e in by_icalendar.values()]
        expanded = recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(
            min(starts) - timedelta(days=1), max(starts) + timedelta(days=1)
        )
        assert sorted(str(e["uid"]) for e in expanded) == sorted(by_icalendar)
    return ParsedCalendar(name=name, events=by_icalendar, vobject_calendar=vobject_calendar)


def transitions(zone: ZoneInfo, first: date, last: date) -> list[tuple[datetime, timedelta, timedelta]]:
    """Every UTC instant in [first, last] at which `zone` changes offset, with the offsets before and after."""
    found = []
    instant = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC)
    step = timedelta(minutes=15)  # every real offset change falls on a quarter hour
    offset = instant.astimezone(zone).utcoffset()
    while instant < end:
        instant += step
        now_offset = instant.astimezone(zone).utcoffset()
        if now_offset != offset:
            found.append((instant, offset, now_offset))
            offset = now_offset
    return found
