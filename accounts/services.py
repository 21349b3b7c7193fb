"""Every write the accounts domain allows: onboarding, profiles, mentor applications, class-year
corrections, invitations, data export and account deletion."""

import zoneinfo
from collections.abc import Iterable, Sequence
from importlib import import_module
from types import ModuleType
from typing import NotRequired, TypedDict, Unpack

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from accounts.availability import SLOT_LABELS
from accounts.class_year import class_year_for, class_year_label, graduation_year_for, valid_graduation_years
from accounts.models import Invitation, MentorApplication, OfferedSubject, User, WantedSubject, new_calendar_token
from accounts.preferences import EMAIL_CATEGORY_KEYS
from core import locking
from core.errors import ApplicationError
from notifications.services import queue_templated_email
from subjects.models import Subject

MAX_WANTED_SUBJECTS = 5
MAX_REMINDER_OFFSETS = 4
MAX_REMINDER_OFFSET_HOURS = 24 * 7


class AccountError(ApplicationError):
    """A rule about accounts, profiles or mentor applications said no."""


class NotEligibleToMentor(AccountError):
    """The student may not apply to mentor (class year, missing subjects)."""


class ApplicationAlreadyDecided(AccountError):
    """The mentor application was approved or declined already."""


# ---------------------------------------------------------------------------
# Profile and onboarding
# ---------------------------------------------------------------------------


def check_graduation_year(graduation_year: int | None) -> None:
    """Raise AccountError unless `graduation_year` makes a current student (MS1..MS4)."""
    if graduation_year is None:
        return
    years = valid_graduation_years()
    if graduation_year < years.start:
        raise AccountError(
            f"{graduation_year} is in the past for a current student: the earliest graduation year is {years.start}."
        )
    if graduation_year >= years.stop:
        raise AccountError(
            f"{graduation_year} is too far ahead: incoming first-years graduate in {years.stop - 1}."
        )


def _check_time_zone(name: str) -> None:
    if not name:
        return
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise AccountError(f"{name!r} is not a time zone we know.") from exc


def _check_availability(slots: Iterable[str]) -> list[str]:
    slots = list(dict.fromkeys(slots))
    unknown = [slot for slot in slots if slot not in SLOT_LABELS]
    if unknown:
        raise AccountError(f"Unknown availability slot: {', '.join(unknown)}.")
    return [code for code in SLOT_LABELS if code in slots]


def set_wanted_subjects(*, user: User, subjects: Sequence[Subject]) -> None:
    """Replace what `user` wants help in; the order given is the ranking (first = most wanted)."""
    subjects = list(dict.fromkeys(subjects))
    if len(subjects) > MAX_WANTED_SUBJECTS:
        raise AccountError(f"Choose at most {MAX_WANTED_SUBJECTS} subjects.")
    retired = [s.name for s in subjects if not s.is_active]
    if retired:
        raise AccountError(f"No longer offered: {', '.join(retired)}.")
    with transaction.atomic():
        WantedSubject.objects.filter(user=user).delete()
        WantedSubject.objects.bulk_create(
            WantedSubject(user=user, subject=subject, rank=rank) for rank, subject in enumerate(subjects, start=1)
        )


class ProfileFields(TypedDict):
    """What a person says about themselves: update_profile's arguments besides the user."""

    first_name: str
    last_name: str
    graduation_year: int | None
    time_zone: str
    bio: str
    specialty_interest: str
    availability: Iterable[str]
    wanted_subjects: NotRequired[Sequence[Subject] | None]


PROFILE_FIELDS = ["first_name", "last_name", "graduation_year", "time_zone", "bio", "specialty_interest", "availability"]


def update_profile(
    *,
    user: User,
    first_name: str,
    last_name: str,
    graduation_year: int | None,
    time_zone: str,
    bio: str,
    specialty_interest: str,
    availability: Iterable[str],
    wanted_subjects: Sequence[Subject] | None = None,
) -> User:
    """Save what a user says about themselves. `wanted_subjects` (ranked) is kept when None."""
    check_graduation_year(graduation_year)
    _check_time_zone(time_zone)
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.graduation_year = graduation_year
    user.time_zone = time_zone
    user.bio, user.specialty_interest = bio.strip(), specialty_interest.strip()
    user.availability = _check_availability(availability)
    with transaction.atomic():
        user.full_clean(exclude=["password", "email", "calendar_token"])
        user.save(update_fields=PROFILE_FIELDS)
        if wanted_subjects is not None:
            set_wanted_subjects(user=user, subjects=wanted_subjects)
    return user


def complete_onboarding(
    *,
    user: User,
    is_mentee: bool,
    wants_to_mentor: bool,
    offered_subjects: Sequence[Subject] = (),
    motivation: str = "",
    **profile: Unpack[ProfileFields],
) -> MentorApplication | None:
    """First-login setup: roles, profile, subjects, and (optionally) a mentor application.

    Returns the mentor application it filed, if any. All or nothing: a refused application
    leaves the user not onboarded, so they can correct the form.
    """
    if not is_mentee and not wants_to_mentor and not user.is_mentor:
        raise AccountError("Choose at least one role: mentee, mentor, or both.")
    with transaction.atomic():
        update_profile(user=user, **profile)
        application = None
        if wants_to_mentor and not user.is_mentor:
            application = apply_to_mentor(user=user, subjects=offered_subjects, motivation=motivation)
        user.is_mentee = is_mentee
        user.onboarded_at = user.onboarded_at or timezone.now()
        user.save(update_fields=["is_mentee", "onboarded_at"])
    return application


def update_notification_preferences(
    *, user: User, reminder_offsets_hours: Iterable[int], muted_email_categories: Iterable[str], email_opt_out: bool
) -> User:
    offsets = sorted(set(reminder_offsets_hours), reverse=True)
    if len(offsets) > MAX_REMINDER_OFFSETS:
        raise AccountError(f"At most {MAX_REMINDER_OFFSETS} reminders per session.")
    if any(not 1 <= hours <= MAX_REMINDER_OFFSET_HOURS for hours in offsets):
        raise AccountError(f"Reminders can be 1 to {MAX_REMINDER_OFFSET_HOURS} hours before a session.")
    muted = [key for key in EMAIL_CATEGORY_KEYS if key in set(muted_email_categories)]
    user.reminder_offsets_hours = offsets
    user.muted_email_categories = muted
    user.email_opt_out = email_opt_out
    user.save(update_fields=["reminder_offsets_hours", "muted_email_categories", "email_opt_out"])
    return user


# ---------------------------------------------------------------------------
# Mentor applications
# ---------------------------------------------------------------------------


def mentor_eligibility_problem(user: User) -> str | None:
    """Why `user` cannot apply to mentor now, or None if they can."""
    if user.is_mentor:
        return "You are already an approved mentor."
    years = settings.MENTOR_ELIGIBLE_YEARS
    if class_year_for(user.graduation_year) not in years:
        allowed = " and ".join(class_year_label(y) for y in years)
        return f"Mentors are {allowed} students; your profile says {user.class_year_label}."
    return None


def apply_to_mentor(*, user: User, subjects: Sequence[Subject], motivation: str) -> MentorApplication:
    """File a mentor application for a program admin to decide. Raises NotEligibleToMentor (an AccountError)."""
    subjects = list(dict.fromkeys(subjects))
    if not subjects:
        raise AccountError("Choose at least one subject you can teach.")
    if any(not s.is_active for s in subjects):
        raise AccountError("One of the subjects is no longer offered.")
    if not motivation.strip():
        raise AccountError("Tell the program office why you want to mentor.")
    with transaction.atomic():
        # Lock the user so two submissions cannot both pass the "no pending application" check,
        # and judge eligibility on the row as it is now.
        current = locking.lock(User.objects.all(), user.pk)
        problem = mentor_eligibility_problem(current)
        if problem:
            raise NotEligibleToMentor(problem)
        if MentorApplication.objects.filter(user=user, status=MentorApplication.Status.PENDING).exists():
            raise AccountError("You already have an application waiting for a decision.")
        application = MentorApplication.objects.create(user=user, motivation=motivation.strip())
        application.subjects.set(subjects)
    return application


def _lock_pending(application: MentorApplication) -> MentorApplication:
    locked = locking.lock(MentorApplication.objects.select_related("user"), application.pk)
    if locked.status != MentorApplication.Status.PENDING:
        raise ApplicationAlreadyDecided(f"This application was already {locked.get_status_display().lower()}.")
    return locked


def _email_decision(application: MentorApplication) -> None:
    queue_templated_email(
        to=application.user,
        kind=f"mentor_application_{application.status}",
        template="accounts/email/mentor_application_decided",
        context={
            "application": application,
            "user": application.user,
            "subjects": list(application.subjects.all()),
            "dashboard_url": settings.SITE_URL + reverse("dashboard"),
        },
    )


def _record_decision(
    application: MentorApplication, *, status: str, admin: User, message: str
) -> MentorApplication:
    """Lock the still-pending application and record the admin's decision on it (inside a transaction)."""
    application = _lock_pending(application)
    application.status = status
    application.decided_at = timezone.now()
    application.decided_by = admin
    application.decision_message = message.strip()
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_message"])
    return application


def approve_mentor_application(*, application: MentorApplication, admin: User, message: str = "") -> MentorApplication:
    """Make the applicant a mentor teaching the subjects they applied with, and email them."""
    with transaction.atomic():
        application = _record_decision(
            application, status=MentorApplication.Status.APPROVED, admin=admin, message=message
        )
        user = application.user
        user.is_mentor = True
        user.save(update_fields=["is_mentor"])
        OfferedSubject.objects.bulk_create(
            [OfferedSubject(user=user, subject=s) for s in application.subjects.all()], ignore_conflicts=True
        )
        _email_decision(application)
    return application


def decline_mentor_application(*, application: MentorApplication, admin: User, message: str) -> MentorApplication:
    """Decline with a message the applicant reads in the email."""
    if not message.strip():
        raise AccountError("Write the applicant a short message explaining the decision.")
    with transaction.atomic():
        application = _record_decision(
            application, status=MentorApplication.Status.DECLINED, admin=admin, message=message
        )
        _email_decision(application)
    return application


# ---------------------------------------------------------------------------
# Program administration
# ---------------------------------------------------------------------------


def correct_class_year(*, user: User, class_year: int | None) -> User:
    """Set the student's current class year (1..4) by moving the graduation year; None clears it."""
    if class_year is not None and not 1 <= class_year <= 4:
        raise AccountError("Class year must be MS1 to MS4.")
    user.graduation_year = graduation_year_for(class_year) if class_year else None
    user.save(update_fields=["graduation_year"])
    return user


def invite_user(*, email: str, invited_by: User) -> Invitation:
    """Email a sign-up link to `email`. The link proves the address, so no verification mail follows."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(f"{email} already has an account.")
    with transaction.atomic():
        # A new invitation replaces an older open one (a resend with a fresh link and validity).
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).delete()
        invitation = Invitation.objects.create(email=email, invited_by=invited_by)
        queue_templated_email(
            to=email,
            kind="invitation",
            template="accounts/email/invitation",
            context={
                "invitation": invitation,
                "invited_by": invited_by,
                "accept_url": settings.SITE_URL + reverse("accounts:accept_invitation", args=[invitation.token]),
                "valid_days": Invitation.VALID_DAYS,
            },
        )
    return invitation


def mark_invitation_accepted(*, email: str) -> None:
    Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).update(accepted_at=timezone.now())


# ---------------------------------------------------------------------------
# Privacy: export and deletion, extensible per app
# ---------------------------------------------------------------------------


def privacy_modules() -> list[tuple[str, ModuleType]]:
    """Each installed app's `privacy` module, if it has one, as (app label, module).

    An app joins the export and the deletion by adding `<app>/privacy.py` with
    `export_user_data(user) -> dict` (JSON-serialisable) and/or `erase_user_data(user) -> None`.
    """
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "privacy"):
            found.append((config.label, import_module(f"{config.name}.privacy")))
    return found


def build_data_export(*, user: User) -> dict:
    """Everything the platform holds about `user`, one section per app."""
    export = {"format": "peer-mentoring-export/1", "exported_at": timezone.now().isoformat()}
    for label, module in privacy_modules():
        exporter = getattr(module, "export_user_data", None)
        if exporter is not None:
            export[label] = exporter(user)
    return export


def delete_account(*, user: User) -> User:
    """Anonymise the account: personal data goes, the row stays (inactive) so hours, attendance and
    other aggregates stay right. Each app's `privacy.erase_user_data` removes what it holds."""
    with transaction.atomic():
        user = locking.lock(User.objects.all(), user.pk)
        if user.deleted_at is not None:
            return user
        for _label, module in privacy_modules():
            eraser = getattr(module, "erase_user_data", None)
            if eraser is not None:
                eraser(user)
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.first_name = user.last_name = ""
        user.bio = user.specialty_interest = user.time_zone = ""
        user.availability = []
        user.set_unusable_password()
        user.is_active = False
        user.is_mentee = user.is_mentor = user.is_program_admin = user.is_staff = user.is_superuser = False
        user.email_opt_out = True
        user.calendar_token = new_calendar_token()  # old calendar feed links stop working
        user.deleted_at = timezone.now()
        user.save()
    return user
