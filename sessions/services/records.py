"""After the session: attendance, outcome notes (mentors) and ratings (mentees)."""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict, Unpack, cast

from django.conf import settings
from django.db import IntegrityError, transaction

from core import locking
from core.errors import clean_or_refuse
from sessions.errors import (
    AlreadyRated,
    InvalidSchedule,
    NotAttended,
    NotBookable,
    TooLate,
)
from sessions.models import (
    Attendance,
    NoteRevision,
    Occurrence,
    OutcomeNote,
    Rating,
)
from sessions.services.attendance_rules import _local_day, warn_if_near_no_show_limit
from sessions.services.common import _lock_occurrence, _now, _require_series_mentor

if TYPE_CHECKING:
    from accounts.models import User


# ---------------------------------------------------------------------------
# After the session (mentors) and ratings (mentees)
# ---------------------------------------------------------------------------
def notes_editable_until(note: OutcomeNote | None, occurrence: Occurrence) -> datetime:
    """Notes (and attendance) can be written after the session starts and edited for
    settings.NOTES_EDITABLE_DAYS after the notes were first saved."""
    start = note.created_at if note else None
    window = timedelta(days=settings.NOTES_EDITABLE_DAYS)
    return start + window if start else occurrence.ends_at + timedelta(days=3650)


def _check_record_window(occurrence: Occurrence, by: "User", now: datetime) -> OutcomeNote | None:
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
    by: "User",
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
        day = _local_day(occurrence.starts_at)
        for record in records:
            if record.status == Attendance.Status.NO_SHOW:
                warn_if_near_no_show_limit(mentee=record.mentee, day=day, now=now)
    return records


class NoteText(TypedDict, total=False):
    """The outcome note's texts, as the record form gives them (each may be left out: empty)."""

    topics: str
    private_notes: str
    follow_ups: str
    note_to_attendees: str


NOTE_FIELDS = tuple(NoteText.__annotations__)


def save_outcome_note(
    *, occurrence: Occurrence, by: "User", now: datetime | None = None, **text: Unpack[NoteText]
) -> OutcomeNote:
    """Write or edit the outcome note; every save that changes it is kept as a NoteRevision.

    Editable for settings.NOTES_EDITABLE_DAYS after it was first written (then TooLate).
    """
    now = _now(now)
    fields = {name: cast(str, text.get(name, "")).strip() for name in NOTE_FIELDS}
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        note = _check_record_window(occurrence, by, now)
        if note is None:
            note = OutcomeNote(occurrence=occurrence, mentor=by, created_at=now, updated_at=now, **fields)
            clean_or_refuse(note)
            note.save()
        elif any(getattr(note, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(note, k, v)
            note.updated_at = now
            clean_or_refuse(note)
            note.save()
        else:
            return note
        NoteRevision.objects.create(note=note, editor=by, edited_at=now, **fields)
    return note


def record_session(
    *,
    occurrence: Occurrence,
    by: "User",
    statuses: Mapping[int, str],
    walk_ins: Iterable = (),
    now: datetime | None = None,
    **text: Unpack[NoteText],
) -> OutcomeNote:
    """Attendance and the outcome note from one form, saved together or not at all."""
    now = _now(now)
    with transaction.atomic():
        record_attendance(occurrence=occurrence, by=by, statuses=statuses, walk_ins=walk_ins, now=now)
        return save_outcome_note(occurrence=occurrence, by=by, now=now, **text)


def rate_occurrence(*, occurrence: Occurrence, mentee: "User", score: int, feedback: str = "", now: datetime | None = None) -> Rating:
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


def regenerate_calendar_token(*, user: "User") -> str:
    """Revoke the user's calendar feed URL and issue a new one."""
    from accounts.models import new_calendar_token

    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
