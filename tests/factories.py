"""factory_boy factories for every model; tests arrange data with these, never fixture files."""

from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone

from accounts.class_year import graduation_year_for
from accounts.models import MentorApplication, OfferedSubject, User, WantedSubject
from subjects.models import Subject

PASSWORD = "correct-horse-battery-staple"
ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32; tests compute codes from it


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Subject {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"student{n}@school.edu")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    graduation_year = factory.LazyFunction(lambda: graduation_year_for(1))
    onboarded_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Every factory user has a verified primary email unless verified=False."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )
        if create:
            self.save()


class MenteeFactory(UserFactory):
    is_mentee = True
    graduation_year = factory.LazyFunction(lambda: graduation_year_for(1))


class MentorFactory(UserFactory):
    is_mentor = True
    graduation_year = factory.LazyFunction(lambda: graduation_year_for(4))


class ProgramAdminFactory(UserFactory):
    """A program admin with a TOTP authenticator (program admins must have MFA; mfa=False for none)."""

    is_program_admin = True
    graduation_year = None

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        if create and extracted is not False:
            from allauth.mfa.totp.internal.auth import TOTP

            TOTP.activate(self, ADMIN_TOTP_SECRET)


class WantedSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WantedSubject

    user = factory.SubFactory(MenteeFactory)
    subject = factory.SubFactory(SubjectFactory)
    rank = 1


class OfferedSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferedSubject

    user = factory.SubFactory(MentorFactory)
    subject = factory.SubFactory(SubjectFactory)


class MentorApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorApplication
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, graduation_year=factory.LazyFunction(lambda: graduation_year_for(4)))
    motivation = "I loved anatomy and want to help first-years through it."

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        if create and extracted:
            self.subjects.set(extracted)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Invitation"

    email = factory.Sequence(lambda n: f"invitee{n}@school.edu")
    invited_by = factory.SubFactory(ProgramAdminFactory)


class MentorshipFactory(factory.django.DjangoModelFactory):
    """An active pair by default; pass status="requested" for a pending request."""

    class Meta:
        model = "mentorship.Mentorship"
        skip_postgeneration_save = True

    mentor = factory.SubFactory(MentorFactory)
    mentee = factory.SubFactory(MenteeFactory)
    status = "active"
    requested_at = factory.LazyFunction(timezone.now)
    responded_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == "active" else None)

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        from mentorship.models import MentorshipSubject

        if create and extracted:
            MentorshipSubject.objects.bulk_create(
                MentorshipSubject(mentorship=self, subject=s, mentee=self.mentee, is_open=self.is_open)
                for s in extracted
            )


# ---------------------------------------------------------------------------
# Review sessions (sessions app)
# ---------------------------------------------------------------------------
import datetime as _dt  # noqa: E402

from sessions.models import (  # noqa: E402
    Attendance,
    Booking,
    Occurrence,
    OutcomeNote,
    Rating,
    ReviewSeries,
    StandingBooking,
    WaitlistEntry,
)


class ReviewSeriesFactory(factory.django.DjangoModelFactory):
    """A series row only; use sessions.services.publish_series to get its occurrences too."""

    class Meta:
        model = ReviewSeries

    mentor = factory.SubFactory(MentorFactory)
    subject = factory.SubFactory(SubjectFactory)
    title = factory.Sequence(lambda n: f"Review session {n}")
    weekday = 1
    start_time = _dt.time(18, 0)
    duration_minutes = 90
    location = "Room 101"
    seats = 6
    first_date = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=1))
    last_date = factory.LazyAttribute(lambda o: o.first_date + _dt.timedelta(weeks=8))
    allowed_class_years = factory.LazyFunction(lambda: [1, 2, 3])


class OccurrenceFactory(factory.django.DjangoModelFactory):
    """One occurrence, by default two days ahead, with the series' seats and room."""

    class Meta:
        model = Occurrence

    series = factory.SubFactory(ReviewSeriesFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + _dt.timedelta(days=2)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + _dt.timedelta(minutes=90))
    series_date = factory.LazyAttribute(lambda o: timezone.localtime(o.starts_at).date())
    seats = factory.LazyAttribute(lambda o: o.series.seats)
    location = factory.LazyAttribute(lambda o: o.series.location)


class MenteeAtOccurrenceFactory(factory.django.DjangoModelFactory):
    """What a booking, a waitlist place, an attendance and a rating share: one mentee, one occurrence."""

    class Meta:
        abstract = True

    occurrence = factory.SubFactory(OccurrenceFactory)
    mentee = factory.SubFactory(MenteeFactory)


class BookingFactory(MenteeAtOccurrenceFactory):
    class Meta:
        model = Booking


class StandingBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandingBooking

    series = factory.SubFactory(ReviewSeriesFactory)
    mentee = factory.SubFactory(MenteeFactory)


class WaitlistEntryFactory(MenteeAtOccurrenceFactory):
    class Meta:
        model = WaitlistEntry


class AttendanceFactory(MenteeAtOccurrenceFactory):
    class Meta:
        model = Attendance

    status = Attendance.Status.ATTENDED


class OutcomeNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeNote

    occurrence = factory.SubFactory(OccurrenceFactory)
    mentor = factory.LazyAttribute(lambda o: o.occurrence.series.mentor)
    topics = "Brachial plexus"
    private_notes = "Two mentees struggle with the trunks."


class RatingFactory(MenteeAtOccurrenceFactory):
    class Meta:
        model = Rating

    score = 5


def published_series(**overrides) -> ReviewSeries:
    """A series published through the service (so it has its occurrences): by default weekly at
    18:00 program time from tomorrow, four weeks, six seats, open to MS1-MS3."""
    from sessions.services import publish_series

    first = overrides.pop("first_date", None) or timezone.localdate() + _dt.timedelta(days=1)
    values = {
        "mentor": overrides.pop("mentor", None) or MentorFactory(),
        "subject": overrides.pop("subject", None) or SubjectFactory(),
        "title": "Anatomy review",
        "weekday": first.weekday(),
        "start_time": _dt.time(18, 0),
        "duration_minutes": 90,
        "seats": 6,
        "first_date": first,
        "last_date": first + _dt.timedelta(weeks=3),
        "location": "Room 101",
    }
    values.update(overrides)
    return publish_series(**values)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "program.Term"

    name = factory.Sequence(lambda n: f"Term {n + 1}")
    first_day = factory.Sequence(lambda n: date(2026, 8, 24) + timedelta(days=200 * n))
    last_day = factory.LazyAttribute(lambda term: term.first_day + timedelta(days=116))


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "program.Holiday"

    name = "Thanksgiving break"
    first_day = date(2026, 11, 26)
    last_day = factory.LazyAttribute(lambda holiday: holiday.first_day)


class ExamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "program.Exam"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Block {n + 1} exam")
    kind = "block"
    scale = "percent"
    first_day = date(2026, 10, 15)
    last_day = factory.LazyAttribute(lambda exam: exam.first_day)

    @factory.post_generation
    def subjects(self, create: bool, extracted: list[Any] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.subjects.set(extracted)


def series_form_data(subject: Subject, **overrides: object) -> dict[str, object]:
    """What a mentor types into "Publish a series": Renal physiology, weekly at 18:00 from three days
    on for six weeks, six seats, Room 4. `overrides` replace fields (strings, as a browser posts)."""
    first = timezone.localdate() + _dt.timedelta(days=3)
    data: dict[str, object] = {
        "subject": subject.pk, "title": "Renal physiology", "weekday": first.weekday(), "start_time": "18:00",
        "duration_minutes": 90, "seats": 6, "location": "Room 4", "first_date": first.isoformat(),
        "last_date": (first + _dt.timedelta(weeks=5)).isoformat(),
    }
    return data | overrides
