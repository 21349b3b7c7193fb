"""A hand-computed teaching record: one mentor, Fall 2026 (program.Term), seen on 15 October 2026.

Held, attendance recorded: 1 Sep (90 min; m1 attended, m2 no-show, m3 attended, w1 walk-in attended),
8 Sep (60 min; m1 attended, m2 excused), 29 Sep (Physiology, 120 min; m1 and a mentee who later
deleted their account attended). Held without attendance: 22 Sep (m4 booked). Cancelled: 15 Sep
(m1 booked and rated it 1). Not yet held: 20 Oct. Ratings: 1 Sep m1 5 and m3 4.

Sessions held 4; verified hours 1.5 + 1 + 2 = 4.5 (3 sessions); unique mentees m1, m3, w1, deleted = 4;
attendance rate 5 attended of 7 booked on the recorded rosters; average rating 4.5 (2 ratings);
one-to-one mentees 1 (a pair active since 1 Sep; one that ended in July does not count).
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from accounts.models import User
from accounts.services import delete_account
from mentorship.models import Mentorship
from program.models import Term
from sessions.models import Occurrence
from tests.factories import (
    AttendanceFactory,
    BookingFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    OccurrenceFactory,
    RatingFactory,
    ReviewSeriesFactory,
    SubjectFactory,
    TermFactory,
)

CHICAGO = ZoneInfo("America/Chicago")
NOW = dt.datetime(2026, 10, 15, 17, 0, tzinfo=dt.UTC)


def at(month: int, day: int, minutes: int = 90) -> dict:
    start = dt.datetime(2026, month, day, 18, 0, tzinfo=CHICAGO)
    return {"starts_at": start, "ends_at": start + dt.timedelta(minutes=minutes), "series_date": start.date()}


@dataclass
class Scenario:
    mentor: User
    term: Term
    mentees: dict[str, User]
    no_attendance: Occurrence


def build_scenario() -> Scenario:
    term = TermFactory(name="Fall 2026", first_day=dt.date(2026, 8, 24), last_day=dt.date(2026, 12, 18))
    mentor = MentorFactory(first_name="Maya", last_name="Okafor")
    anatomy = ReviewSeriesFactory(mentor=mentor, subject=SubjectFactory(name="Anatomy"))
    physiology = ReviewSeriesFactory(mentor=mentor, subject=SubjectFactory(name="Physiology"))
    m = {name: MenteeFactory() for name in ("m1", "m2", "m3", "m4", "m5", "w1", "gone")}

    first = OccurrenceFactory(series=anatomy, **at(9, 1))
    for name, status in (("m1", "attended"), ("m2", "no_show"), ("m3", "attended")):
        BookingFactory(occurrence=first, mentee=m[name])
        AttendanceFactory(occurrence=first, mentee=m[name], status=status)
    AttendanceFactory(occurrence=first, mentee=m["w1"], walk_in=True)
    RatingFactory(occurrence=first, mentee=m["m1"], score=5)
    RatingFactory(occurrence=first, mentee=m["m3"], score=4)

    second = OccurrenceFactory(series=anatomy, **at(9, 8, minutes=60))
    for name, status in (("m1", "attended"), ("m2", "excused")):
        BookingFactory(occurrence=second, mentee=m[name])
        AttendanceFactory(occurrence=second, mentee=m[name], status=status)

    cancelled = OccurrenceFactory(series=anatomy, status=Occurrence.Status.CANCELLED,
                                  cancelled_at=NOW - dt.timedelta(days=40), **at(9, 15))
    BookingFactory(occurrence=cancelled, mentee=m["m1"])
    RatingFactory(occurrence=cancelled, mentee=m["m1"], score=1)

    unrecorded = OccurrenceFactory(series=anatomy, **at(9, 22))
    BookingFactory(occurrence=unrecorded, mentee=m["m4"])

    third = OccurrenceFactory(series=physiology, **at(9, 29, minutes=120))
    for name in ("m1", "gone"):
        BookingFactory(occurrence=third, mentee=m[name])
        AttendanceFactory(occurrence=third, mentee=m[name])

    OccurrenceFactory(series=anatomy, **at(10, 20))  # not held yet on NOW

    MentorshipFactory(mentor=mentor, mentee=m["m1"], status=Mentorship.Status.ACTIVE,
                      requested_at=dt.datetime(2026, 8, 30, tzinfo=dt.UTC), responded_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC))
    MentorshipFactory(mentor=mentor, mentee=m["m5"], status=Mentorship.Status.ENDED,
                      requested_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC), responded_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
                      ended_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))  # fmt: skip
    delete_account(user=m["gone"])
    return Scenario(mentor=mentor, term=term, mentees=m, no_attendance=unrecorded)
