"""Exam outcomes by sessions attended before each exam."""

from django.conf import settings
from django.db import connection

from accounts.models import User
from program.models import Exam
from reports.models import ExamResult
from reports.periods import day_bounds
from reports.selectors.bitmaps import sessions_attended_before
from reports.selectors.filters import (
    ATTENDED,
    SCHEDULED,
    ReportFilters,
)
from reports.tally import keeps_mentee_bitmaps
from sessions.models import Attendance, Occurrence, ReviewSeries

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
