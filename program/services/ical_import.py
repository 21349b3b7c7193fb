"""The school's calendar from an iCalendar file: upload, preview, confirm (docs/calendar.md).

How an event maps (first match wins):
1. its CATEGORIES name "Term", "Holiday" or "Exam" (also "Semester", "Break", "Block exam");
2. else its SUMMARY holds a keyword: "exam" or "block" (an exam block), then "holiday", "break",
   "closed", "no classes" (a holiday), then "term", "semester" (a term);
3. anything else is listed as ignored.
Days: an all-day event runs from DTSTART to the day before DTEND (DTEND is exclusive, RFC 5545);
a timed event covers the days it touches in the program's zone (its TZID or UTC converted with
zoneinfo, so DST is handled; a floating time is read as program time). An exam's subjects are the
catalogue's subjects named in its SUMMARY or DESCRIPTION. Re-importing matches events by UID:
an event seen before is updated, never duplicated. Recurring events (RRULE) are not imported.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import locking
from core.errors import clean_or_refuse
from program.errors import ImportAlreadyConfirmed, InvalidCalendar, NotICalendar
from program.models import (
    EARLIEST_DAY,
    ICAL_UID_MAX_LENGTH,
    LATEST_DAY,
    MAX_TERM_LENGTH,
    NAME_MAX_LENGTH,
    CalendarImport,
    Exam,
    Holiday,
    Term,
)
from program.services.calendar import lock_calendar

if TYPE_CHECKING:
    from accounts.models import User

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_EVENTS = 2000
TERM, HOLIDAY, EXAM = "term", "holiday", "exam"
KIND_LABELS = {TERM: "Term", HOLIDAY: "Holiday", EXAM: "Exam block"}
CATEGORY_KINDS = {
    "term": TERM, "semester": TERM, "holiday": HOLIDAY, "break": HOLIDAY, "closed": HOLIDAY,
    "exam": EXAM, "exams": EXAM, "block exam": EXAM, "exam block": EXAM,
}  # fmt: skip
SUMMARY_KEYWORDS = (
    (EXAM, ("exam", "block")),
    (HOLIDAY, ("holiday", "break", "closed", "no classes")),
    (TERM, ("term", "semester")),
)


@dataclass
class PlannedEvent:
    """One event of the file and what confirming does with it."""

    kind: str  # TERM, HOLIDAY, EXAM, or "" when ignored
    uid: str
    name: str
    first_day: date | None = None
    last_day: date | None = None
    action: str = "create"  # create / update / unchanged / ignored
    problem: str = ""  # blocks the whole import
    note: str = ""  # why an event is ignored
    subject_ids: list[int] = field(default_factory=list)
    subject_names: list[str] = field(default_factory=list)
    existing_pk: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "Ignored")


@dataclass
class CalendarPlan:
    events: list[PlannedEvent]

    @property
    def problems(self) -> list[PlannedEvent]:
        return [e for e in self.events if e.problem]

    @property
    def usable(self) -> list[PlannedEvent]:
        return [e for e in self.events if e.action != "ignored" and not e.problem]

    def count(self, kind: str, action: str) -> int:
        return sum(1 for e in self.usable if e.kind == kind and e.action == action)

    def summary(self) -> dict[str, int]:
        return {f"{kind}_{action}": self.count(kind, action) for kind in KIND_LABELS for action in ("create", "update")}


# ---------------------------------------------------------------------------
# Reading the file (no queries)
# ---------------------------------------------------------------------------
def decode_upload(raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise NotICalendar(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", field="file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotICalendar("This is not an iCalendar (.ics) file: it is not text.", field="file") from None


def _parse(content: str) -> Any:
    import icalendar

    if "BEGIN:VCALENDAR" not in content[:2000].upper():
        raise NotICalendar(
            "This is not an iCalendar (.ics) file: it does not begin with BEGIN:VCALENDAR. "
            "Export the school's calendar as iCalendar and upload that.",
            field="file",
        )
    try:
        return icalendar.Calendar.from_ical(content)
    except (ValueError, KeyError, IndexError, TypeError) as problem:  # what icalendar raises on broken files
        raise NotICalendar(f"This iCalendar file cannot be read: {str(problem)[:200]}", field="file") from None


def classify(categories: list[str], summary: str) -> str:
    """TERM, HOLIDAY, EXAM or "" for an event (see the module docstring)."""
    for category in categories:
        kind = CATEGORY_KINDS.get(category.strip().lower())
        if kind:
            return kind
    text = summary.lower()
    for kind, words in SUMMARY_KEYWORDS:
        if any(word in text for word in words):
            return kind
    return ""


def _categories(event: Any) -> list[str]:
    value = event.get("CATEGORIES")
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in values:
        cats = getattr(item, "cats", None)
        names.extend(str(c) for c in cats) if cats is not None else names.extend(str(item).split(","))
    return names


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    if timezone.is_naive(moment):  # a floating time: the program's wall clock
        return moment.date()
    return moment.astimezone(zone).date()


def _ends_before_it_starts(start: object, end: object) -> bool:
    """DTEND earlier than DTSTART (RFC 5545 forbids it), for two days or two times of the same kind."""
    if isinstance(start, datetime) and isinstance(end, datetime):
        if timezone.is_naive(start) != timezone.is_naive(end):
            return False
        return end < start
    if isinstance(start, date) and isinstance(end, date) and not isinstance(start, datetime) and not isinstance(end, datetime):
        return end < start
    return False


def event_days(start: date | datetime, end: date | datetime | None, duration: timedelta | None,
               zone: ZoneInfo) -> tuple[date, date]:
    """The first and last day (both included) an event covers in the program's zone."""
    if not isinstance(start, datetime):  # an all-day event: DTEND is the day after the last
        if isinstance(end, date) and not isinstance(end, datetime):
            last = end - timedelta(days=1)
        elif duration is not None:
            last = start + timedelta(days=max(duration.days, 1)) - timedelta(days=1)
        else:
            last = start
        return start, max(last, start)
    first = _local_day(start, zone)
    if end is None and duration is not None:
        end = start + duration
    if not isinstance(end, datetime) or end <= start:
        return first, first
    # An event ending at midnight does not touch the next day.
    last = _local_day(end - timedelta(microseconds=1), zone)
    return first, max(first, last)


def read_events(content: str) -> list[PlannedEvent]:
    """Every VEVENT of the file, classified, with its days (raises NotICalendar)."""
    calendar = _parse(content)
    zone = ZoneInfo(settings.TIME_ZONE)
    events: list[PlannedEvent] = []
    for index, event in enumerate(calendar.walk("VEVENT")):
        if index >= MAX_EVENTS:
            raise NotICalendar(f"The file has more than {MAX_EVENTS} events; export one school year.", field="file")
        summary = " ".join(str(event.get("SUMMARY", "")).split())[:NAME_MAX_LENGTH]
        start = event.decoded("DTSTART", None) if "DTSTART" in event else None
        uid = " ".join(str(event.get("UID", "")).split())[:ICAL_UID_MAX_LENGTH]
        planned = PlannedEvent(kind=classify(_categories(event), summary), uid=uid, name=summary or "(no title)")
        if not uid and start is not None:
            planned.uid = f"no-uid:{planned.kind}:{planned.name.lower()}:{start}"[:ICAL_UID_MAX_LENGTH]
        planned.subject_names = [summary, str(event.get("DESCRIPTION", ""))]
        broken = [f"{name}: {message}" for name, message in getattr(event, "errors", [])]
        if not planned.kind:
            planned.action, planned.note = "ignored", "Not a term, holiday or exam (no category or keyword)."
        elif broken or (start is not None and not isinstance(start, date)):
            planned.action = "ignored"
            planned.problem = f"Its dates cannot be read ({'; '.join(broken)[:200] or 'DTSTART'})."
        elif start is None:
            planned.action, planned.note = "ignored", "It has no start (DTSTART)."
        elif "RRULE" in event:
            planned.action, planned.note = "ignored", "Recurring events are not imported; give each day its own event."
        else:
            end = event.decoded("DTEND", None) if "DTEND" in event else None
            duration = event.decoded("DURATION", None) if "DURATION" in event else None
            if _ends_before_it_starts(start, end):
                planned.problem = "It ends before it starts (DTEND is earlier than DTSTART)."
            try:
                planned.first_day, planned.last_day = event_days(start, end, duration, zone)
            except OverflowError:  # a DURATION running past the year 9999
                planned.action, planned.problem = "ignored", "Its dates are out of range."
        events.append(planned)
    if not events:
        raise NotICalendar("This iCalendar file has no events.", field="file")
    return events


# ---------------------------------------------------------------------------
# Comparing with the calendar
# ---------------------------------------------------------------------------
def _match_subjects(planned: PlannedEvent, subjects: list[tuple[int, str]]) -> None:
    text = " ".join(planned.subject_names).lower()
    found = [(pk, name) for pk, name in subjects if name.lower() in text]
    planned.subject_ids = [pk for pk, _ in found]
    planned.subject_names = [name for _, name in found]


def plan_import(content: str) -> CalendarPlan:
    """What confirming this file would do; problems block the whole import (nothing partial)."""
    from subjects.models import Subject

    events = read_events(content)
    subjects = list(Subject.objects.active().values_list("pk", "name"))
    existing: dict[str, dict[str, Any]] = {
        TERM: {t.ical_uid: t for t in Term.objects.exclude(ical_uid="")},
        HOLIDAY: {h.ical_uid: h for h in Holiday.objects.exclude(ical_uid="")},
        EXAM: {e.ical_uid: e for e in Exam.objects.exclude(ical_uid="").prefetch_related("subjects")},
    }
    seen: set[tuple[str, str]] = set()
    for planned in events:
        if planned.action == "ignored" or planned.first_day is None or planned.last_day is None:
            planned.subject_names = []
            continue
        if (planned.kind, planned.uid) in seen:
            planned.problem = "Another event in the file has the same UID."
            continue
        seen.add((planned.kind, planned.uid))
        if planned.kind == EXAM:
            _match_subjects(planned, subjects)
        else:
            planned.subject_names = []
        if not (EARLIEST_DAY <= planned.first_day and planned.last_day <= LATEST_DAY):
            planned.problem = f"Its dates are not between {EARLIEST_DAY:%Y} and {LATEST_DAY:%Y}."
            continue
        if planned.kind == TERM and planned.last_day - planned.first_day > MAX_TERM_LENGTH:
            planned.problem = "A term can last at most a year."
        if planned.kind == HOLIDAY and (planned.last_day - planned.first_day).days > 60:
            planned.problem = "A holiday can last at most 60 days."
        old = existing[planned.kind].get(planned.uid)
        if old is not None:
            planned.existing_pk = old.pk
            same = (old.name, old.first_day, old.last_day) == (planned.name, planned.first_day, planned.last_day)
            if planned.kind == EXAM:
                same = same and sorted(s.pk for s in old.subjects.all()) == sorted(planned.subject_ids)
            planned.action = "unchanged" if same else "update"
    _check_terms(events)
    _check_exams_in_terms(events)
    return CalendarPlan(events)


def _check_terms(events: list[PlannedEvent]) -> None:
    """Terms of the file may not overlap each other or a term that stays as it is."""
    incoming = [e for e in events if e.kind == TERM and e.action != "ignored" and not e.problem]
    replaced = {e.existing_pk for e in incoming if e.existing_pk}
    kept = [t for t in Term.objects.all() if t.pk not in replaced]
    names = {t.name.lower(): t for t in kept}
    for i, planned in enumerate(incoming):
        assert planned.first_day and planned.last_day
        clash = next((t for t in kept if t.first_day <= planned.last_day and t.last_day >= planned.first_day), None)
        if clash:
            planned.problem = f"It overlaps the term {clash}. Terms cannot overlap."
            continue
        other = next((o for o in incoming[:i] if o.first_day and o.last_day and o.first_day <= planned.last_day
                      and o.last_day >= planned.first_day), None)  # fmt: skip
        if other:
            planned.problem = f"It overlaps “{other.name}” in the same file. Terms cannot overlap."
        elif planned.name.lower() in names:
            planned.problem = f"There is already a term called “{planned.name}”."


def _check_exams_in_terms(events: list[PlannedEvent]) -> None:
    replaced = {e.existing_pk for e in events if e.kind == TERM and e.existing_pk}
    spans = [(t.first_day, t.last_day) for t in Term.objects.all() if t.pk not in replaced]
    spans += [(e.first_day, e.last_day) for e in events if e.kind == TERM and e.first_day and e.last_day and e.action != "ignored"]
    if not spans:
        return
    for planned in events:
        if planned.kind != EXAM or planned.problem or planned.action == "ignored":
            continue
        assert planned.first_day and planned.last_day
        if not any(first <= planned.first_day and planned.last_day <= last for first, last in spans):
            planned.problem = "It is outside every term. Add the term to the file or the calendar first."


# ---------------------------------------------------------------------------
# Upload and confirm
# ---------------------------------------------------------------------------
def upload_calendar(*, uploaded_by: "User", filename: str, raw: bytes) -> CalendarImport:
    """Keep an uploaded file for its preview; refuses a file that is not iCalendar (nothing saved)."""
    content = decode_upload(raw)
    plan_import(content)  # a file that is not iCalendar is refused here, before anything is kept
    upload = CalendarImport(uploaded_by=uploaded_by, filename=" ".join(filename.split())[:255] or "calendar.ics",
                            content=content)  # fmt: skip
    clean_or_refuse(upload, NotICalendar)
    upload.save()
    return upload


def confirm_calendar_import(*, upload: CalendarImport, now: datetime | None = None) -> dict[str, int]:
    """Apply the file once, all or nothing: re-checked under the calendar's lock, refused with problems."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_calendar()
        upload = locking.lock(CalendarImport.objects.all(), upload.pk)
        if upload.confirmed_at is not None:
            raise ImportAlreadyConfirmed("This file was already imported; upload it again to import its changes.")
        plan = plan_import(upload.content)
        if plan.problems:
            raise InvalidCalendar(
                f"{len(plan.problems)} events have problems (listed below); fix the file and upload it again."
            )
        models: dict[str, Any] = {TERM: Term, HOLIDAY: Holiday, EXAM: Exam}
        for planned in plan.usable:
            if planned.action == "unchanged":
                continue
            model = models[planned.kind]
            obj = model.objects.get(pk=planned.existing_pk) if planned.existing_pk else model(ical_uid=planned.uid)
            obj.name, obj.first_day, obj.last_day = planned.name, planned.first_day, planned.last_day
            try:
                obj.full_clean()
            except ValidationError as problem:
                raise InvalidCalendar(f"“{planned.name}” cannot be saved: {' '.join(problem.messages)}") from None
            obj.save()
            if planned.kind == EXAM:
                obj.subjects.set(planned.subject_ids)
        upload.confirmed_at = now
        upload.summary = plan.summary()
        upload.save(update_fields=["confirmed_at", "summary"])
    return upload.summary
