"""Arrange helpers for the matching tests: people with subjects, and program admins."""

import factory
from django.utils import timezone

from accounts.class_year import graduation_year_for
from tests.factories import (
    MenteeFactory,
    MentorFactory,
    OfferedSubjectFactory,
    ProgramAdminFactory,
    WantedSubjectFactory,
)


def mentee_wanting(*subjects, year: int = 1, **fields):
    """A mentee wanting `subjects` in that order of rank."""
    mentee = MenteeFactory(graduation_year=graduation_year_for(year), **fields)
    for rank, subject in enumerate(subjects, start=1):
        WantedSubjectFactory(user=mentee, subject=subject, rank=rank)
    return mentee


def mentor_teaching(*subjects, year: int = 4, capacity: int = 3, **fields):
    mentor = MentorFactory(graduation_year=graduation_year_for(year), mentor_capacity=capacity, **fields)
    for subject in subjects:
        OfferedSubjectFactory(user=mentor, subject=subject)
    return mentor


def program_admin(**fields):
    """A program admin with what the admin pages ask of one: a TOTP authenticator (MFA)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import is_mfa_enabled

    admin = ProgramAdminFactory(**fields)
    if not is_mfa_enabled(admin):  # the shared factory may give admins MFA already
        TOTP.activate(admin, generate_totp_secret())
    return admin


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
