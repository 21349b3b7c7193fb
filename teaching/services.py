"""Every write of the teaching record: endorsements, certificates, milestones, the experience text,
and readiness (requirements, completions, the publishing gate)."""

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import locking
from core.errors import clean_or_refuse
from notifications.services import queue_email
from program.models import EARLIEST_DAY
from reports import periods
from teaching import selectors
from teaching.errors import (
    AlreadyEndorsed,
    CertificateProblem,
    EndorsementRefused,
    InvalidExperienceText,
    InvalidRequirement,
    NothingToEndorse,
    NotReadyToPublish,
)
from teaching.models import (
    ERAS_DESCRIPTION_LIMIT,
    NOTE_MAX_LENGTH,
    Certificate,
    Endorsement,
    ExperienceEntry,
    MilestoneAward,
    Requirement,
    RequirementCompletion,
)

if TYPE_CHECKING:
    from accounts.models import User


def _lock_mentor(mentor: "User") -> "User":
    from accounts.models import User

    return locking.lock(User.objects.all(), mentor.pk)


# ---------------------------------------------------------------------------
# Endorsement and certificates
# ---------------------------------------------------------------------------
def endorse_term(
    *, mentor: "User", first_day: date, last_day: date, by: "User", note: str = "", now: datetime | None = None
) -> tuple[Endorsement, Certificate]:
    """Freeze the figures of one term of the mentor's record and issue its certificate.

    The term must be one of the mentor's record terms (teaching.selectors.candidate_terms). Refuses a
    term with no held session (nothing saved) and a term endorsed already."""
    now = now or timezone.now()
    note = " ".join(note.split())
    if len(note) > NOTE_MAX_LENGTH:
        raise EndorsementRefused(f"Keep the note to {NOTE_MAX_LENGTH} characters.", field="note")
    term = selectors.find_term(mentor, first_day, last_day)
    if term is None:
        raise NothingToEndorse("That is not one of this mentor's terms.", field="term")
    with transaction.atomic():
        _lock_mentor(mentor)
        if Endorsement.objects.filter(mentor=mentor, first_day=first_day, last_day=last_day).exists():
            raise AlreadyEndorsed(f"{term.name} is endorsed already.", field="term")
        record = selectors.term_record(mentor=mentor, term=term, now=now)
        if record.is_empty:
            raise NothingToEndorse(
                f"{mentor.display_name} held no sessions in {term.name}: there is nothing to endorse.", field="term"
            )
        endorsement = Endorsement(
            mentor=mentor, term_name=term.name, first_day=first_day, last_day=last_day,
            subjects=", ".join(record.subjects)[:500], sessions_held=record.sessions_held,
            verified_hours=record.verified_hours, unique_mentees=record.unique_mentees,
            one_to_one_mentees=record.one_to_one_mentees, attendance_rate=record.attendance_rate,
            average_rating=record.average_rating, ratings=record.ratings, confidence_gain=record.confidence_gain,
            confidence_answers=record.confidence_answers, note=note, endorsed_by=by,
            endorsed_at=now,
        )  # fmt: skip
        clean_or_refuse(endorsement, EndorsementRefused)
        try:
            with transaction.atomic():
                endorsement.save()
        except IntegrityError as exc:
            raise AlreadyEndorsed(f"{term.name} is endorsed already.", field="term") from exc
        certificate = _issue(endorsement, now)
    return endorsement, certificate


def verification_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("teaching:verify", kwargs={"token": raw_token})


def _issue(endorsement: Endorsement, now: datetime) -> Certificate:
    from teaching.certificate import render_certificate

    raw = secrets.token_urlsafe(32)
    pdf = render_certificate(endorsement=endorsement, verify_url=verification_url(raw))
    certificate = Certificate(endorsement=endorsement, token_hash=selectors.hash_token(raw), pdf=pdf, issued_at=now)
    certificate.full_clean(exclude=["pdf"])
    certificate.save()
    return certificate


def reissue_certificate(*, endorsement: Endorsement, now: datetime | None = None) -> Certificate:
    """A new certificate (new link) for an endorsement whose certificates were all revoked."""
    now = now or timezone.now()
    with transaction.atomic():
        if _lock_mentor(endorsement.mentor).deleted_at is not None:
            raise CertificateProblem("The mentor deleted their account: a certificate would name no one.")
        if endorsement.certificates.valid().exists():
            raise CertificateProblem("This endorsement has a valid certificate; revoke it first.")
        return _issue(endorsement, now)


def revoke_certificate(*, certificate: Certificate, by: "User", now: datetime | None = None) -> Certificate:
    """Its link says "not valid" from now on. Revoking twice changes nothing."""
    now = now or timezone.now()
    Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_by=by)
    certificate.refresh_from_db()
    return certificate


# ---------------------------------------------------------------------------
# The experience entry
# ---------------------------------------------------------------------------
def save_experience_text(*, mentor: "User", text: str) -> ExperienceEntry:
    """Keep the mentor's edited text; refuses empty text and text over the ERAS limit."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidExperienceText("Write a description (or restore the generated one).", field="text")
    if len(text) > ERAS_DESCRIPTION_LIMIT:
        raise InvalidExperienceText(
            f"The description has {len(text)} characters; the application allows {ERAS_DESCRIPTION_LIMIT}.", field="text"
        )
    entry, _ = ExperienceEntry.objects.update_or_create(mentor=mentor, defaults={"text": text})
    return entry


def reset_experience_text(*, mentor: "User") -> None:
    ExperienceEntry.objects.filter(mentor=mentor).delete()


# ---------------------------------------------------------------------------
# Milestones
# ---------------------------------------------------------------------------
def award_milestones(*, mentor: "User", now: datetime | None = None) -> list[MilestoneAward]:
    """Record (and email, once each) every threshold the mentor's verified hours have reached."""
    now = now or timezone.now()
    hours = selectors.total_verified_hours(mentor, now)
    due = [h for h in selectors.milestone_hours() if hours >= h]
    if not due:
        return []
    awarded = []
    with transaction.atomic():
        known = set(MilestoneAward.objects.filter(mentor=mentor).values_list("hours", flat=True))
        for threshold in due:
            if threshold in known:
                continue
            try:
                with transaction.atomic():
                    award = MilestoneAward.objects.create(mentor=mentor, hours=threshold, reached_at=now)
            except IntegrityError:  # another worker recorded it first: its email went with it
                continue
            queue_email(
                to=mentor, kind="teaching_milestone", dedupe_key=f"teaching-milestone:{mentor.pk}:{threshold}",
                subject=f"You have taught {threshold} verified hours",
                body_text=(
                    f"Congratulations, {mentor.display_name}: your teaching record in the {settings.PROGRAM_NAME} "
                    f"now shows {threshold} verified teaching hours.\n\n"
                    f"See your record: {settings.SITE_URL}{reverse('teaching:my_record')}\n"
                ),
            )  # fmt: skip
            awarded.append(award)
    return awarded


def award_all_milestones(*, now: datetime | None = None) -> int:
    """The beat task's sweep: every mentor with a series. Returns how many milestones were new."""
    from accounts.models import User

    mentors = User.objects.filter(review_series__isnull=False, deleted_at__isnull=True).distinct()
    return sum(len(award_milestones(mentor=m, now=now)) for m in mentors)


# ---------------------------------------------------------------------------
# Readiness
# ---------------------------------------------------------------------------
def save_requirement(
    *,
    name: str,
    description: str = "",
    valid_for_months: int | None = None,
    active: bool = True,
    requirement: Requirement | None = None,
) -> Requirement:
    """Create or edit a requirement; names are unique whatever their case."""
    name = " ".join(name.split())
    if not name:
        raise InvalidRequirement("Give the requirement a name.", field="name")
    clash = Requirement.objects.filter(name__iexact=name)
    if requirement is not None:
        clash = clash.exclude(pk=requirement.pk)
    if clash.exists():
        raise InvalidRequirement("A requirement with this name exists already.", field="name")
    requirement = requirement or Requirement()
    requirement.name, requirement.description = name, description.strip()
    requirement.valid_for_months, requirement.active = valid_for_months, active
    requirement.full_clean()
    try:
        with transaction.atomic():
            requirement.save()
    except IntegrityError as exc:
        raise InvalidRequirement("A requirement with this name exists already.", field="name") from exc
    return requirement


def record_completion(
    *, requirement: Requirement, mentor: "User", completed_on: date, by: "User", now: datetime | None = None
) -> RequirementCompletion:
    """The mentor completed the requirement on `completed_on` (the mentor's own word, or an admin's
    record). A later completion replaces the earlier one."""
    now = now or timezone.now()
    if completed_on > periods.program_today():
        raise InvalidRequirement("The completion date is in the future.", field="completed_on")
    if completed_on < EARLIEST_DAY:
        raise InvalidRequirement(f"Give a completion date from {EARLIEST_DAY:%Y} on.", field="completed_on")
    if not mentor.is_mentor:
        raise InvalidRequirement(f"{mentor.display_name} is not a mentor.", field="mentor")
    if not requirement.active:
        raise InvalidRequirement(f"“{requirement.name}” is no longer required.", field="requirement")
    with transaction.atomic():
        completion, _ = RequirementCompletion.objects.update_or_create(
            requirement=requirement, mentor=mentor,
            defaults={"completed_on": completed_on, "recorded_by": by, "recorded_at": now},
        )  # fmt: skip
    return completion


def require_ready_to_publish(*, mentor: "User", today: date | None = None) -> None:
    """Raise NotReadyToPublish naming every active requirement the mentor has missing or expired."""
    missing = selectors.missing_requirements(mentor, today)
    if missing:
        names = "; ".join(item.describe() for item in missing)
        raise NotReadyToPublish(
            f"Before you publish sessions, complete what the program requires: {names}. "
            "Confirm it on your teaching record page, or ask the program office."
        )
