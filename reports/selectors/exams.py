"""Exam outcomes by sessions attended before each exam."""

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db import connection

from accounts.models import User
from core.queries import value_rows
from program.models import Exam
from reports.models import ExamResult, SessionTally
from reports.periods import day_bounds
from reports.selectors.filters import (
    ATTENDED,
    SCHEDULED,
    ReportFilters,
)
from reports.tally import keeps_mentee_bitmaps
from sessions.models import Attendance, Occurrence, ReviewSeries

# ---------------------------------------------------------------------------
# Sessions attended before a moment, per mentee (from the tally's bitmaps)
# ---------------------------------------------------------------------------
_UNPACKED_BYTES_AT_ONCE = 16_000_000  # one block of bitmaps unpacked to one byte per bit


class _AttendedBitmaps:
    """The bitmaps of attended mentees of some sessions, in start order, with the per-mentee sums
    of every prefix counted so far: a later bound adds only the sessions since the nearest one."""

    def __init__(self, rows: list[tuple[datetime, bytes]]) -> None:
        self.starts = [starts_at for starts_at, _ in rows]
        width = max((len(bitmap) for _, bitmap in rows), default=0)
        packed = b"".join(bitmap.ljust(width, b"\0") for _, bitmap in rows)
        self.packed = np.frombuffer(packed, dtype=np.uint8).reshape(len(rows), width)
        self.sums: dict[int, np.ndarray] = {0: np.zeros(width * 8, dtype=np.int64)}

    def attended_before(self, bound: datetime) -> np.ndarray:
        """Per mentee id (the index), the sessions starting before `bound` they attended."""
        end = bisect_left(self.starts, bound)  # a session starting at the bound is not before it
        if end not in self.sums:
            start = max(n for n in self.sums if n < end)
            running = self.sums[start].copy()
            # Unpacked, a block is rows x width x 8 bytes: sized so it stays near 16 MB however high
            # the user ids (the bitmaps' width) grow over the years. int32 per block: summed faster.
            rows_at_once = max(1, _UNPACKED_BYTES_AT_ONCE // max(1, self.packed.shape[1] * 8))
            for block in range(start, end, rows_at_once):
                bits = np.unpackbits(self.packed[block : min(end, block + rows_at_once)], axis=1, bitorder="little")
                running += bits.sum(axis=0, dtype=np.int32)
            self.sums[end] = running
        return self.sums[end]


_bitmap_reads: ContextVar[dict[tuple[object, ...], _AttendedBitmaps] | None] = ContextVar("bitmap_reads", default=None)


@contextmanager
def one_read_of_attendance_bitmaps() -> Iterator[None]:
    """Within the block, the tally's bitmaps are read from the database once per subject and
    mentor filter, and summed once, for every later `sessions_attended_before` (a report page asks
    for them once per exam of two periods and for the exam table). Outside it every call reads them again."""
    token = _bitmap_reads.set({})
    try:
        yield
    finally:
        _bitmap_reads.reset(token)


def _attended_bitmaps(upto: datetime, subject_ids: Sequence[int] | None, mentor_id: int | None) -> _AttendedBitmaps:
    """The sessions not cancelled (of these subjects and this mentor): those starting before
    `upto`, or, inside one_read_of_attendance_bitmaps, all of them (read once)."""
    reads = _bitmap_reads.get()
    key = (tuple(sorted(subject_ids)) if subject_ids is not None else None, mentor_id or None)
    if reads is not None and key in reads:
        return reads[key]
    sessions = SessionTally.objects.filter(occurrence__status=SCHEDULED)
    if reads is None:
        sessions = sessions.filter(occurrence__starts_at__lt=upto)
    if subject_ids is not None:
        sessions = sessions.filter(occurrence__series__subject_id__in=subject_ids)
    if mentor_id:
        sessions = sessions.filter(occurrence__series__mentor_id=mentor_id)
    bitmaps = _AttendedBitmaps(
        sorted(
            (starts_at, bytes(bitmap))
            for starts_at, bitmap in value_rows(
                sessions.values_list("occurrence__starts_at", "attended_mentees").order_by()
            )
            if bitmap
        )
    )
    if reads is not None:
        reads[key] = bitmaps
    return bitmaps


def sessions_attended_before(
    bounds: list[datetime], *, subject_ids: Sequence[int] | None = None, mentor_id: int | None = None
) -> list[dict[int, int]]:
    """For each moment in `bounds`: mentee id -> held-or-scheduled sessions (not cancelled; of
    these subjects and this mentor if given) they attended that started before it.

    PostgreSQL only (reports.tally.keeps_mentee_bitmaps): it sums the tally's per-session bitmaps
    of attended mentees, one block of sessions at a time, instead of scanning attendance.
    """
    if not bounds:
        return []
    bitmaps = _attended_bitmaps(max(bounds), subject_ids, mentor_id)
    by_bound = []
    for bound in bounds:
        counts = bitmaps.attended_before(bound)
        mentees = np.flatnonzero(counts)
        by_bound.append(dict(zip(mentees.tolist(), counts[mentees].tolist(), strict=True)))
    return by_bound


# ---------------------------------------------------------------------------
# Exam outcomes
# ---------------------------------------------------------------------------
# Sessions attended before each exam day are counted in one pass over attendance (one
# conditional count per distinct exam date in range), then joined to the results and grouped;
# a correlated count per result would read each student's attendance once per exam.
_PER_MENTEE_SQL = """
    SELECT a.mentee_id, {counts}
    FROM {attendance} a
    JOIN {occurrence} o ON o.id = a.occurrence_id
    {series_join}
    WHERE a.status = %s AND o.status = %s AND o.starts_at < %s {series_filter}
      AND a.mentee_id IN (SELECT rr.student_id FROM {result} rr JOIN {exam} ee ON ee.id = rr.exam_id
                          WHERE ee.first_day >= %s AND ee.first_day <= %s)
    GROUP BY a.mentee_id
"""
# A student's previous score is their score on the latest earlier exam day with one (the highest
# result id on that day): a window over the scored results (PostgreSQL and SQLite 3.25+), where a
# correlated subquery per result cost a probe of every earlier exam per student. `scored` is
# MATERIALIZED: `grouped` reads its delta twice (AVG, COUNT), and an inlined CTE would compute it
# twice (PostgreSQL 12+ and SQLite 3.35+ know the word).
_EXAM_SQL = """
WITH per_mentee AS ({per_mentee}),
last_of_day AS (
    SELECT student_id, first_day, score FROM (
        SELECT p.student_id, pe.first_day, p.score,
               ROW_NUMBER() OVER (PARTITION BY p.student_id, pe.first_day ORDER BY p.id DESC) AS nth
        FROM {result} p JOIN {exam} pe ON pe.id = p.exam_id
        WHERE p.score IS NOT NULL AND pe.first_day <= %s
    ) days
    WHERE nth = 1
),
previous AS (
    SELECT student_id, first_day, LAG(score) OVER (PARTITION BY student_id ORDER BY first_day) AS score
    FROM last_of_day
),
scored AS MATERIALIZED (
    SELECT e.name AS exam_name, e.first_day AS exam_date, r.score,
           COALESCE(CASE e.first_day {pick} END, 0) AS sessions,
           r.score - pv.score AS delta
    FROM {result} r
    JOIN {exam} e ON e.id = r.exam_id
    JOIN {user} u ON u.id = r.student_id
    LEFT JOIN per_mentee m ON m.mentee_id = r.student_id
    LEFT JOIN previous pv ON pv.student_id = r.student_id AND pv.first_day = e.first_day
    WHERE e.first_day >= %s AND e.first_day <= %s AND r.score IS NOT NULL
      AND u.deleted_at IS NULL {student_filter}
),
grouped AS (
    SELECT exam_name, exam_date, score, delta,
           CASE WHEN sessions = 0 THEN '0' WHEN sessions <= 3 THEN '1-3' ELSE '4+' END AS grp
    FROM scored
)
SELECT exam_name, grp, COUNT(*), MIN(exam_date), AVG(score), {median}, AVG(delta), COUNT(delta)
FROM grouped
GROUP BY exam_name, grp
ORDER BY MIN(exam_date), exam_name, grp
"""


def _int_array(values: list[int]) -> str:
    """A PostgreSQL array literal of ints, for a parameter cast to int[] / bigint[]."""
    return "{" + ",".join(map(str, values)) + "}"


def exam_outcomes(f: ReportFilters, *, from_tally: bool = True) -> list[dict]:
    """Raw figures per scored exam (by name, first day in the range; pass/fail exams have no mean): score of students grouped by sessions attended before it.

    Groups: 0, 1-3, 4+ held sessions attended (of the filtered subject and mentor) before the exam
    day begins (midnight, program time zone). `change` is the group's mean of each student's score
    minus their score on their previous exam, over students who have one. Groups with fewer than
    settings.REPORT_MIN_GROUP_SIZE students come back with `hidden=True` and no figures; so does a
    change over fewer students. Two queries whatever the data (three from the tally; from_tally=False
    counts attendance itself, the tests' reference).
    """
    results = ExamResult.objects.filter(exam__first_day__gte=f.start, exam__first_day__lte=f.end)
    exam_dates = sorted(results.values_list("exam__first_day", flat=True).distinct().order_by())
    if not exam_dates:
        return []
    ops = connection.ops
    bounds = [day_bounds(day, day)[0] for day in exam_dates]
    if from_tally and keeps_mentee_bitmaps():
        # From the tally's per-session bitmaps: no scan of attendance (the arrays are parameters).
        attended = sessions_attended_before(bounds, subject_ids=[f.subject_id] if f.subject_id else None,
                                            mentor_id=f.mentor_id)  # fmt: skip
        mentees = sorted({m for counts in attended for m in counts})
        columns = ", ".join(f"n{i}" for i in range(len(bounds)))
        arrays = ", ".join(["%s::bigint[]"] + ["%s::int[]"] * len(bounds))
        per_mentee = f"SELECT * FROM unnest({arrays}) AS m(mentee_id, {columns})"  # noqa: S608  # nosec B608 (fixed text)
        # Each array as its text literal ('{1,2,3}'): psycopg adapts a list of ints one by one in
        # Python, about 1 ms per thousand; thousands of mentees per exam day made that a tenth of the report.
        params: list = [_int_array(mentees)] + [_int_array([counts.get(m, 0) for m in mentees]) for counts in attended]
    else:
        params = []
        counts = []
        for bound in bounds:
            counts.append("COUNT(*) FILTER (WHERE o.starts_at < %s)")
            params.append(ops.adapt_datetimefield_value(bound))
        params += [ATTENDED, SCHEDULED, params[-1]]  # nothing after the last exam day matters
        series_filter = ""
        if f.subject_id:
            series_filter += " AND s.subject_id = %s"
            params.append(f.subject_id)
        if f.mentor_id:
            series_filter += " AND s.mentor_id = %s"
            params.append(f.mentor_id)
        params += [ops.adapt_datefield_value(f.start), ops.adapt_datefield_value(f.end)]
        per_mentee = _PER_MENTEE_SQL.format(
            series_join=f"JOIN {ReviewSeries._meta.db_table} s ON s.id = o.series_id" if series_filter else "",
            attendance=Attendance._meta.db_table,
            occurrence=Occurrence._meta.db_table,
            result=ExamResult._meta.db_table,
            exam=Exam._meta.db_table,
            counts=", ".join(f"{c} AS n{i}" for i, c in enumerate(counts)),
            series_filter=series_filter,
        )
    params.append(ops.adapt_datefield_value(f.end))  # last_of_day: nothing after the range matters
    pick = []
    for index, day in enumerate(exam_dates):
        pick.append(f"WHEN %s THEN m.n{index}")
        params.append(ops.adapt_datefield_value(day))
    params += [ops.adapt_datefield_value(f.start), ops.adapt_datefield_value(f.end)]
    student_filter = ""
    if f.graduation_year is not None:
        student_filter = "AND u.graduation_year = %s"
        params.append(f.graduation_year)
    median = (
        "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY score)" if connection.vendor == "postgresql" else "MEDIAN(score)"
    )
    sql = _EXAM_SQL.format(
        per_mentee=per_mentee,
        result=ExamResult._meta.db_table,
        exam=Exam._meta.db_table,
        user=User._meta.db_table,
        pick=" ".join(pick),
        student_filter=student_filter,
        median=median,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # fixed SQL text; every value is a parameter
        fetched = cursor.fetchall()

    minimum = settings.REPORT_MIN_GROUP_SIZE
    rows = []
    for exam, group, students, _first, mean, median_score, change, with_previous in fetched:
        hidden = students < minimum
        show_change = not hidden and with_previous >= minimum and change is not None
        rows.append({
            "exam": exam,
            "group": group,
            "hidden": hidden,
            "students": None if hidden else students,
            "mean": None if hidden else float(mean),
            "median": None if hidden else float(median_score),
            "change": float(change) if show_change else None,
            "with_previous": with_previous if show_change else None,
        })  # fmt: skip
    return rows
