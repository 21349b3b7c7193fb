"""Becoming a mentor: apply with subjects and why; a program admin approves or declines, by email."""

import pytest

from accounts.class_year import graduation_year_for
from accounts.models import MentorApplication, OfferedSubject
from accounts.services import (
    AccountError,
    ApplicationAlreadyDecided,
    NotEligibleToMentor,
    apply_to_mentor,
    approve_mentor_application,
    decline_mentor_application,
)
from notifications.models import OutboundEmail
from tests.factories import MentorApplicationFactory, ProgramAdminFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_ms4_can_apply_with_subjects_and_a_reason():
    student = UserFactory(graduation_year=graduation_year_for(4))
    anatomy = SubjectFactory(name="Anatomy")

    application = apply_to_mentor(user=student, subjects=[anatomy], motivation="I TA'd anatomy lab.")

    assert application.status == MentorApplication.Status.PENDING
    assert list(application.subjects.all()) == [anatomy]
    student.refresh_from_db()
    assert not student.is_mentor


def test_an_ms1_is_not_eligible_to_mentor(settings):
    student = UserFactory(graduation_year=graduation_year_for(1))

    with pytest.raises(NotEligibleToMentor, match="Mentors are MS3 and MS4 students; your profile says MS1."):
        apply_to_mentor(user=student, subjects=[SubjectFactory()], motivation="Why not")


def test_eligible_years_are_a_setting(settings):
    settings.MENTOR_ELIGIBLE_YEARS = [2, 3, 4]
    student = UserFactory(graduation_year=graduation_year_for(2))

    assert apply_to_mentor(user=student, subjects=[SubjectFactory()], motivation="Keen").pk


def test_a_student_cannot_have_two_pending_applications():
    application = MentorApplicationFactory(subjects=[SubjectFactory()])

    with pytest.raises(AccountError, match="already have an application waiting"):
        apply_to_mentor(user=application.user, subjects=[SubjectFactory()], motivation="Again")


def test_an_application_needs_a_subject_and_a_reason():
    student = UserFactory(graduation_year=graduation_year_for(3))
    with pytest.raises(AccountError, match="at least one subject"):
        apply_to_mentor(user=student, subjects=[], motivation="Keen")
    with pytest.raises(AccountError, match="why you want to mentor"):
        apply_to_mentor(user=student, subjects=[SubjectFactory()], motivation="  ")


def test_approval_makes_the_student_a_mentor_of_the_subjects_applied_for_and_emails_them():
    anatomy, physiology = SubjectFactory(name="Anatomy"), SubjectFactory(name="Physiology")
    application = MentorApplicationFactory(subjects=[anatomy, physiology])
    admin = ProgramAdminFactory()

    approve_mentor_application(application=application, admin=admin, message="Welcome aboard!")

    application.refresh_from_db()
    student = application.user
    student.refresh_from_db()
    assert student.is_mentor
    assert application.status == MentorApplication.Status.APPROVED
    assert application.decided_by == admin
    assert set(OfferedSubject.objects.filter(user=student).values_list("subject__name", flat=True)) == {
        "Anatomy", "Physiology"
    }
    email = OutboundEmail.objects.get(recipient=student)
    assert email.kind == "mentor_application_approved"
    assert "Welcome aboard!" in email.body_text
    assert "Anatomy, Physiology" in email.body_text


def test_declining_needs_a_message_which_the_student_gets_by_email():
    application = MentorApplicationFactory(subjects=[SubjectFactory()])
    admin = ProgramAdminFactory()

    with pytest.raises(AccountError, match="short message"):
        decline_mentor_application(application=application, admin=admin, message="")
    decline_mentor_application(application=application, admin=admin, message="Please apply again in spring.")

    application.refresh_from_db()
    application.user.refresh_from_db()
    assert application.status == MentorApplication.Status.DECLINED
    assert not application.user.is_mentor
    email = OutboundEmail.objects.get(recipient=application.user)
    assert email.kind == "mentor_application_declined"
    assert "Please apply again in spring." in email.body_text


def test_an_application_is_decided_only_once():
    application = MentorApplicationFactory(subjects=[SubjectFactory()])
    admin = ProgramAdminFactory()
    approve_mentor_application(application=application, admin=admin)

    with pytest.raises(ApplicationAlreadyDecided, match="already approved"):
        decline_mentor_application(application=application, admin=admin, message="No")
    assert OutboundEmail.objects.count() == 1


def test_an_approved_mentor_cannot_apply_again():
    application = MentorApplicationFactory(subjects=[SubjectFactory()])
    approve_mentor_application(application=application, admin=ProgramAdminFactory())

    with pytest.raises(NotEligibleToMentor, match="already an approved mentor"):
        apply_to_mentor(user=application.user, subjects=[SubjectFactory()], motivation="More")
