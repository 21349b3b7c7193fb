"""Exam outcomes by sessions attended before each exam."""


from django.conf import settings
from django.db import connection

from accounts.models import User
from program.models import Exam
from reports.models import ExamResult
from reports.periods import day_bounds
from reports.selectors.filters import (
    ATTENDED,
    SCHEDULED,
    ReportFilters,
)
from sessions.models import Attendance, Occurrence, ReviewSeries

# ---------------------------------------------------------------------------
# Exam outcomes
# ---------------------------------------------------------------------------
# Sessions attended before each exam day are counted in one pass over attendance (one
# conditional count per distinct exam date in range), then joined to the results and grouped;
# a correlated count per result would read each student's attendance once per exam.
_EXAM_SQL = """
WITH per_mentee AS (
    SELECT a.mentee_id, {counts}
    FROM {attendance} a
    JOIN {occurrence} o ON o.id = a.occurrence_id
    {series_join}
    WHERE a.status = %s AND o.status = %s AND o.starts_at < %s {series_filter}
      AND a.mentee_id IN (SELECT rr.student_id FROM {result} rr JOIN {exam} ee ON ee.id = rr.exam_id
                          WHERE ee.first_day >= %s AND ee.first_day <= %s)
    GROUP BY a.mentee_id
),
scored AS (
    SELECT e.name AS exam_name, e.first_day AS exam_date, r.score,
           COALESCE(CASE e.first_day {pick} END, 0) AS sessions,
           r.score - (
               SELECT p.score FROM {result} p JOIN {exam} pe ON pe.id = p.exam_id
               WHERE p.student_id = r.student_id AND pe.first_day < e.first_day AND p.score IS NOT NULL
               ORDER BY pe.first_day DESC, p.id DESC LIMIT 1
           ) AS delta
    FROM {result} r
    JOIN {exam} e ON e.id = r.exam_id
    JOIN {user} u ON u.id = r.student_id
    LEFT JOIN per_mentee m ON m.mentee_id = r.student_id
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


def exam_outcomes(f: ReportFilters) -> list[dict]:
    """Raw figures per scored exam (by name, first day in the range; pass/fail exams have no mean): score of students grouped by sessions attended before it.

    Groups: 0, 1-3, 4+ held sessions attended (of the filtered subject and mentor) before the exam
    day begins (midnight, program time zone). `change` is the group's mean of each student's score
    minus their score on their previous exam, over students who have one. Groups with fewer than
    settings.REPORT_MIN_GROUP_SIZE students come back with `hidden=True` and no figures; so does a
    change over fewer students. Two queries whatever the data.
    """
    results = ExamResult.objects.filter(exam__first_day__gte=f.start, exam__first_day__lte=f.end)
    exam_dates = sorted(results.values_list("exam__first_day", flat=True).distinct().order_by())
    if not exam_dates:
        return []
    ops = connection.ops
    params: list = []
    counts = []
    for day in exam_dates:
        counts.append("COUNT(*) FILTER (WHERE o.starts_at < %s)")
        params.append(ops.adapt_datetimefield_value(day_bounds(day, day)[0]))
    params += [ATTENDED, SCHEDULED, params[-1]]  # nothing after the last exam day matters
    series_filter = ""
    if f.subject_id:
        series_filter += " AND s.subject_id = %s"
        params.append(f.subject_id)
    if f.mentor_id:
        series_filter += " AND s.mentor_id = %s"
        params.append(f.mentor_id)
    params += [ops.adapt_datefield_value(f.start), ops.adapt_datefield_value(f.end)]
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
        series_join=f"JOIN {ReviewSeries._meta.db_table} s ON s.id = o.series_id" if series_filter else "",
        attendance=Attendance._meta.db_table,
        occurrence=Occurrence._meta.db_table,
        result=ExamResult._meta.db_table,
        exam=Exam._meta.db_table,
        user=User._meta.db_table,
        counts=", ".join(f"{c} AS n{i}" for i, c in enumerate(counts)),
        series_filter=series_filter,
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
