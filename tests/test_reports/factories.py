"""The shared session factories with the report tests' defaults (sessions in the past, one-hour
sessions, ten seats, traits for cancellations), and exam results."""

from datetime import date, time, timedelta

import factory
from django.utils import timezone

from program.models import Exam
from reports.models import ExamResult
from sessions.models import Booking, Occurrence, WaitlistEntry
from tests import factories as shared
from tests.factories import MenteeFactory


class ReviewSeriesFactory(shared.ReviewSeriesFactory):
    title = factory.LazyAttribute(lambda o: f"{o.subject.name} review")
    weekday = 1
    start_time = time(18, 0)
    duration_minutes = 60
    seats = 10
    first_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    last_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))


class OccurrenceFactory(shared.OccurrenceFactory):
    """Pass starts_at (aware); ends_at follows from the series' duration unless given."""

    series = factory.SubFactory(ReviewSeriesFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=o.series.duration_minutes))
    series_date = factory.LazyAttribute(lambda o: timezone.localdate(o.starts_at))
    seats = factory.LazyAttribute(lambda o: o.series.seats)

    class Params:
        cancelled = factory.Trait(
            status=Occurrence.Status.CANCELLED, cancelled_at=factory.LazyAttribute(lambda o: o.starts_at)
        )


class BookingFactory(shared.BookingFactory):
    occurrence = factory.SubFactory(OccurrenceFactory)
    mentee = factory.SubFactory(MenteeFactory)

    class Params:
        cancelled = factory.Trait(
            status=Booking.Status.CANCELLED,
            cancelled_at=factory.LazyAttribute(lambda o: o.occurrence.starts_at - timedelta(days=1)),
        )
        late = factory.Trait(
            status=Booking.Status.CANCELLED,
            late_cancel=True,
            cancelled_at=factory.LazyAttribute(lambda o: o.occurrence.starts_at - timedelta(minutes=30)),
        )


class AttendanceFactory(shared.AttendanceFactory):
    occurrence = factory.SubFactory(OccurrenceFactory)


class WaitlistEntryFactory(shared.WaitlistEntryFactory):
    occurrence = factory.SubFactory(OccurrenceFactory)

    class Params:
        promoted = factory.Trait(
            status=WaitlistEntry.Status.PROMOTED, promoted_at=factory.LazyAttribute(lambda o: o.occurrence.starts_at)
        )


class OutcomeNoteFactory(shared.OutcomeNoteFactory):
    occurrence = factory.SubFactory(OccurrenceFactory)
    mentor = factory.LazyAttribute(lambda o: o.occurrence.series.mentor)
    topics = "Brachial plexus"


class RatingFactory(shared.RatingFactory):
    occurrence = factory.SubFactory(OccurrenceFactory)
    score = 4


class ExamResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamResult

    class Params:
        # The catalogue exam of this name and first day (a percent block exam), created on first use.
        exam_name = "Block 3"
        exam_date = factory.LazyFunction(timezone.localdate)

    student = factory.SubFactory(MenteeFactory)
    exam = factory.LazyAttribute(lambda o: _catalogue_exam(o.exam_name, o.exam_date))
    score = 75
    imported_at = factory.LazyFunction(timezone.now)


def _catalogue_exam(name: str, day: date) -> Exam:
    exam, _ = Exam.objects.get_or_create(name=name, first_day=day, defaults={"last_day": day})
    return exam
