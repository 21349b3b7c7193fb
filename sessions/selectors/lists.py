"""My week (a mentor's) and My sessions (a mentee's): long lists shown a window at a time."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

from django.db.models import Count, Exists, F, Min, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models import Window as SqlWindow
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from accounts.class_year import class_year_for, class_year_label
from accounts.models import display_name_for
from sessions.models import (
    Attendance,
    Booking,
    Occurrence,
    OutcomeNote,
    Rating,
    ReviewSeries,
    WaitlistEntry,
)
from sessions.selectors.browse import _now, count_seats

if TYPE_CHECKING:
    from accounts.models import User


T = TypeVar("T", bound=Model)
T_co = TypeVar("T_co", bound=Model, covariant=True)
# What My sessions shows of a booking's or a waitlist place's occurrence.
LISTED_OCCURRENCE_FIELDS = (
    "occurrence", "occurrence__starts_at", "occurrence__location", "occurrence__status",
    "occurrence__series", "occurrence__series__title",
)  # fmt: skip
# What My week shows of an occurrence.
WEEK_OCCURRENCE_FIELDS = ("series", "starts_at", "seats", "location", "status", "series__title")


# My week and My sessions show their lists a window at a time, nearest first, with links to the
# next and previous windows: a page stays small (under 100 KB) however much a person has booked.
WINDOW_SIZE = 20
WEEK_WINDOW_SIZE = 10  # My week's sessions, each with its roster
ROSTER_SHOWN = 30  # names on a My week card; the session's page lists them all
MAX_WINDOW = 10_000  # a window number past this is the last one anybody could have (and no SQL overflow)


@dataclass(frozen=True)
class Window(Generic[T_co]):
    """One stretch of a list too long for one page: its `items`, its `number` (1 is the first)
    and whether more come after it."""

    items: Sequence[T_co]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_number(self) -> int | None:
        """The previous window's number, None for the first (its link needs no parameter)."""
        return self.number - 1 if self.number > 2 else None

    @property
    def next_number(self) -> int:
        return self.number + 1


def window_of(queryset: QuerySet[T], number: int, size: int = WINDOW_SIZE) -> Window[T]:
    """Window `number` of `queryset` (already ordered), in one query: one row more than it shows
    tells whether another window follows."""
    number = min(max(number, 1), MAX_WINDOW)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    if not rows and number > 1:  # past the end (an old link, a typed number): the last window there is
        number = max(1, -(-queryset.count() // size))
        start = (number - 1) * size
        rows = list(queryset[start : start + size + 1])
    return Window(items=rows[:size], number=number, has_next=len(rows) > size)


@dataclass(frozen=True)
class RosterLine:
    """One booked mentee as a roster lists them: the name and the class year shown beside it."""

    name: str
    class_year: str


def attach_rosters(occurrences: Sequence[Occurrence]) -> None:
    """Set on each occurrence `roster`: its first ROSTER_SHOWN booked mentees in booking order
    (`booked_count` has them all), in one query of the five columns shown, not two model rows each."""
    ordinal = SqlWindow(RowNumber(), partition_by=F("occurrence_id"), order_by=[F("created_at").asc(), F("pk").asc()])
    rows = (
        Booking.objects.booked()
        .filter(occurrence_id__in=[occurrence.pk for occurrence in occurrences])
        .annotate(ordinal=ordinal)
        .filter(ordinal__lte=ROSTER_SHOWN)
        .order_by("occurrence_id", "ordinal")
        .values_list("occurrence_id", "mentee__first_name", "mentee__last_name", "mentee__email", "mentee__graduation_year")
    )
    today = timezone.localdate()
    rosters: dict[int, list[RosterLine]] = {occurrence.pk: [] for occurrence in occurrences}
    for occurrence_id, first_name, last_name, email, graduation_year in rows:
        year = class_year_label(class_year_for(graduation_year, today))
        rosters[occurrence_id].append(RosterLine(display_name_for(first_name, last_name, email), year))
    for occurrence in occurrences:
        occurrence.roster = rosters[occurrence.pk]  # type: ignore[attr-defined]  # set for the page, as the annotations are


@dataclass
class MentorWeek:
    upcoming: Window[Occurrence]
    awaiting_notes: Window[Occurrence]
    series: list[ReviewSeries]


def mentor_week(
    *, mentor: "User", now: datetime | None = None, days: int = 7, upcoming_window: int = 1, awaiting_window: int = 1
) -> MentorWeek:
    """The mentor's occurrences in the next `days` days with (the start of) their rosters, past
    ones still without notes (last 30 days, latest first), a window of each, and their active series."""
    now = _now(now)
    upcoming = window_of(
        Occurrence.objects.filter(series__mentor=mentor, starts_at__gt=now, starts_at__lte=now + timedelta(days=days))
        .select_related("series")
        .only(*WEEK_OCCURRENCE_FIELDS)
        .order_by("starts_at", "pk"),
        upcoming_window,
        WEEK_WINDOW_SIZE,
    )
    awaiting = window_of(
        Occurrence.objects.scheduled()
        .filter(series__mentor=mentor, starts_at__lte=now, starts_at__gte=now - timedelta(days=30))
        .filter(~Exists(OutcomeNote.objects.filter(occurrence=OuterRef("pk"))))
        .select_related("series")
        .only(*WEEK_OCCURRENCE_FIELDS)
        .order_by("-starts_at", "-pk"),
        awaiting_window,
    )
    count_seats([*upcoming.items, *awaiting.items])
    attach_rosters(upcoming.items)
    series = list(
        ReviewSeries.objects.filter(mentor=mentor, status=ReviewSeries.Status.ACTIVE, last_date__gte=now.date())
        .select_related("subject")
        .order_by("weekday", "start_time")
    )
    return MentorWeek(upcoming=upcoming, awaiting_notes=awaiting, series=series)


@dataclass
class MenteeSessions:
    upcoming: Window[Booking]
    waiting: Window[WaitlistEntry]  # each with `position` (1 = next in line)
    past: Window[Booking]


def mentee_sessions(
    *,
    mentee: "User",
    now: datetime | None = None,
    upcoming_window: int = 1,
    waiting_window: int = 1,
    past_window: int = 1,
) -> MenteeSessions:
    """Upcoming bookings (nearest first), waitlist places with their position (offers first),
    and past sessions (latest first) with the shared note, the mentee's attendance and whether
    they rated it: a window of each."""
    now = _now(now)
    base = (
        Booking.objects.filter(mentee=mentee)
        .booked()
        .select_related("occurrence", "occurrence__series")
        .only("status", *LISTED_OCCURRENCE_FIELDS)
    )
    upcoming = window_of(
        base.filter(occurrence__starts_at__gt=now).order_by("occurrence__starts_at", "pk"), upcoming_window
    )
    ahead = WaitlistEntry.objects.filter(
        occurrence=OuterRef("occurrence"), status=WaitlistEntry.Status.WAITING
    ).filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")))
    waiting = window_of(  # an OFFERED place shows its deadline instead of a position
        WaitlistEntry.objects.filter(
            mentee=mentee, status__in=WaitlistEntry.OPEN_STATUSES, occurrence__starts_at__gt=now
        )
        .select_related("occurrence", "occurrence__series")
        .only("status", "offer_expires_at", "created_at", *LISTED_OCCURRENCE_FIELDS)
        .annotate(
            position=Coalesce(
                Subquery(ahead.order_by().values("occurrence").annotate(n=Count("pk")).values("n")[:1]), 0
            )
            + 1
        )
        .order_by("status", "occurrence__starts_at", "pk"),  # offers ("offered" < "waiting") first
        waiting_window,
    )
    past = window_of(
        base.filter(occurrence__starts_at__lte=now)
        .select_related("occurrence__outcome_note")
        .only("status", *LISTED_OCCURRENCE_FIELDS, "occurrence__outcome_note__note_to_attendees")
        .annotate(
            attended=Exists(
                Attendance.objects.filter(
                    occurrence=OuterRef("occurrence"), mentee=mentee, status=Attendance.Status.ATTENDED
                )
            ),
            rated=Exists(Rating.objects.filter(occurrence=OuterRef("occurrence"), mentee=mentee)),
        )
        .order_by("-occurrence__starts_at", "-pk"),
        past_window,
    )
    return MenteeSessions(upcoming=upcoming, waiting=waiting, past=past)


def _next_midnight(now: datetime) -> datetime:
    """The next local midnight (in the active time zone): dates shown as "today" move on then."""
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), datetime.min.time()))


def mentor_week_changes_at(mentor: "User", *, now: datetime | None = None, days: int = 7) -> datetime:
    """When My week of `mentor` changes with time alone: a session starts (it leaves the coming week
    and may await notes), one comes within `days` days, one awaiting notes turns 30 days old, or the
    date moves on. Written data changes are core.page_cache's business, not this."""
    now = _now(now)
    mine = Occurrence.objects.filter(series__mentor=mentor)
    found = mine.aggregate(
        starts=Min("starts_at", filter=Q(starts_at__gt=now)),
        comes=Min("starts_at", filter=Q(starts_at__gt=now + timedelta(days=days))),
        ages=Min("starts_at", filter=Q(starts_at__lte=now, starts_at__gte=now - timedelta(days=30))),
    )
    moments = [_next_midnight(now)]
    if found["starts"]:
        moments.append(found["starts"])
    if found["comes"]:
        moments.append(found["comes"] - timedelta(days=days))
    if found["ages"]:
        moments.append(found["ages"] + timedelta(days=30))
    return min(moments)


def mentee_sessions_changes_at(mentee: "User", *, now: datetime | None = None) -> datetime:
    """When My sessions of `mentee` changes with time alone: a booked or waited-for session starts
    (it moves to the past or leaves the waitlists), or the date moves on."""
    now = _now(now)
    booked = Booking.objects.filter(mentee=mentee, occurrence__starts_at__gt=now).booked()
    waiting = WaitlistEntry.objects.filter(
        mentee=mentee, status__in=WaitlistEntry.OPEN_STATUSES, occurrence__starts_at__gt=now
    )
    moments = [
        _next_midnight(now),
        *(
            found
            for found in (
                booked.aggregate(at=Min("occurrence__starts_at"))["at"],
                waiting.aggregate(at=Min("occurrence__starts_at"))["at"],
            )
            if found
        ),
    ]
    return min(moments)
