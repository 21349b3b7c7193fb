"""Arrange helpers for the matching tests: people with subjects, and program admins."""

from accounts.class_year import graduation_year_for
from tests.factories import (  # noqa: F401 - MentorshipFactory re-exported for the matching tests
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
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
