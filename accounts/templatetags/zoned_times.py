"""A time with its zone, the one way every page and email shows a session's time.

Times are shown in the active zone (the viewer's on pages, via accounts.middleware; the
recipient's in emails) and always name it, so nobody reads 23:00 GMT as 23:00 in Chicago:
"Tuesday 16 March, 23:00 (GMT)". A range names both ends when the clocks change in between:
"Sun 1 Nov, 00:30 (CDT) – 01:00 (CST)" is 90 minutes, not 30.
"""

from datetime import datetime

from django import template
from django.utils import dateformat, timezone

register = template.Library()

DEFAULT_FORMAT = "D j M, H:i"


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def zoned(value: datetime | None, fmt: str = DEFAULT_FORMAT) -> str:
    """`value` in the active zone, formatted with Django's date format `fmt`, the zone named.

    Anything but a datetime shows as "", as with Django's `date` filter."""
    if not isinstance(value, datetime):
        return ""
    local = _local(value)
    return f"{dateformat.format(local, fmt)} ({local.tzname()})"


@register.simple_tag
def zoned_range(start: datetime, end: datetime, fmt: str = DEFAULT_FORMAT) -> str:
    """"Tue 16 Mar, 18:00–19:30 (CST)"; each end with its zone when the offset changes in between,
    and the end's date too when it ends on another day."""
    if not (isinstance(start, datetime) and isinstance(end, datetime)):
        return ""
    start_local, end_local = _local(start), _local(end)
    end_fmt = "H:i" if start_local.date() == end_local.date() else fmt
    if start_local.utcoffset() == end_local.utcoffset():
        return f"{dateformat.format(start_local, fmt)}–{dateformat.format(end_local, end_fmt)} ({start_local.tzname()})"
    return f"{zoned(start_local, fmt)} – {zoned(end_local, end_fmt)}"


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
