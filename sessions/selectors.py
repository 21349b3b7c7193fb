"""Reads for the sessions pages, each a fixed number of queries whatever the data size."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db.models import Count, Exists, F, Max, Model, OuterRef, Q, QuerySet, Subquery
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
    Reminder,
    ReviewSeries,
    WaitlistEntry,
)

TIMES_OF_DAY = {
    "morning": (time(0, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), time(23, 59, 59)),
}
T = TypeVar("T", bound=Model)
T_co = TypeVar("T_co", bound=Model, covariant=True)
# A feed lists what starts from this many days ago on, and everything ahead (README, "Calendar feed").
FEED_PAST_DAYS = 90

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from sessions.models import OccurrenceQuerySet
    from subjects.models import Subject


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def seats_left(occurrence: Occurrence) -> int:
    """Seats left in one occurrence (use the `seats_left` annotation for lists)."""
    if hasattr(occurrence, "seats_left"):
        return occurrence.seats_left
    held = occurrence.waitlist.filter(status=WaitlistEntry.Status.OFFERED).count()  # offered to the first in line
    return occurrence.seats - occurrence.bookings.booked().count() - held


def upcoming_occurrences(
    *,
    viewer: "User | AnonymousUser | None" = None,
    subject: "Subject | None" = None,
    mentor: "User | None" = None,
    weekday: int | None = None,
    time_of_day: str | None = None,
    with_seats: bool = False,
    now: datetime | None = None,
) -> QuerySet[Occurrence]:
    """Scheduled future occurrences for browsing, with `seats_left`, `waiting_count` and, for a
    viewer, `viewer_booked` / `viewer_waiting`, all computed in the one query."""
    qs = browse_occurrences(
        subject=subject, mentor=mentor, weekday=weekday, time_of_day=time_of_day, with_seats=with_seats, now=now,
        for_card_actions=True,
    ).with_waiting_count()  # fmt: skip
    if viewer is not None and viewer.is_authenticated:
        qs = qs.annotate(
            viewer_booked=Exists(
                Booking.objects.booked().filter(occurrence=OuterRef("pk"), mentee=viewer)
            ),
            viewer_waiting=Exists(
                WaitlistEntry.objects.filter(
                    occurrence=OuterRef("pk"), mentee=viewer, status=WaitlistEntry.Status.WAITING
                )
            ),
        )
    return qs.with_seats_left() if not with_seats else qs


# What a browse card shows (sessions/_occurrence_card.html): the rest of these rows (the series'
# description, the mentor's profile and its JSON fields) is not read for the page.
BROWSE_CARD_FIELDS = (
    "series", "starts_at", "ends_at", "seats", "location", "status",
    "series__title", "series__subject", "series__mentor", "series__subject__name",
    "series__mentor__first_name", "series__mentor__last_name", "series__mentor__email",
)  # fmt: skip
# What My sessions shows of a booking's or a waitlist place's occurrence.
LISTED_OCCURRENCE_FIELDS = (
    "occurrence", "occurrence__starts_at", "occurrence__location", "occurrence__status",
    "occurrence__series", "occurrence__series__title",
)  # fmt: skip


# What My week shows of an occurrence.
WEEK_OCCURRENCE_FIELDS = ("series", "starts_at", "seats", "location", "status", "series__title")


def browse_occurrences(
    *,
    subject: "Subject | None" = None,
    mentor: "User | None" = None,
    weekday: int | None = None,
    time_of_day: str | None = None,
    with_seats: bool = False,
    now: datetime | None = None,
    for_card_actions: bool = False,
) -> "OccurrenceQuerySet":
    """The browse filters over scheduled future occurrences of active series, in time order, with
    series, subject and mentor joined but no counts (unless `with_seats` filters on them): the page
    counts the seats of its own rows with count_seats(), which costs far less than the annotations.
    Only the columns a card shows are read, unless `for_card_actions` (the full rows)."""
    qs = (
        Occurrence.objects.upcoming(_now(now))
        .filter(series__status=ReviewSeries.Status.ACTIVE)
        .select_related("series", "series__subject", "series__mentor")
    )
    if not for_card_actions:
        qs = qs.only(*BROWSE_CARD_FIELDS)
    if subject:
        qs = qs.filter(series__subject=subject)
    if mentor:
        qs = qs.filter(series__mentor=mentor)
    if weekday is not None:
        qs = qs.filter(series__weekday=weekday)
    if time_of_day in TIMES_OF_DAY:
        start, end = TIMES_OF_DAY[time_of_day]
        qs = qs.filter(series__start_time__gte=start, series__start_time__lt=end)
    if with_seats:
        qs = qs.with_seats_left().filter(seats_left__gt=0)  # type: ignore[misc]  # with_seats_left()'s annotation, unseen by the plugin
    return qs.order_by("starts_at", "pk")


def count_seats(occurrences: Sequence[Occurrence], *, viewer: "User | None" = None) -> Sequence[Occurrence]:
    """Set on each occurrence what upcoming_occurrences() annotates (`booked_count`, `held_count`,
    `seats_left`, `waiting_count`, and with a viewer `viewer_booked`, `viewer_waiting`), in two
    grouped queries for all of them: for a page of rows already fetched, far cheaper to build than
    the per-row subqueries."""
    ids = [occurrence.pk for occurrence in occurrences]
    viewer_id = viewer.pk if viewer is not None else None
    booked = {
        row["occurrence_id"]: row
        for row in Booking.objects.booked()
        .filter(occurrence_id__in=ids)
        .order_by()
        .values("occurrence_id")
        .annotate(n=Count("pk"), mine=Count("pk", filter=Q(mentee_id=viewer_id)))
    }
    offered, waiting = WaitlistEntry.Status.OFFERED, WaitlistEntry.Status.WAITING
    waits = {
        row["occurrence_id"]: row
        for row in WaitlistEntry.objects.filter(occurrence_id__in=ids, status__in=[offered, waiting])
        .order_by()
        .values("occurrence_id")
        .annotate(
            held=Count("pk", filter=Q(status=offered)),
            waiting=Count("pk", filter=Q(status=waiting)),
            mine=Count("pk", filter=Q(status=waiting, mentee_id=viewer_id)),
        )
    }
    no_bookings, no_waits = {"n": 0, "mine": 0}, {"held": 0, "waiting": 0, "mine": 0}
    for occurrence in occurrences:
        seats, line = booked.get(occurrence.pk, no_bookings), waits.get(occurrence.pk, no_waits)
        counted = {
            "booked_count": seats["n"],
            "held_count": line["held"],
            "seats_left": occurrence.seats - seats["n"] - line["held"],
            "waiting_count": line["waiting"],
            "viewer_booked": bool(seats["mine"]),
            "viewer_waiting": bool(line["mine"]),
        }
        for name, value in counted.items():  # the names the annotations of with_seats_left() & co. give
            setattr(occurrence, name, value)
    return occurrences
def browse_card(occurrence: Occurrence, *, viewer: "User", now: datetime | None = None) -> Occurrence | None:
    """`occurrence` (fetched with its series, subject and mentor) with what upcoming_occurrences()
    annotates for `viewer` (`seats_left`, `waiting_count`, `viewer_booked`, `viewer_waiting`), or None
    when browse would not list it (cancelled, started, series cancelled, gone). One plain query
    (Occurrence.seat_state) instead of the annotated one: the card a booking rush answers with."""
    state = occurrence.seat_state(viewer.pk)
    if (
        state is None
        or state.status != Occurrence.Status.SCHEDULED
        or occurrence.series.status != ReviewSeries.Status.ACTIVE
        or occurrence.has_started(_now(now))
    ):
        return None
    occurrence.seats, occurrence.status = state.seats, state.status
    for name in ("booked_count", "held_count", "seats_left", "waiting_count", "viewer_booked", "viewer_waiting"):
        setattr(occurrence, name, getattr(state, name))
    return occurrence


def occurrences_for_page() -> QuerySet[Occurrence]:
    """Occurrences with what their page shows (series, subject, mentor, `seats_left`); views fetch
    one with get_object_or_404, so a missing id is a 404."""
    return Occurrence.objects.select_related("series", "series__subject", "series__mentor").with_seats_left()


def roster(occurrence: Occurrence) -> list[Booking]:
    return list(occurrence.bookings.booked().select_related("mentee").order_by("created_at", "pk"))


def waitlist(occurrence: Occurrence) -> list[WaitlistEntry]:
    return list(occurrence.waitlist.filter(status=WaitlistEntry.Status.WAITING).select_related("mentee"))


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


@dataclass(frozen=True)
class Seat:
    """A mentee's seat in one occurrence as their calendar sees it.

    `revision` counts the seat's changes (booked 0, cancelled 1, booked again 2, ...), derived from
    the Booking rows that are kept on cancel; added to the occurrence's own sequence it gives a
    SEQUENCE that never goes down. `changed_at` is the last of those changes.
    """

    revision: int
    cancelled: bool
    changed_at: datetime


def seats_of(*, mentee: "User", occurrences: QuerySet[Occurrence] | None = None, since: datetime | None = None) -> dict[int, Seat]:
    """The mentee's seats by occurrence id (one query), in `occurrences` or starting from `since` on."""
    bookings = Booking.objects.filter(mentee=mentee)
    if occurrences is not None:
        bookings = bookings.filter(occurrence__in=occurrences)
    if since is not None:
        bookings = bookings.filter(occurrence__starts_at__gte=since)
    rows = (
        bookings.order_by()
        .values("occurrence_id")
        .annotate(
            made=Count("pk"),
            cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED)),
            last_booked=Max("created_at"),
            last_cancelled=Max("cancelled_at"),
        )
    )
    return {row["occurrence_id"]: _seat(row) for row in rows}


def seats_by_mentee(*, occurrence_ids: Iterable[int], mentee_ids: Iterable[int]) -> dict[tuple[int, int], Seat]:
    """Seats of many mentees at once, by (occurrence id, mentee id): seats_of() for a batch, one query."""
    rows = (
        Booking.objects.filter(occurrence_id__in=set(occurrence_ids), mentee_id__in=set(mentee_ids))
        .order_by()
        .values("occurrence_id", "mentee_id")
        .annotate(
            made=Count("pk"),
            cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED)),
            last_booked=Max("created_at"),
            last_cancelled=Max("cancelled_at"),
        )
    )
    return {(row["occurrence_id"], row["mentee_id"]): _seat(row) for row in rows}


def _seat(row: dict[str, Any]) -> Seat:
    # Each booking row is one "booked" change (the first is revision 0), each cancelled row one more.
    return Seat(
        revision=row["made"] + row["cancelled"] - 1,
        cancelled=row["cancelled"] == row["made"],
        changed_at=max(row["last_booked"], row["last_cancelled"] or row["last_booked"]),
    )


def calendar_occurrences(*, user: "User", now: datetime | None = None) -> tuple[list[Occurrence], dict[int, Seat]]:
    """Everything for a person's calendar feed: sessions they run and sessions they booked or
    cancelled a seat in, starting from FEED_PAST_DAYS ago on (all future ones), and their seats."""
    since = _now(now) - timedelta(days=FEED_PAST_DAYS)
    seats = seats_of(mentee=user, since=since)
    occurrences = list(
        Occurrence.objects.filter(starts_at__gte=since)
        .filter(Q(series__mentor=user) | Q(pk__in=list(seats)))
        .select_related("series", "series__subject", "series__mentor")
        .order_by("starts_at")
    )
    return occurrences, seats


def attending_bookings(*, starts_from: datetime, starts_until: datetime) -> QuerySet[Booking]:
    """Active bookings of scheduled occurrences starting in [starts_from, starts_until), with the
    mentee, occurrence, series, subject and mentor joined: what reminders and reports iterate over."""
    return (
        Booking.objects.attending()
        .filter(occurrence__starts_at__gte=starts_from, occurrence__starts_at__lt=starts_until)
        .select_related("mentee", "occurrence", "occurrence__series", "occurrence__series__subject", "occurrence__series__mentor")
        .order_by("occurrence__starts_at", "pk")
    )


def reminder_log(*, status: str | None = None) -> QuerySet[Reminder]:
    """Reminders newest-due first, with what the log page shows joined in."""
    reminders = Reminder.objects.select_related(
        "recipient", "occurrence__series__subject", "email"
    ).order_by("-due_at", "-pk")
    if status:
        reminders = reminders.filter(status=status)
    return reminders


def reminder_status_counts() -> dict[str, int]:
    counts = dict(Reminder.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {value: counts.get(value, 0) for value, _ in Reminder.Status.choices}


def booked_sessions_by_mentee(occurrence_ids: list[int]) -> list[tuple["User", list[Occurrence]]]:
    """Each mentee with a seat in any of these occurrences, with those occurrences in time order
    (one email per mentee, listing every session of theirs that changed)."""
    by_mentee: dict[int, tuple[User, list[Occurrence]]] = {}
    bookings = Booking.objects.booked().filter(occurrence_id__in=occurrence_ids).select_related(
        "mentee", "occurrence__series__subject", "occurrence__series__mentor"
    )
    for booking in bookings.order_by("occurrence__starts_at", "pk"):
        by_mentee.setdefault(booking.mentee_id, (booking.mentee, []))[1].append(booking.occurrence)
    return list(by_mentee.values())


# ---------------------------------------------------------------------------
# Attendance rules (program admins)
# ---------------------------------------------------------------------------
# A session that ended this long ago with booked mentees and no attendance recorded counts as
# the mentor's no-show (they had the day to record it).
MENTOR_NO_SHOW_GRACE = timedelta(days=1)
ATTENDANCE_LIST_LIMIT = 200


@dataclass(frozen=True)
class MenteeNoShows:
    mentee: "User"
    no_shows: int
    late_cancellations: int

    @property
    def total(self) -> int:
        return self.no_shows + self.late_cancellations


@dataclass(frozen=True)
class MentorNoShows:
    mentor: "User"
    sessions: int
    last_started_at: datetime


def _since_clearance(first_day: date) -> Subquery:
    from program.models import NoShowClearance

    return Subquery(
        NoShowClearance.objects.filter(mentee=OuterRef("mentee"), term_first_day=first_day)
        .order_by("-cleared_at")
        .values("cleared_at")[:1]
    )


def mentees_no_shows(*, first_day: date, last_day: date, count_late: bool) -> list[MenteeNoShows]:
    """Mentees with counted no-shows in the term (since their last clearance), most first.

    Counts as sessions.services.count_no_shows does, in three queries for every mentee at once."""
    from accounts.models import User
    from reports.periods import day_bounds

    start, end = day_bounds(first_day, last_day)
    window = Q(occurrence__starts_at__gte=start, occurrence__starts_at__lt=end)
    after_clearance = Q(since__isnull=True) | Q(occurrence__starts_at__gte=F("since"))

    def per_mentee(queryset: QuerySet) -> dict[int, int]:
        rows = queryset.filter(window).annotate(since=_since_clearance(first_day)).filter(after_clearance)
        return dict(rows.order_by().values_list("mentee").annotate(n=Count("pk")).values_list("mentee", "n"))

    no_shows = per_mentee(Attendance.objects.filter(status=Attendance.Status.NO_SHOW))
    late: dict[int, int] = {}
    if count_late:
        late = per_mentee(
            Booking.objects.filter(
                status=Booking.Status.CANCELLED, late_cancel=True, occurrence__status=Occurrence.Status.SCHEDULED
            )
        )
    people = User.objects.in_bulk(set(no_shows) | set(late))
    rows = [MenteeNoShows(people[pk], no_shows.get(pk, 0), late.get(pk, 0)) for pk in people]
    rows.sort(key=lambda r: (-r.total, r.mentee.email))
    return rows[:ATTENDANCE_LIST_LIMIT]


def mentors_no_shows(*, first_day: date, last_day: date, now: datetime | None = None) -> list[MentorNoShows]:
    """Mentors with sessions in the term that were neither held (no attendance recorded for the
    booked mentees) nor cancelled, once MENTOR_NO_SHOW_GRACE has passed since the end."""
    from accounts.models import User
    from reports.periods import day_bounds

    now = _now(now)
    start, end = day_bounds(first_day, last_day)
    rows = (
        Occurrence.objects.scheduled()
        .filter(starts_at__gte=start, starts_at__lt=end, ends_at__lt=now - MENTOR_NO_SHOW_GRACE)
        .filter(Exists(Booking.objects.booked().filter(occurrence=OuterRef("pk"))))
        .filter(~Exists(Attendance.objects.filter(occurrence=OuterRef("pk"))))
        .order_by()
        .values("series__mentor")
        .annotate(n=Count("pk"), last=Max("starts_at"))
    )
    counts = {row["series__mentor"]: (row["n"], row["last"]) for row in rows}
    people = User.objects.in_bulk(list(counts))
    result = [MentorNoShows(people[pk], n, last) for pk, (n, last) in counts.items()]
    result.sort(key=lambda r: (-r.sessions, r.mentor.email))
    return result[:ATTENDANCE_LIST_LIMIT]
