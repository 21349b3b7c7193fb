"""What the API answers, as pydantic models (django-ninja Schemas): the OpenAPI document is built from them."""

from datetime import date, datetime

from ninja import Field, Schema


class Problem(Schema):
    detail: str


class FieldProblem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class InvalidRequest(Schema):
    detail: list[FieldProblem]


class SubjectOut(Schema):
    id: int
    name: str


class MentorOut(Schema):
    id: int
    name: str


class SeriesOut(Schema):
    id: int
    title: str
    subject: SubjectOut
    mentor: MentorOut
    weekday: int  # 0 Monday .. 6 Sunday
    start_time: str  # local wall-clock HH:MM in time_zone
    duration_minutes: int
    time_zone: str
    location: str
    seats: int
    first_date: date
    last_date: date
    allowed_class_years: list[int]
    status: str


class SeriesPage(Schema):
    count: int
    results: list[SeriesOut]


class OccurrenceOut(Schema):
    id: int
    series_id: int
    title: str
    subject: SubjectOut
    mentor: MentorOut
    starts_at: datetime
    ends_at: datetime
    location: str
    status: str
    seats: int
    seats_booked: int
    seats_left: int
    waiting: int


class OccurrencePage(Schema):
    count: int
    results: list[OccurrenceOut]


class StudentOut(Schema):
    id: int
    email: str
    name: str
    class_year: str


class BookingOut(Schema):
    id: int
    occurrence_id: int
    title: str
    subject: str
    starts_at: datetime
    status: str  # booked | cancelled
    source: str  # single | series
    late_cancel: bool
    booked_at: datetime
    cancelled_at: datetime | None


class StudentBookings(Schema):
    student: StudentOut
    bookings: list[BookingOut]


class AttendanceOut(Schema):
    occurrence_id: int
    title: str
    subject: str
    starts_at: datetime
    status: str  # attended | no_show | excused
    walk_in: bool
    recorded_at: datetime


class StudentAttendance(Schema):
    student: StudentOut
    attendance: list[AttendanceOut]


class Activity(Schema):
    sessions_held: int
    sessions_cancelled: int
    sessions_upcoming: int
    hours_delivered: float
    bookings: int
    bookings_cancelled: int
    late_cancellations: int
    late_cancel_rate: float | None
    seats_booked_at_held_sessions: int
    attended_with_booking: int
    walk_ins: int
    no_shows: int
    excused: int
    attendance_rate: float | None
    no_show_rate: float | None
    mentees_served: int
    average_rating: float | None
    ratings: int


class Week(Schema):
    week: date
    held: int
    cancelled: int
    upcoming: int
    hours: float
    bookings: int
    late_cancellations: int
    attended: int
    walk_ins: int
    no_shows: int
    excused: int
    attendance_rate: float | None
    no_show_rate: float | None
    average_rating: float | None
    ratings: int


class Figures(Schema):
    start: date
    end: date
    subject_id: int | None
    mentor_id: int | None
    class_year: int | None
    activity: Activity
    trends: list[Week]


class RosterRowIn(Schema):
    email: str = Field(..., pattern=r"^[^@\s\x00]{1,64}@[^@\s\x00]{1,190}$")
    given_name: str = Field(..., min_length=1, max_length=150)
    surname: str = Field(..., min_length=1, max_length=150)
    graduation_year: int | None = Field(None, ge=1900, le=2200)


class RosterIn(Schema):
    students: list[RosterRowIn] = Field(..., min_length=1, max_length=1000)


class RosterOut(Schema):
    created: int
    updated: int
    unchanged: int


class RosterRowProblem(Schema):
    row: int
    msg: str


class RosterRefused(Schema):
    detail: str
    rows: list[RosterRowProblem] = []  # empty when the body itself could not be read
