"""Writes of the academic calendar: terms, holidays and exams, and cancelling sessions on a new holiday.

Every write of a term, a holiday or an exam runs under the lock of the one `ProgramRules` row, so two admins
saving overlapping terms at once cannot both succeed (the second sees the first's term).
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from core import locking
from core.errors import clean_or_refuse
from program.errors import InvalidCalendar
from program.models import EARLIEST_DAY, LATEST_DAY, MAX_TERM_LENGTH, Exam, Holiday, ProgramRules, Term

if TYPE_CHECKING:
    from accounts.models import User
    from sessions.models import Occurrence
    from subjects.models import Subject


def lock_calendar() -> ProgramRules:
    """Take the calendar's lock (the ProgramRules row); inside transaction.atomic()."""
    ProgramRules.objects.get_or_create(pk=1)
    return locking.lock(ProgramRules.objects.all(), 1)


def _check_days(first_day: date, last_day: date) -> None:
    for day, field in ((first_day, "first_day"), (last_day, "last_day")):
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise InvalidCalendar(f"Give a date between {EARLIEST_DAY:%Y} and {LATEST_DAY:%Y}.", field=field)
    if last_day < first_day:
        raise InvalidCalendar(
            f"The last day ({last_day:%d %B %Y}) is before the first day ({first_day:%d %B %Y}).", field="last_day"
        )


def _full_clean(obj: Term | Holiday | Exam) -> None:
    clean_or_refuse(obj, InvalidCalendar)


def check_term(*, name: str, first_day: date, last_day: date, exclude_pk: int | None = None) -> None:
    """Refuse a term with its days out of order, longer than a year, overlapping another, or a taken name.

    Call under lock_calendar()."""
    _check_days(first_day, last_day)
    if last_day - first_day > MAX_TERM_LENGTH:
        raise InvalidCalendar("A term can last at most a year.", field="last_day")
    others = Term.objects.exclude(pk=exclude_pk) if exclude_pk else Term.objects.all()
    clash = others.overlapping(first_day, last_day).first()
    if clash:
        raise InvalidCalendar(f"This overlaps the term {clash}. Terms cannot overlap.", field="first_day")
    if others.filter(name__iexact=name.strip()).exists():
        raise InvalidCalendar(f"There is already a term called “{name.strip()}”.", field="name")


def save_term(
    *, name: str, first_day: date, last_day: date, term: Term | None = None, ical_uid: str | None = None
) -> Term:
    """Create a term (or change `term`). Refuses an overlap with another term."""
    with transaction.atomic():
        lock_calendar()
        check_term(name=name, first_day=first_day, last_day=last_day, exclude_pk=term.pk if term else None)
        term = term or Term()
        term.name, term.first_day, term.last_day = name.strip(), first_day, last_day
        if ical_uid is not None:
            term.ical_uid = ical_uid
        _full_clean(term)
        term.save()
    return term


def _delete_kept_for(obj: Term | Holiday | Exam, kept_for: str) -> None:
    """Delete one calendar row under the calendar lock; refused with `kept_for` while records protect it."""
    try:
        with transaction.atomic():
            lock_calendar()
            obj.delete()
    except ProtectedError:
        raise InvalidCalendar(kept_for) from None


def delete_term(*, term: Term) -> None:
    """Delete a term; refused while announcements (or other records) point at it."""
    _delete_kept_for(term, "Announcements or other records point at this term; it is kept for them.")


def save_holiday(
    *, name: str, first_day: date, last_day: date, holiday: Holiday | None = None, ical_uid: str | None = None
) -> Holiday:
    """Create a holiday (or change `holiday`): a day or a range of days with no sessions."""
    _check_days(first_day, last_day)
    if (last_day - first_day).days > 60:
        raise InvalidCalendar("A holiday can last at most 60 days; define a term break as the gap between terms.", field="last_day")
    with transaction.atomic():
        lock_calendar()  # as every calendar write: one at a time with an import's confirmation
        holiday = holiday or Holiday()
        holiday.name, holiday.first_day, holiday.last_day = name.strip(), first_day, last_day
        if ical_uid is not None:
            holiday.ical_uid = ical_uid
        _full_clean(holiday)
        holiday.save()
    return holiday


def delete_holiday(*, holiday: Holiday) -> None:
    _delete_kept_for(holiday, "Other records point at this holiday; it is kept for them.")


def check_exam(*, name: str, first_day: date, last_day: date, scale: str, scale_min: int | None,
               scale_max: int | None, exclude_pk: int | None = None) -> None:
    """Refuse an exam with its days out of order, outside every term (when terms exist), a scaled
    score without a sensible range, or the same name on the same day. Call under lock_calendar()."""
    _check_days(first_day, last_day)
    if scale == Exam.Scale.SCALED:
        if scale_min is None or scale_max is None:
            raise InvalidCalendar("A scaled score needs its lowest and highest score.", field="scale_min")
        if scale_min >= scale_max:
            raise InvalidCalendar("The highest score must be above the lowest.", field="scale_max")
    elif scale_min is not None or scale_max is not None:
        raise InvalidCalendar("Only a scaled score has a score range; leave it empty.", field="scale_min")
    if Term.objects.exists():
        first_term = Term.objects.containing(first_day).first()
        if first_term is None or last_day not in first_term:
            raise InvalidCalendar(
                f"{first_day:%d %B %Y}{'' if first_day == last_day else f' to {last_day:%d %B %Y}'} is outside every term. "
                "Add or extend the term first.",
                field="first_day",
            )
    others = Exam.objects.exclude(pk=exclude_pk) if exclude_pk else Exam.objects.all()
    if others.filter(name__iexact=name.strip(), first_day=first_day).exists():
        raise InvalidCalendar(f"“{name.strip()}” on {first_day:%d %B %Y} is already in the catalogue.", field="name")


def save_exam(
    *,
    name: str,
    kind: str,
    scale: str,
    first_day: date,
    last_day: date,
    subjects: Iterable["Subject"] = (),
    scale_min: int | None = None,
    scale_max: int | None = None,
    exam: Exam | None = None,
    ical_uid: str | None = None,
) -> Exam:
    """Create an exam (or change `exam`) with its subjects. A block exam's days are skipped by new series."""
    with transaction.atomic():
        lock_calendar()
        check_exam(name=name, first_day=first_day, last_day=last_day, scale=scale, scale_min=scale_min,
                   scale_max=scale_max, exclude_pk=exam.pk if exam else None)  # fmt: skip
        exam = exam or Exam()
        exam.name, exam.kind, exam.scale = name.strip(), kind, scale
        exam.first_day, exam.last_day = first_day, last_day
        exam.scale_min, exam.scale_max = scale_min, scale_max
        if ical_uid is not None:
            exam.ical_uid = ical_uid
        _full_clean(exam)
        exam.save()
        exam.subjects.set(list(subjects))
    return exam


def delete_exam(*, exam: Exam) -> None:
    """Delete an exam; refused while other records (exam results) point at it."""
    _delete_kept_for(exam, "Other records (such as exam results) point at this exam; it is kept for them.")


def cancel_sessions_on_holiday(
    *, holiday: Holiday, by: "User", reason: str, occurrence_ids: Iterable[int], now: datetime | None = None
) -> list["Occurrence"]:
    """Cancel the scheduled, upcoming sessions on the holiday's days that the admin chose.

    The sessions app's own cancellation does it (its emails to booked mentees and calendar
    updates); only sessions still on the holiday are cancelled, all or nothing."""
    from program.selectors import sessions_on_holiday
    from sessions.services import cancel_occurrences

    now = now or timezone.now()
    chosen = set(occurrence_ids)
    targets = [occ for occ in sessions_on_holiday(holiday, now=now) if occ.pk in chosen]
    if not targets:
        raise InvalidCalendar("No upcoming session on this holiday was chosen.", field="occurrences")
    return cancel_occurrences(occurrences=targets, by=by, reason=reason, now=now)
