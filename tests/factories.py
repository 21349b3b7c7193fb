"""factory_boy factories for every model; tests arrange data with these, never fixture files."""

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
# Review sessions (added with reminders; if the sessions branch brings its own, keep one set)
# ---------------------------------------------------------------------------
from datetime import time as _time  # noqa: E402 - kept with the factories that use it, for merges
from datetime import timedelta as _timedelta  # noqa: E402


class ReviewSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "review_sessions.ReviewSeries"

    mentor = factory.SubFactory(MentorFactory)
    subject = factory.SubFactory(SubjectFactory, name="Anatomy")
    title = factory.Sequence(lambda n: f"Anatomy review {n}")
    weekday = 1
    start_time = factory.LazyFunction(lambda: _time(18, 0))
    duration_minutes = 60
    time_zone = "America/Chicago"
    location = "Room 101"
    seats = 10
    first_date = factory.LazyFunction(lambda: timezone.localdate())
    last_date = factory.LazyFunction(lambda: timezone.localdate() + _timedelta(weeks=12))


class OccurrenceFactory(factory.django.DjangoModelFactory):
    """One occurrence starting `starts_at` (default: in 3 days), lasting an hour."""

    class Meta:
        model = "review_sessions.Occurrence"

    series = factory.SubFactory(ReviewSeriesFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + _timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + _timedelta(hours=1))
    series_date = factory.LazyAttribute(lambda o: o.starts_at.date())
    seats = factory.LazyAttribute(lambda o: o.series.seats)
    location = factory.LazyAttribute(lambda o: o.series.location)
    video_link = factory.LazyAttribute(lambda o: o.series.video_link)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "review_sessions.Booking"

    occurrence = factory.SubFactory(OccurrenceFactory)
    mentee = factory.SubFactory(MenteeFactory)


class OutcomeNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "review_sessions.OutcomeNote"

    occurrence = factory.SubFactory(OccurrenceFactory)
    mentor = factory.LazyAttribute(lambda o: o.occurrence.series.mentor)
    topics = "Brachial plexus"
