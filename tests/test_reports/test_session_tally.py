"""The report's per-session tally (reports.tally): kept exact by every writer, and the report read
from it equals the plain recomputation from the raw rows, on random data."""

import random
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.class_year import graduation_year_for
from core.errors import ApplicationError
from feedback.services import submit_survey
from reports import selectors
from reports.models import ExamResult, SessionTally
from reports.periods import day_bounds
from reports.selectors.bitmaps import one_read_of_attendance_bitmaps, sessions_attended_before
from reports.tally import keeps_mentee_bitmaps, rebuild_session_tally, recompute_session_tally, stored_session_tally
from sessions.models import Attendance, Booking, Occurrence, Rating
from sessions.services import (
    book_seat,
    cancel_booking,
    cancel_occurrence,
    join_waitlist,
    rate_occurrence,
    record_attendance,
)
from tests.factories import ExamFactory, MenteeFactory, MentorFactory, SubjectFactory, published_series

pytestmark = pytest.mark.django_db


def _random_program(seed: int) -> tuple[list[Occurrence], datetime]:
    """Random bookings, cancellations (late and in time, with waitlist promotion), a cancelled
    session, attendance recorded and edited with walk-ins, ratings and surveys, all through the
    services; then a few writes past them (queryset update, delete). Returns the sessions and a
    moment after all of them."""
    rng = random.Random(seed)
    subjects = [SubjectFactory(), SubjectFactory()]
    mentees = [MenteeFactory(graduation_year=graduation_year_for(1 + i % 2)) for i in range(9)]
    series = [
        published_series(mentor=MentorFactory(), subject=subjects[i % 2], seats=3, start_time=time(12 + 2 * i))
        for i in range(3)
    ]
    occurrences = [o for s in series for o in s.occurrences.order_by("starts_at")]
    for occurrence in occurrences:
        for mentee in rng.sample(mentees, rng.randint(0, 6)):
            try:
                book_seat(occurrence=occurrence, mentee=mentee)
            except ApplicationError:
                try:
                    join_waitlist(occurrence=occurrence, mentee=mentee)
                except ApplicationError:
                    pass
    for booking in rng.sample(list(Booking.objects.booked()), 6):
        late = rng.random() < 0.5
        when = booking.occurrence.starts_at - (timedelta(hours=1) if late else timedelta(days=1))
        cancel_booking(booking=booking, by=booking.mentee, now=min(when, booking.occurrence.starts_at))
    cancelled = rng.choice(occurrences)
    cancel_occurrence(occurrence=cancelled, by=cancelled.series.mentor, reason="Exam week")
    for occurrence in occurrences:
        if occurrence.pk == cancelled.pk or rng.random() < 0.2:
            continue
        after = occurrence.ends_at + timedelta(minutes=10)
        booked = list(occurrence.bookings.booked().values_list("mentee_id", flat=True))
        others = [m for m in mentees if m.pk not in booked]
        for _ in range(rng.randint(1, 2)):  # the second time edits the record
            statuses = {pk: rng.choice(["attended", "attended", "no_show", "excused"]) for pk in booked}
            walk_ins = rng.sample(others, rng.randint(0, min(2, len(others))))
            record_attendance(occurrence=occurrence, by=occurrence.series.mentor, statuses=statuses,
                              walk_ins=walk_ins, now=after)  # fmt: skip
        for record in Attendance.objects.filter(occurrence=occurrence, status="attended").select_related("mentee"):
            if rng.random() < 0.3:
                rate_occurrence(occurrence=occurrence, mentee=record.mentee, score=rng.randint(1, 5), now=after)
            elif rng.random() < 0.3:
                submit_survey(occurrence=occurrence, mentee=record.mentee, rating=rng.randint(1, 5), now=after)
    # Writers that bypass the services: a queryset update, a changed score, deleted rows.
    booked_records = Attendance.objects.filter(walk_in=False).values_list("pk", flat=True)
    Attendance.objects.filter(pk__in=list(booked_records[:2])).update(status="no_show")
    Rating.objects.filter(pk__in=list(Rating.objects.values_list("pk", flat=True)[:1])).update(score=1)
    Booking.objects.filter(pk__in=list(Booking.objects.values_list("pk", flat=True)[:1])).delete()
    last = max(o.ends_at for o in occurrences)
    return occurrences, last + timedelta(days=1)


def _filters_for(occurrences: list[Occurrence], now: datetime) -> list[selectors.ReportFilters]:
    first = timezone.localdate(min(o.starts_at for o in occurrences))
    last = timezone.localdate(max(o.starts_at for o in occurrences))
    middle = first + (last - first) / 2
    some = occurrences[0].series
    return [
        selectors.ReportFilters(start=first, end=last, now=now),
        selectors.ReportFilters(start=first, end=middle, now=now),
        selectors.ReportFilters(start=middle, end=last, now=now),
        selectors.ReportFilters(start=first, end=last, now=occurrences[len(occurrences) // 2].ends_at),
        selectors.ReportFilters(start=first, end=last, subject_id=some.subject_id, now=now),
        selectors.ReportFilters(start=first, end=last, mentor_id=some.mentor_id, now=now),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_tally_equals_a_recomputation_from_the_raw_rows_after_random_writes(seed):
    _random_program(seed)

    assert stored_session_tally() == recompute_session_tally()


@pytest.mark.parametrize("seed", [4, 5])
def test_the_report_from_the_tally_equals_the_plain_recomputation_on_random_data(seed):
    occurrences, now = _random_program(seed)

    for f in _filters_for(occurrences, now):
        fast, plain = selectors.ActivityFacts(f), selectors.ActivityFacts(f, from_tally=False)
        assert fast.from_tally and not plain.from_tally
        assert selectors.activity_summary(f, fast) == selectors.activity_summary(f, plain)
        assert selectors.weekly_trends(f, fast) == selectors.weekly_trends(f, plain)
        assert selectors.fill_rate_by_subject(f, fast) == selectors.fill_rate_by_subject(f, plain)
        assert selectors.mentor_activity(f, fast) == selectors.mentor_activity(f, plain)


@pytest.mark.parametrize("seed", [4])
def test_mentees_served_from_one_shared_read_of_the_bitmaps_equal_the_plain_recomputation(seed):
    if not keeps_mentee_bitmaps():
        pytest.skip("the attendance bitmaps are kept on PostgreSQL only")
    occurrences, now = _random_program(seed)
    filters = _filters_for(occurrences, now)
    plain = [selectors.ActivityFacts(f, from_tally=False).served for f in filters]

    with one_read_of_attendance_bitmaps():
        shared = [selectors.ActivityFacts(f).served for f in filters]

    assert shared == plain and any(total for total, _ in plain)


@pytest.mark.parametrize("seed", [6])
def test_exam_outcomes_from_the_tally_equal_the_plain_recomputation_on_random_data(seed, settings):
    settings.REPORT_MIN_GROUP_SIZE = 1
    occurrences, now = _random_program(seed)
    mentees = {a.mentee for a in Attendance.objects.select_related("mentee")}
    middle = occurrences[len(occurrences) // 2].starts_at
    for day in (timezone.localdate(middle), timezone.localdate(now)):
        exam = ExamFactory(first_day=day, last_day=day)
        ExamResult.objects.bulk_create(
            ExamResult(student=m, exam=exam, score=50 + (m.pk * 7) % 50, imported_at=now) for m in mentees
        )
    f = selectors.ReportFilters(
        start=timezone.localdate(middle) - timedelta(days=1), end=timezone.localdate(now), now=now
    )

    for narrowed in (
        f,
        selectors.ReportFilters(start=f.start, end=f.end, subject_id=occurrences[0].series.subject_id, now=now),
    ):
        assert selectors.exam_outcomes(narrowed) == selectors.exam_outcomes(narrowed, from_tally=False)
        assert any(row["students"] for row in selectors.exam_outcomes(narrowed))


def test_sessions_attended_before_a_day_count_attendance_at_sessions_not_cancelled(request):
    if not keeps_mentee_bitmaps():
        pytest.skip("the attendance bitmaps are kept on PostgreSQL only")
    occurrences, now = _random_program(7)
    bound = day_bounds(timezone.localdate(occurrences[len(occurrences) // 2].starts_at), date.max - timedelta(days=1))[
        0
    ]

    counted = sessions_attended_before([bound])[0]

    expected: dict[int, int] = {}
    for mentee_id in Attendance.objects.filter(
        status="attended", occurrence__status="scheduled", occurrence__starts_at__lt=bound
    ).values_list("mentee_id", flat=True):
        expected[mentee_id] = expected.get(mentee_id, 0) + 1
    assert counted == expected and counted


def test_within_one_read_the_bitmaps_are_read_once_and_count_as_a_fresh_read(django_assert_num_queries):
    if not keeps_mentee_bitmaps():
        pytest.skip("the attendance bitmaps are kept on PostgreSQL only")
    occurrences, now = _random_program(11)
    early = occurrences[len(occurrences) // 3].starts_at
    late = occurrences[2 * len(occurrences) // 3].starts_at
    fresh = [sessions_attended_before([early])[0], sessions_attended_before([late])[0], sessions_attended_before([now])[0]]

    with one_read_of_attendance_bitmaps():
        with django_assert_num_queries(1):
            first = sessions_attended_before([early])[0]
        with django_assert_num_queries(0):
            kept = [sessions_attended_before([late])[0], sessions_attended_before([now])[0]]

    assert [first, *kept] == fresh and fresh[2]


@pytest.mark.parametrize("chunk", [255, 1])  # 1: a checkpoint every other session on small data
def test_within_one_read_bounds_asked_out_of_order_count_as_fresh_reads(chunk, monkeypatch):
    if not keeps_mentee_bitmaps():
        pytest.skip("the attendance bitmaps are kept on PostgreSQL only")
    monkeypatch.setattr("reports.selectors.bitmaps._ROWS_PER_CHUNK", chunk)
    monkeypatch.setattr("reports.selectors.bitmaps._CHECKPOINT_ROWS", 2 * chunk)
    occurrences, now = _random_program(12)
    moments = [now] + [occurrences[len(occurrences) * k // 5].starts_at for k in (4, 1, 3, 2)]  # latest first
    fresh = [sessions_attended_before([moment])[0] for moment in moments]

    with one_read_of_attendance_bitmaps():
        kept = [sessions_attended_before([moment])[0] for moment in moments]
        together = sessions_attended_before(moments)

    assert kept == fresh == together and fresh[1] != fresh[2]


def test_rebuild_restores_a_tally_that_lost_its_rows():
    _random_program(8)
    expected = stored_session_tally()
    SessionTally.objects.all().delete()

    rebuild_session_tally()

    assert stored_session_tally() == expected == recompute_session_tally()


def test_the_rebuild_command_rewrites_the_tally_from_the_raw_rows(capsys):
    _random_program(9)
    SessionTally.objects.update(bookings=0, attended=99)

    call_command("rebuild_report_tally")

    assert stored_session_tally() == recompute_session_tally()
    assert "sessions" in capsys.readouterr().out
