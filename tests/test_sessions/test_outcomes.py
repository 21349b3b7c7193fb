from datetime import timedelta

import pytest

from sessions.errors import AlreadyRated, InvalidSchedule, NotAllowed, NotAttended, TooLate
from sessions.models import Attendance, NoteRevision
from sessions.services import book_seat, rate_occurrence, record_attendance, save_outcome_note
from tests.factories import MenteeFactory, published_series

pytestmark = pytest.mark.django_db


def _held_session(booked=2):
    series = published_series()
    occurrence = series.occurrences.first()
    mentees = [MenteeFactory() for _ in range(booked)]
    for mentee in mentees:
        book_seat(occurrence=occurrence, mentee=mentee)
    after = occurrence.ends_at + timedelta(minutes=10)
    return series.mentor, occurrence, mentees, after


def test_the_mentor_records_attendance_for_every_booked_mentee_and_walk_ins():
    mentor, occurrence, (a, b), after = _held_session()
    walk_in = MenteeFactory()

    record_attendance(
        occurrence=occurrence, by=mentor, statuses={a.pk: "attended", b.pk: "no_show"}, walk_ins=[walk_in], now=after
    )

    records = {r.mentee: r for r in Attendance.objects.filter(occurrence=occurrence)}
    assert records[a].status == "attended" and records[b].status == "no_show"
    assert records[walk_in].walk_in and records[walk_in].status == "attended"


def test_attendance_needs_a_status_for_every_booked_mentee():
    mentor, occurrence, (a, _b), after = _held_session()

    with pytest.raises(InvalidSchedule, match="every booked mentee"):
        record_attendance(occurrence=occurrence, by=mentor, statuses={a.pk: "attended"}, now=after)

    assert not Attendance.objects.exists()


def test_attendance_cannot_be_recorded_before_the_session():
    mentor, occurrence, (a, b), _after = _held_session()

    with pytest.raises(TooLate):
        record_attendance(occurrence=occurrence, by=mentor, statuses={a.pk: "attended", b.pk: "attended"})


def test_only_the_series_mentor_records_attendance():
    from tests.factories import MentorFactory

    _mentor, occurrence, (a, b), after = _held_session()

    with pytest.raises(NotAllowed):
        record_attendance(
            occurrence=occurrence, by=MentorFactory(), statuses={a.pk: "attended", b.pk: "attended"}, now=after
        )


def test_every_change_to_the_notes_is_kept_in_the_history():
    mentor, occurrence, _mentees, after = _held_session()

    save_outcome_note(occurrence=occurrence, by=mentor, topics="Brachial plexus", private_notes="A", now=after)
    save_outcome_note(
        occurrence=occurrence, by=mentor, topics="Brachial plexus", private_notes="B", now=after + timedelta(days=1)
    )

    revisions = list(NoteRevision.objects.order_by("edited_at"))
    assert [r.private_notes for r in revisions] == ["A", "B"]
    assert all(r.editor == mentor for r in revisions)
    assert occurrence.outcome_note.private_notes == "B"


def test_saving_unchanged_notes_adds_no_revision():
    mentor, occurrence, _mentees, after = _held_session()
    save_outcome_note(occurrence=occurrence, by=mentor, topics="Heart", now=after)

    save_outcome_note(occurrence=occurrence, by=mentor, topics="Heart", now=after + timedelta(hours=1))

    assert NoteRevision.objects.count() == 1


def test_notes_cannot_be_edited_after_seven_days():
    mentor, occurrence, _mentees, after = _held_session()
    save_outcome_note(occurrence=occurrence, by=mentor, topics="Heart", now=after)

    with pytest.raises(TooLate, match="7 days"):
        save_outcome_note(occurrence=occurrence, by=mentor, topics="Lungs", now=after + timedelta(days=7, minutes=1))

    occurrence.outcome_note.refresh_from_db()
    assert occurrence.outcome_note.topics == "Heart"


def test_a_mentee_who_attended_rates_the_session_once():
    mentor, occurrence, (a, b), after = _held_session()
    record_attendance(occurrence=occurrence, by=mentor, statuses={a.pk: "attended", b.pk: "attended"}, now=after)

    rating = rate_occurrence(occurrence=occurrence, mentee=a, score=4, feedback="Clear", now=after)

    assert rating.score == 4
    with pytest.raises(AlreadyRated, match="already rated"):
        rate_occurrence(occurrence=occurrence, mentee=a, score=5, now=after)


def test_a_mentee_who_did_not_attend_cannot_rate():
    mentor, occurrence, (a, b), after = _held_session()
    record_attendance(occurrence=occurrence, by=mentor, statuses={a.pk: "attended", b.pk: "no_show"}, now=after)

    with pytest.raises(NotAttended):
        rate_occurrence(occurrence=occurrence, mentee=b, score=5, now=after)


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_rating_outside_one_to_five_is_refused(score):
    mentor, occurrence, (a, b), after = _held_session()
    record_attendance(occurrence=occurrence, by=mentor, statuses={a.pk: "attended", b.pk: "attended"}, now=after)

    with pytest.raises(InvalidSchedule, match="1 to 5"):
        rate_occurrence(occurrence=occurrence, mentee=a, score=score, now=after)
