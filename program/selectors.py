"""Reads of the academic calendar that other apps and pages use."""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from program.models import Exam, Holiday, ProgramRulesChange, Term
from reports.periods import term_containing

if TYPE_CHECKING:
    from accounts.models import User
    from program.models import Announcement, AnnouncementRecipient
    from sessions.models import Occurrence, ReviewSeries
    from subjects.models import Subject


def term_on(day: date) -> Term | None:
    """The defined term that contains the day, if any."""
    return Term.objects.containing(day).first()


def closed_days(first_day: date, last_day: date) -> set[date]:
    """Every holiday day between the two dates (both included)."""
    days: set[date] = set()
    for holiday in Holiday.objects.overlapping(first_day, last_day):
        days.update(d for d in holiday.days() if first_day <= d <= last_day)
    return days


def exam_days(first_day: date, last_day: date) -> set[date]:
    """Every day of a block exam between the two dates (both included)."""
    days: set[date] = set()
    for exam in Exam.objects.blocks().filter(first_day__lte=last_day, last_day__gte=first_day):
        for n in range(exam.first_day.toordinal(), exam.last_day.toordinal() + 1):
            day = date.fromordinal(n)
            if first_day <= day <= last_day:
                days.add(day)
    return days


@dataclass(frozen=True)
class RulesTerm:
    """The term the attendance rules count in: a defined `Term`, else the half academic year."""

    name: str
    first_day: date
    last_day: date


def attendance_term_on(day: date) -> RulesTerm:
    """The defined term containing the day; if none is defined, reports.periods' half year."""
    defined = term_on(day)
    if defined is not None:
        return RulesTerm(defined.name, defined.first_day, defined.last_day)
    fallback = term_containing(day)
    return RulesTerm(fallback.label, fallback.start, fallback.end)


def latest_rules_changes(limit: int = 20) -> list[ProgramRulesChange]:
    return list(ProgramRulesChange.objects.select_related("changed_by")[:limit])
# ---------------------------------------------------------------------------
# Publishing a series for a term, and sessions on a holiday
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TermDates:
    first_date: date
    last_date: date
    skip_dates: list[date]


def terms_to_publish_in(today: date) -> "QuerySet[Term]":
    """Terms a mentor can still publish a series for (current and future)."""
    return Term.objects.upcoming_or_current(today)


def dates_for_term(term: Term, *, weekday: int | None, today: date) -> TermDates:
    """A series' dates from the calendar: the term's days from today on, and its skip dates (the
    holidays and block exam days that fall on the series' weekday; every such day if no weekday)."""
    first = max(term.first_day, today)
    last = term.last_day
    closed = closed_days(first, last) | exam_days(first, last)
    skip = sorted(d for d in closed if weekday is None or d.weekday() == weekday)
    return TermDates(first_date=first, last_date=last, skip_dates=skip)


def sessions_on_holiday(holiday: Holiday, *, now: datetime | None = None) -> list["Occurrence"]:
    """Scheduled, upcoming sessions whose (program-local) date falls on the holiday, with their
    series, mentor and booked count, in time order."""
    from sessions.models import Occurrence

    return list(
        Occurrence.objects.upcoming(now or timezone.now())
        .filter(series_date__gte=holiday.first_day, series_date__lte=holiday.last_day)
        .select_related("series", "series__mentor", "series__subject")
        .with_seats_left()
        .order_by("starts_at", "pk")
    )


# ---------------------------------------------------------------------------
# The mentee's dashboard: review sessions before the next exam
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewBeforeExam:
    exam: Exam
    occurrences: list["Occurrence"]


def review_before_next_exam(mentee: "User", *, now: datetime | None = None, limit: int = 6) -> ReviewBeforeExam | None:
    """The next exam with subjects (from today on) and the upcoming sessions in its subjects before
    it that this mentee may book (their class year; not another mentor's matched-only series)."""
    from sessions.models import Occurrence, ReviewSeries

    now = now or timezone.now()
    today = timezone.localdate(now)
    exam = Exam.objects.upcoming(today).filter(subjects__isnull=False).distinct().prefetch_related("subjects").first()
    if exam is None:
        return None
    before = datetime.combine(exam.first_day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    occurrences = (
        Occurrence.objects.upcoming(now)
        .filter(series__status=ReviewSeries.Status.ACTIVE, series__subject__in=exam.subjects.all(),
                starts_at__lt=before, series__matched_mentees_only=False)  # fmt: skip
        .exclude(series__mentor=mentee)
        .select_related("series", "series__subject", "series__mentor")
        .with_seats_left()
        .order_by("starts_at", "pk")
    )
    year = mentee.class_year
    eligible = [o for o in occurrences[: limit * 4] if not o.series.allowed_class_years or year in o.series.allowed_class_years]
    return ReviewBeforeExam(exam=exam, occurrences=eligible[:limit])


# ---------------------------------------------------------------------------
# Announcements
# ---------------------------------------------------------------------------
def announcement_audience(
    *,
    audience: str,
    class_year: int | None = None,
    subject: "Subject | None" = None,
    term: Term | None = None,
    series: "ReviewSeries | None" = None,
    today: date | None = None,
) -> "QuerySet[User]":
    """The active people an announcement to this audience reaches, each once, by email address."""
    from accounts.class_year import graduation_year_for
    from accounts.models import User
    from program.models import Announcement
    from sessions.models import Attendance, Booking, Occurrence

    people = User.objects.filter(is_active=True, deleted_at__isnull=True).exclude(email="")
    Audience = Announcement.Audience
    if audience == Audience.MENTORS:
        chosen = people.filter(is_mentor=True)
    elif audience == Audience.MENTEES:
        chosen = people.filter(is_mentee=True)
    elif audience == Audience.CLASS_YEAR and class_year:
        chosen = people.filter(graduation_year=graduation_year_for(class_year, today))
    elif audience == Audience.SUBJECT_TERM and subject is not None and term is not None:
        sessions = Occurrence.objects.filter(
            series__subject=subject, series_date__gte=term.first_day, series_date__lte=term.last_day
        )
        booked = Booking.objects.booked().filter(occurrence__in=sessions).values("mentee")
        attended = Attendance.objects.filter(occurrence__in=sessions, status=Attendance.Status.ATTENDED).values("mentee")
        chosen = people.filter(Q(pk__in=booked) | Q(pk__in=attended))
    elif audience == Audience.SERIES and series is not None:
        booked = Booking.objects.booked().filter(
            occurrence__series=series, occurrence__status=Occurrence.Status.SCHEDULED,
            occurrence__starts_at__gt=timezone.now(),
        ).values("mentee")  # fmt: skip
        standing = series.standing_bookings.filter(active=True).values("mentee")
        chosen = people.filter(Q(pk__in=booked) | Q(pk__in=standing))
    else:
        chosen = people.none()
    return chosen.order_by("last_name", "first_name", "pk")


def announcements_for_admins() -> "QuerySet[Announcement]":
    from program.models import Announcement

    return (
        Announcement.objects.select_related("sender", "subject", "term", "series")
        .annotate(recipient_count=Count("recipients"))
        .order_by("-created_at", "-pk")
    )


def announcement_recipients(announcement: "Announcement") -> "QuerySet[AnnouncementRecipient]":
    return announcement.recipients.select_related("user", "email").order_by("user__last_name", "user__first_name", "pk")
