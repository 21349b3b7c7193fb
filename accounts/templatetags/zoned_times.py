"""A time with its zone, the one way every page and email shows a session's time.

Times are shown in the active zone (the viewer's on pages, via accounts.middleware; the
recipient's in emails) and always name it, so nobody reads 23:00 GMT as 23:00 in Chicago:
"Tuesday 16 March, 23:00 (GMT)". A range names both ends when the clocks change in between:
"Sun 1 Nov, 00:30 (CDT) – 01:00 (CST)" is 90 minutes, not 30.
"""

from datetime import datetime, tzinfo
from functools import lru_cache

from django import template
from django.utils import dateformat, timezone, translation

register = template.Library()

DEFAULT_FORMAT = "D j M, H:i"


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


# A list page shows the same few hundred session times to everyone: each is formatted once per
# process, zone and language (day and month names are translated).
@lru_cache(maxsize=8192)
def _formatted(value: datetime, fmt: str, zone: tzinfo, language: str | None, named: bool) -> str:
    local = value.astimezone(zone)
    text = dateformat.format(local, fmt)
    return f"{text} ({local.tzname()})" if named else text


def _format(value: datetime, fmt: str, named: bool) -> str:
    if not timezone.is_aware(value):
        return f"{dateformat.format(value, fmt)} ({value.tzname()})" if named else dateformat.format(value, fmt)
    return _formatted(value, fmt, timezone.get_current_timezone(), translation.get_language(), named)


@register.filter
def zoned(value: datetime | None, fmt: str = DEFAULT_FORMAT) -> str:
    """`value` in the active zone, formatted with Django's date format `fmt`, the zone named.

    Anything but a datetime shows as "", as with Django's `date` filter."""
    if not isinstance(value, datetime):
        return ""
    return _format(value, fmt, named=True)


@register.filter
def local_date(value: datetime | None, fmt: str) -> str:
    """`value` in the active zone with Django's date format `fmt` and no zone named: Django's
    `date` filter, for a day ("Tue 16 Mar 2027") where the zone says nothing."""
    if not isinstance(value, datetime):
        return ""
    return _format(value, fmt, named=False)


@register.simple_tag
def zoned_range(start: datetime, end: datetime, fmt: str = DEFAULT_FORMAT) -> str:
    """"Tue 16 Mar, 18:00–19:30 (CST)"; each end with its zone when the offset changes in between,
    and the end's date too when it ends on another day."""
    if not (isinstance(start, datetime) and isinstance(end, datetime)):
        return ""
    start_local, end_local = _local(start), _local(end)
    end_fmt = "H:i" if start_local.date() == end_local.date() else fmt
    if start_local.utcoffset() == end_local.utcoffset():
        return f"{_format(start, fmt, named=False)}–{_format(end, end_fmt, named=False)} ({start_local.tzname()})"
    return f"{zoned(start, fmt)} – {zoned(end, end_fmt)}"


@register.filter
def ago(value: datetime | None) -> str:
    """How long ago, as a person says it: "just now", "5 minutes ago", "3 hours ago", "yesterday",
    "4 days ago", then the date ("on 2 March 2026")."""
    if not isinstance(value, datetime):
        return ""
    seconds = (timezone.now() - value).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    if seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = (timezone.localdate() - _local(value).date()).days
    if days <= 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return f"on {dateformat.format(_local(value), 'j F Y')}"
