"""The report as named tables: one definition shared by the page, the CSV downloads and `report_csv`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from reports import selectors
from reports.periods import program_zone
from reports.selectors import ReportFilters
from reports.selectors.bitmaps import one_read_of_attendance_bitmaps
from reports.spreadsheet import csv_text
from sessions.models import WEEKDAYS

T = TypeVar("T")
WEEKDAY_NAMES = dict(WEEKDAYS)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    # The typed object the rows were made from, for a page that needs more than the cells (the
    # summary's tiles read a TermSummary); cached with the table.
    source: object | None = None

    def to_csv(self) -> str:
        return csv_text(self.columns, self.rows)

    def column(self, name: str) -> list:
        """The cells of the column headed `name`: charts name their column, so reordering the
        table cannot make them plot another series (an unknown name is a KeyError)."""
        if name not in self.columns:
            raise KeyError(f"table {self.key!r} has no column {name!r}")
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


def percent(rate: float | None) -> float | str:
    return "" if rate is None else round(rate * 100, 1)


def one_decimal(value: float | None) -> float | str:
    return "" if value is None else round(value, 1)


def two_decimals(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def _facts(f: ReportFilters, shared: dict) -> selectors.ActivityFacts:
    # Activity, trends and fill rates read the same grouped aggregates; compute them once per report.
    if "facts" not in shared:
        shared["facts"] = selectors.ActivityFacts(f)
    return shared["facts"]


def _previous_activity(f: ReportFilters) -> dict:
    """The activity figures of the period the summary compares with. Once that period is over its
    figures hardly move, so it is cached for REPORT_PAST_PERIOD_CACHE_SECONDS: a report pays for
    the previous term's aggregates once, not at every recomputation of its own."""
    previous = selectors.previous_filters(f)
    seconds = settings.REPORT_PAST_PERIOD_CACHE_SECONDS if settings.REPORT_CACHE_SECONDS else 0
    if not seconds or previous.end >= timezone.localdate(f.now, program_zone()):
        return selectors.activity_summary(previous)
    return cached_report_part("previous", previous, lambda: selectors.activity_summary(previous), seconds=seconds)


def summary_table(f: ReportFilters, shared: dict) -> Table:
    summary = selectors.term_summary(f, _facts(f, shared), previous_activity=_previous_activity(f))
    rows = [
        [figure.label, _cell(figure.value), _cell(figure.previous), _cell(figure.change)] for figure in summary.figures
    ]
    columns = ["Figure", f"This period ({summary.period.label})", f"Previous ({summary.previous.label})", "Change"]
    return Table(
        "summary", "Summary", columns, rows, source=summary,
        note="Rates in percent (their change in percentage points), hours of held sessions, ratings from 1 to 5.",
    )  # fmt: skip


def summary_of(tables: dict[str, Table]) -> selectors.TermSummary:
    """The typed summary behind the "summary" table (for the tiles and the PDF)."""
    summary = tables["summary"].source
    if not isinstance(summary, selectors.TermSummary):
        raise TypeError("the summary table carries its TermSummary")
    return summary


def _cell(value: float | None) -> float | str:
    return "" if value is None else value


def activity_table(f: ReportFilters, shared: dict) -> Table:
    a = selectors.activity_summary(f, _facts(f, shared))
    rows = [
        ["Sessions held", a["sessions_held"]],
        ["Sessions cancelled", a["sessions_cancelled"]],
        ["Sessions still to come", a["sessions_upcoming"]],
        ["Tutoring hours delivered", one_decimal(a["hours_delivered"])],
        ["Bookings", a["bookings"]],
        ["Bookings cancelled", a["bookings_cancelled"]],
        ["Late cancellations", a["late_cancellations"]],
        ["Late-cancel rate (%)", percent(a["late_cancel_rate"])],
        ["Seats booked at held sessions", a["seats_booked_at_held_sessions"]],
        ["Attended with a booking", a["attended_with_booking"]],
        ["Walk-ins", a["walk_ins"]],
        ["No-shows", a["no_shows"]],
        ["Excused", a["excused"]],
        ["Attendance rate (%)", percent(a["attendance_rate"])],
        ["No-show rate (%)", percent(a["no_show_rate"])],
        ["Unique mentees served", a["mentees_served"]],
        ["Average rating (1-5)", two_decimals(a["average_rating"])],
        ["Ratings given", a["ratings"]],
    ]
    return Table("activity", "Activity", ["Figure", "Value"], rows)


def trends_table(f: ReportFilters, shared: dict) -> Table:
    rows = [
        [
            w["week"].isoformat(), w["held"], w["cancelled"], one_decimal(w["hours"]), w["bookings"],
            w["late_cancellations"], w["attended"], w["no_shows"], percent(w["attendance_rate"]),
            percent(w["no_show_rate"]), w["walk_ins"], two_decimals(w["average_rating"]),
        ]  # fmt: skip
        for w in selectors.weeks_worth_showing(selectors.weekly_trends(f, _facts(f, shared)), f.now)
    ]
    columns = [
        "Week starting", "Sessions held", "Sessions cancelled", "Hours", "Bookings", "Late cancellations",
        "Attended (with walk-ins)", "No-shows", "Attendance rate (%)", "No-show rate (%)", "Walk-ins",
        "Average rating",
    ]  # fmt: skip
    return Table(
        "trends", "Week by week", columns, rows,
        note="From the first week with a session or a booking to the current week (weeks start on Monday).",
    )  # fmt: skip


_WAITLIST_COLUMNS = ["Joined the waitlist", "Still waiting", "Got a seat", "Unmet", "Mentees left without a seat"]


def _waitlist_cells(row: dict) -> list:
    return [row["joined"], row["waiting"], row["promoted"], row["unmet"], row["mentees_unmet"]]


def waitlist_subjects_table(f: ReportFilters, shared: dict) -> Table:
    rows = [[r["subject"], *_waitlist_cells(r)] for r in selectors.waitlist_by_subject(f)]
    return Table(
        "waitlist-subjects", "Waitlists by subject", ["Subject", *_WAITLIST_COLUMNS], rows,
        note="Unmet: waitlist entries that never got a seat (still waiting, or closed when the session started "
        "or was cancelled).",
    )  # fmt: skip


def waitlist_slots_table(f: ReportFilters, shared: dict) -> Table:
    rows = [
        [WEEKDAY_NAMES[r["weekday"]], r["start_time"].strftime("%H:%M"), *_waitlist_cells(r)]
        for r in selectors.waitlist_by_slot(f)
    ]
    return Table("waitlist-slots", "Waitlists by weekday and time", ["Weekday", "Start (local)", *_WAITLIST_COLUMNS], rows)


def fill_rate_table(f: ReportFilters, shared: dict) -> Table:
    rows = [
        [r["subject"], r["sessions"], r["seats"], r["booked"], percent(r["fill_rate"])]
        for r in selectors.fill_rate_by_subject(f, _facts(f, shared))
    ]
    return Table(
        "fill-rate", "Fill rate by subject", ["Subject", "Sessions", "Seats offered", "Seats booked", "Fill rate (%)"],
        rows, note="Sessions not cancelled; seats still booked at the end.",
    )  # fmt: skip


def coverage_table(f: ReportFilters, shared: dict) -> Table:
    rows = [
        [r["subject"], r["mentees_wanting"], r["mentors_offering"], r["mentors_with_room"],
         "yes" if r["uncovered"] else ""]  # fmt: skip
        for r in selectors.subject_coverage(f)
    ]
    columns = ["Subject", "Mentees wanting it", "Mentors offering it", "Mentors with room", "No mentor with room"]
    return Table(
        "coverage", "Wanted subjects and mentors with room", columns, rows,
        note="Today's mentees and approved mentors (not the date range). Room: fewer active pairs than capacity.",
    )  # fmt: skip


def _mentor_rows(f: ReportFilters, shared: dict) -> list[dict]:
    # Two tables come from the same rows; compute them once per report.
    if "mentors" not in shared:
        shared["mentors"] = selectors.mentor_activity(f, _facts(f, shared))
    return shared["mentors"]


def mentors_table(f: ReportFilters, shared: dict) -> Table:
    rows = [
        [
            r["mentor"], r["held"], r["cancelled"], one_decimal(r["hours"]), r["mentees_served"], r["notes_written"],
            r["notes_missing"], percent(r["notes_completion"]), two_decimals(r["average_rating"]), r["ratings"],
            r["active_pairs"],
        ]  # fmt: skip
        for r in _mentor_rows(f, shared)
    ]
    columns = [
        "Mentor", "Sessions held", "Sessions cancelled", "Hours", "Mentees served", "Notes written", "Notes missing",
        "Notes completion (%)", "Average rating", "Ratings", "Active pairs",
    ]  # fmt: skip
    return Table("mentors", "Mentors", columns, rows)


def notes_missing_table(f: ReportFilters, shared: dict) -> Table:
    rows = [[r["mentor"], r["notes_missing"]] for r in _mentor_rows(f, shared) if r["notes_missing"]]
    return Table("notes-missing", "Mentors with unwritten notes", ["Mentor", "Held sessions without notes"], rows)


def matching_table(f: ReportFilters, shared: dict) -> Table:
    m = selectors.matching_summary(f)
    rows = [
        ["Current mentees", m["mentees"]],
        ["Mentees with an active pair", m["mentees_matched"]],
        ["Share of mentees matched (%)", percent(m["share_matched"])],
        ["Requests made", m["requests"]],
        ["Requests accepted", m["requests_accepted"]],
        ["Requests declined", m["requests_declined"]],
        ["Requests expired", m["requests_expired"]],
        ["Median time from request to match (hours)", one_decimal(m["median_hours_to_match"])],
        ["Pairs made by matching rounds", m["pairs_from_rounds"]],
        ["Pairs ended", m["pairs_ended"]],
        ["Pairs ended within 30 days of matching", m["pairs_ended_within_30_days"]],
    ]
    return Table(
        "matching", "Matching", ["Figure", "Value"], rows,
        note="Mentees and active pairs as of today; requests by the day they were made, ended pairs by the day they "
        "ended. Pairs have no planned end, so every ended pair ended early.",
    )  # fmt: skip


def exams_table(f: ReportFilters, shared: dict) -> Table:
    minimum = settings.REPORT_MIN_GROUP_SIZE
    rows = []
    for r in selectors.exam_outcomes(f):
        if r["hidden"]:
            rows.append([r["exam"], r["group"], f"fewer than {minimum}", "", "", "", ""])
        else:
            rows.append([
                r["exam"], r["group"], r["students"], one_decimal(r["mean"]), one_decimal(r["median"]),
                one_decimal(r["change"]), r["with_previous"] if r["with_previous"] is not None else "",
            ])  # fmt: skip
    columns = [
        "Exam", "Sessions attended before", "Students", "Mean score", "Median score",
        "Mean change vs previous exam", "Students with a previous exam",
    ]  # fmt: skip
    return Table(
        "exams", "Exam outcomes by sessions attended", columns, rows,
        note="This shows an association, not a cause: students who choose to attend may differ in other ways. "
        f"Groups of fewer than {minimum} students are hidden.",
    )  # fmt: skip


# key -> builder, in page order. Each builder runs a fixed number of queries.
TABLES: dict[str, Callable[[ReportFilters, dict], Table]] = {
    "summary": summary_table,
    "activity": activity_table,
    "trends": trends_table,
    "waitlist-subjects": waitlist_subjects_table,
    "waitlist-slots": waitlist_slots_table,
    "fill-rate": fill_rate_table,
    "coverage": coverage_table,
    "mentors": mentors_table,
    "notes-missing": notes_missing_table,
    "matching": matching_table,
    "exams": exams_table,
}


def build_tables(f: ReportFilters, keys: list[str] | None = None) -> dict[str, Table]:
    shared: dict = {}
    with transaction.atomic(), one_read_of_attendance_bitmaps():
        if connection.vendor == "postgresql":
            # These are short aggregate queries: compiling them with LLVM costs more than it saves.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                # Room for the grouped counts to hash and sort in memory, for this transaction only.
                cursor.execute("SET LOCAL work_mem = '64MB'")
        return {key: TABLES[key](f, shared) for key in (keys or TABLES)}


_VERSION_KEY = "report-tables-version"


def invalidate_report_cache() -> None:
    """Make every cached report stale (new exam results must show at once)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)


def cached_report_part(
    name: str, f: ReportFilters, build: Callable[[], T], *, variant: str = "", seconds: int | None = None
) -> T:
    """A part of the report for these filters, cached for `seconds` (default REPORT_CACHE_SECONDS)
    under the report's version, so new exam results show at once (invalidate_report_cache)."""
    seconds = settings.REPORT_CACHE_SECONDS if seconds is None else seconds
    if seconds <= 0:
        return build()
    version = cache.get_or_set(_VERSION_KEY, 1, None)
    key = f"report-{name}:{version}:{f.start}:{f.end}:{f.subject_id}:{f.mentor_id}:{f.class_year}:{variant}"
    found = cache.get(key)
    if found is None:
        found = (build(),)  # a tuple, so a result of None is cached too
        cache.set(key, found, seconds)
    return found[0]


def report_tables(f: ReportFilters) -> tuple[dict[str, Table], datetime]:
    """Every table of the report and when it was computed.

    The same filters within REPORT_CACHE_SECONDS share one computation: with a million bookings
    the report costs seconds of database and Python time, and the office reloads, prints and
    downloads the same view. Page and CSV downloads then agree with each other.
    """
    return cached_report_part("tables", f, lambda: (build_tables(f), f.now))
