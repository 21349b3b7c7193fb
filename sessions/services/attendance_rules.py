"""The program's attendance rules (program.ProgramRules), applied when a mentee books:

- the no-show limit per term: after N no-shows in the term of the session being booked (excused
  absences never count; late cancellations count when the rules say so), new bookings, series
  bookings, waitlist places and waitlist seats are refused until a program admin clears them;
  a warning email goes out once at N-1;
- the weekly cap: at most N booked sessions per mentee in one week (Monday to Sunday, the
  program's zone) of the session being booked.

A term is the defined program.Term containing the day, else reports.periods' half year
(program.selectors.attendance_term_on). "Late" is sessions' own rule: cancelled less than
BOOKING_CANCEL_CUTOFF_HOURS before the start (Booking.late_cancel).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.errors import clean_or_refuse
from program.models import NoShowClearance, NoShowWarning, ProgramRules
from program.selectors import RulesTerm, attendance_term_on
from reports.periods import day_bounds, program_today, program_zone
from sessions.errors import InvalidSchedule, NoShowLimitReached, NotAllowed, WeeklyCapReached
from sessions.models import Attendance, Booking, Occurrence
from sessions.services.common import _now, _send_email

if TYPE_CHECKING:
    from accounts.models import User


def program_contact() -> str:
    """Whom a refused mentee should write to."""
    return settings.PROGRAM_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "the program office"


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment, program_zone()).date()


def latest_clearance(mentee_id: int, term: RulesTerm) -> NoShowClearance | None:
    return NoShowClearance.objects.filter(mentee_id=mentee_id, term_first_day=term.first_day).first()


@dataclass(frozen=True)
class NoShowCount:
    term: RulesTerm
    no_shows: int
    late_cancellations: int  # counted only when the rules count them
    since: datetime | None  # the last clearance in the term, if any

    @property
    def total(self) -> int:
        return self.no_shows + self.late_cancellations


def count_no_shows(*, mentee: "User", term: RulesTerm, rules: ProgramRules) -> NoShowCount:
    """The mentee's counted no-shows in the term, since the term's last clearance."""
    start, end = day_bounds(term.first_day, term.last_day)
    clearance = latest_clearance(mentee.pk, term)
    since = clearance.cleared_at if clearance else None
    window = Q(occurrence__starts_at__gte=start, occurrence__starts_at__lt=end)
    if since is not None:
        window &= Q(occurrence__starts_at__gte=since)
    no_shows = Attendance.objects.filter(window, mentee=mentee, status=Attendance.Status.NO_SHOW).count()
    late = 0
    if rules.late_cancellation_counts_as_no_show:
        late = Booking.objects.filter(
            window,
            mentee=mentee,
            status=Booking.Status.CANCELLED,
            late_cancel=True,
            occurrence__status=Occurrence.Status.SCHEDULED,
        ).count()
    return NoShowCount(term=term, no_shows=no_shows, late_cancellations=late, since=since)


def _no_show_refusal(count: NoShowCount, limit: int) -> str:
    what = "sessions you booked and missed"
    if count.late_cancellations:
        what = "sessions you booked and missed or cancelled late"
    return (
        f"You cannot book new sessions in {count.term.name}: you have {count.total} {what} "
        f"(the program's limit is {limit} a term). Please contact the program office at "
        f"{program_contact()}; a program admin can clear it."
    )


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def check_booking_rules(*, occurrence: Occurrence, mentee: "User", rules: ProgramRules | None = None) -> None:
    """Raise NoShowLimitReached or WeeklyCapReached if the program's rules refuse this booking.

    The caller holds the mentee's row lock, so two bookings of one mentee are counted in turn."""
    rules = rules or ProgramRules.current()
    day = _local_day(occurrence.starts_at)
    if rules.no_show_limit:
        count = count_no_shows(mentee=mentee, term=attendance_term_on(day), rules=rules)
        if count.total >= rules.no_show_limit:
            raise NoShowLimitReached(_no_show_refusal(count, rules.no_show_limit))
    if rules.weekly_booking_cap:
        monday, sunday = _week_of(day)
        start, end = day_bounds(monday, sunday)
        booked = (
            Booking.objects.attending()
            .filter(mentee=mentee, occurrence__starts_at__gte=start, occurrence__starts_at__lt=end)
            .exclude(occurrence=occurrence)
            .count()
        )
        if booked >= rules.weekly_booking_cap:
            next_monday = monday + timedelta(days=7)
            raise WeeklyCapReached(
                f"You already have {booked} sessions booked in the week of Monday {monday:%-d %B} "
                f"(the program allows {rules.weekly_booking_cap} a week, so everyone gets a seat). "
                f"You can book sessions from the week starting Monday {next_monday:%-d %B %Y}, "
                "or cancel one of that week's sessions first."
            )


def warn_if_near_no_show_limit(*, mentee: "User", day: date, now: datetime | None = None) -> bool:
    """Email the mentee once per term (and once again after each clearance) when their count
    reaches one short of the limit. Returns True if this call queued the warning."""
    now = _now(now)
    rules = ProgramRules.current()
    if not rules.no_show_limit or rules.no_show_limit < 2:
        return False
    term = attendance_term_on(day)
    count = count_no_shows(mentee=mentee, term=term, rules=rules)
    if count.total != rules.no_show_limit - 1:
        return False
    clearance = latest_clearance(mentee.pk, term)
    try:
        with transaction.atomic():  # the unique row is the claim: a retry or a second worker sends nothing
            NoShowWarning.objects.create(
                mentee=mentee, term_first_day=term.first_day, after_clearance=clearance.pk if clearance else 0, sent_at=now
            )
    except IntegrityError:
        return False
    _send_email(
        to=mentee,
        kind="no_show_warning",
        template="sessions/email/no_show_warning",
        context={
            "mentee": mentee,
            "term": term,
            "count": count.total,
            "limit": rules.no_show_limit,
            "contact": program_contact(),
            "cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS,
            "url": settings.SITE_URL + reverse("sessions:mine"),
        },
    )
    return True


def clear_no_shows(*, mentee: "User", by: "User", note: str, now: datetime | None = None) -> NoShowClearance:
    """A program admin lifts the mentee's no-show block in the current term, with a note (kept,
    with who and when, on the attendance rules page)."""
    now = _now(now)
    if not by.is_program_admin:
        raise NotAllowed("Only program admins can clear no-shows.")
    note = (note or "").strip()
    if not note:
        raise InvalidSchedule("Write a note saying why the no-shows are cleared.", field="note")
    term = attendance_term_on(program_today())
    with transaction.atomic():
        count = count_no_shows(mentee=mentee, term=term, rules=ProgramRules.current())
        if count.total == 0:
            raise InvalidSchedule(f"{mentee} has no no-shows to clear in {term.name}.", field="note")
        clearance = NoShowClearance(
            mentee=mentee,
            term_name=term.name,
            term_first_day=term.first_day,
            term_last_day=term.last_day,
            no_shows_cleared=count.total,
            note=note,
            cleared_by=by,
            cleared_at=now,
        )
        clean_or_refuse(clearance)
        clearance.save()
    return clearance
