"""A mentee's request to a mentor: sent, accepted, declined, withdrawn, expired, ended."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorship import services
from mentorship.models import Mentorship, MentorshipSubject
from mentorship.selectors import active_mentee_ids_for, suggestions_for
from notifications.models import OutboundEmail
from tests.factories import SubjectFactory, UserFactory
from tests.test_mentorship.support import MentorshipFactory, mentee_wanting, mentor_teaching

pytestmark = pytest.mark.django_db


@pytest.fixture
def anatomy():
    return SubjectFactory(name="Anatomy")


def emails_to(user, kind):
    return OutboundEmail.objects.filter(recipient=user, kind=kind)


def test_a_request_covers_the_shared_subjects_and_emails_the_mentor(anatomy):
    histology, biochemistry = SubjectFactory(name="Histology"), SubjectFactory(name="Biochemistry")
    mentee = mentee_wanting(anatomy, biochemistry, histology)
    mentor = mentor_teaching(anatomy, histology)

    request = services.request_mentorship(mentee=mentee, mentor=mentor, message="Help with the limbs, please")

    assert request.status == Mentorship.Status.REQUESTED
    assert set(request.subjects.all()) == {anatomy, histology}
    assert request.reasons.startswith("Teaches Anatomy and Histology; 3 years ahead")
    email = emails_to(mentor, "mentorship_requested").get()
    assert "Help with the limbs, please" in email.body_text


def test_the_mentor_accepts_and_the_mentee_is_emailed(anatomy):
    mentee, mentor = mentee_wanting(anatomy), mentor_teaching(anatomy)
    request = services.request_mentorship(mentee=mentee, mentor=mentor)

    services.accept_request(mentorship=request, mentor=mentor)

    request.refresh_from_db()
    assert request.status == Mentorship.Status.ACTIVE and request.responded_at
    assert active_mentee_ids_for(mentor) == {mentee.pk}
    assert mentor.display_name in emails_to(mentee, "mentorship_accepted").get().subject


def test_accepting_when_full_is_refused_with_a_clear_message(anatomy):
    mentor = mentor_teaching(anatomy, capacity=1)
    request = services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor)
    MentorshipFactory(mentor=mentor)

    with pytest.raises(services.MentorFull, match=r"no free place \(1 of 1 taken\)"):
        services.accept_request(mentorship=request, mentor=mentor)

    request.refresh_from_db()
    assert request.status == Mentorship.Status.REQUESTED


def test_the_mentor_declines_and_the_mentee_can_ask_someone_else_for_the_subject(anatomy):
    mentee, mentor, other = mentee_wanting(anatomy), mentor_teaching(anatomy), mentor_teaching(anatomy)
    request = services.request_mentorship(mentee=mentee, mentor=mentor)

    services.decline_request(mentorship=request, mentor=mentor, reason="Exams this month")

    assert emails_to(mentee, "mentorship_declined").get().body_text.count("Exams this month") == 1
    assert services.request_mentorship(mentee=mentee, mentor=other).status == Mentorship.Status.REQUESTED


def test_a_mentee_has_at_most_one_pending_request_per_subject(anatomy):
    mentee = mentee_wanting(anatomy)
    services.request_mentorship(mentee=mentee, mentor=mentor_teaching(anatomy))

    with pytest.raises(services.DuplicateRequest, match="already have a pending request or a mentor for Anatomy"):
        services.request_mentorship(mentee=mentee, mentor=mentor_teaching(anatomy))

    assert Mentorship.objects.count() == 1


def test_the_database_refuses_a_second_open_mentorship_for_the_same_subject(anatomy):
    mentee = mentee_wanting(anatomy)
    MentorshipFactory(mentee=mentee, status="requested", subjects=[anatomy])

    with pytest.raises(IntegrityError), transaction.atomic():
        MentorshipFactory(mentee=mentee, status="requested", subjects=[anatomy])


def test_the_database_refuses_a_duplicate_active_pair(anatomy):
    pair = MentorshipFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MentorshipFactory(mentor=pair.mentor, mentee=pair.mentee)


def test_a_second_request_covers_only_subjects_not_already_pending(anatomy):
    histology = SubjectFactory(name="Histology")
    mentee = mentee_wanting(anatomy, histology)
    services.request_mentorship(mentee=mentee, mentor=mentor_teaching(anatomy))

    second = services.request_mentorship(mentee=mentee, mentor=mentor_teaching(anatomy, histology))

    assert list(second.subjects.all()) == [histology]


def test_a_request_to_a_full_mentor_is_refused(anatomy):
    mentor = mentor_teaching(anatomy, capacity=1)
    MentorshipFactory(mentor=mentor)

    with pytest.raises(services.MentorFull, match="has no free place right now"):
        services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor)

    assert Mentorship.objects.count() == 1


def test_a_request_to_a_mentor_with_capacity_zero_is_refused(anatomy):
    with pytest.raises(services.MentorFull):
        services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor_teaching(anatomy, capacity=0))


def test_a_request_to_an_unapproved_mentor_is_refused(anatomy):
    applicant = mentor_teaching(anatomy, is_mentor=False)

    with pytest.raises(services.NotEligibleForMentorship, match="is not an approved mentor"):
        services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=applicant)

    assert not Mentorship.objects.exists()


def test_a_mentee_with_no_subjects_is_told_to_choose_them_first(anatomy):
    with pytest.raises(services.NotEligibleForMentorship, match="Choose the subjects you want help in"):
        services.request_mentorship(mentee=mentee_wanting(), mentor=mentor_teaching(anatomy))


def test_a_request_to_a_classmate_is_refused_for_the_year_gap(anatomy):
    classmate = mentor_teaching(anatomy, year=2)

    with pytest.raises(services.NotEligibleForMentorship, match="not at least 2 class years ahead"):
        services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=classmate)


def test_only_mentees_can_ask_for_a_mentor(anatomy):
    with pytest.raises(services.NotEligibleForMentorship, match="Only mentees"):
        services.request_mentorship(mentee=UserFactory(), mentor=mentor_teaching(anatomy))


def test_an_unanswered_request_expires_after_seven_days_and_the_mentee_is_emailed(anatomy):
    mentee, mentor = mentee_wanting(anatomy), mentor_teaching(anatomy)
    old = services.request_mentorship(mentee=mentee, mentor=mentor)
    Mentorship.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(days=7, minutes=1))
    fresh = services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor)

    assert services.expire_overdue_requests() == 1
    assert services.expire_overdue_requests() == 0

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (Mentorship.Status.EXPIRED, Mentorship.Status.REQUESTED)
    assert emails_to(mentee, "mentorship_expired").count() == 1
    assert not MentorshipSubject.objects.filter(mentorship=old, is_open=True).exists()


def test_the_expiry_task_runs_the_expiry(anatomy):
    from mentorship.tasks import expire_mentorship_requests

    request = services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor_teaching(anatomy))
    Mentorship.objects.filter(pk=request.pk).update(requested_at=timezone.now() - timedelta(days=8))

    assert expire_mentorship_requests.delay().get() == 1


def test_an_overdue_request_can_no_longer_be_accepted(anatomy):
    mentor = mentor_teaching(anatomy)
    request = services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor)
    Mentorship.objects.filter(pk=request.pk).update(requested_at=timezone.now() - timedelta(days=8))

    with pytest.raises(services.NotPending, match="expired"):
        services.accept_request(mentorship=request, mentor=mentor)


def test_an_answered_request_cannot_be_answered_again(anatomy):
    mentor = mentor_teaching(anatomy)
    request = services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor)
    services.decline_request(mentorship=request, mentor=mentor)

    with pytest.raises(services.NotPending, match="already declined"):
        services.accept_request(mentorship=request, mentor=mentor)


def test_the_mentee_can_withdraw_a_pending_request(anatomy):
    mentee = mentee_wanting(anatomy)
    request = services.request_mentorship(mentee=mentee, mentor=mentor_teaching(anatomy))

    services.withdraw_request(mentorship=request, mentee=mentee)

    request.refresh_from_db()
    assert request.status == Mentorship.Status.ENDED and request.ended_by == mentee


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_either_side_ends_a_pair_and_the_other_side_is_emailed(side):
    pair = MentorshipFactory()
    by = getattr(pair, side)
    other = pair.mentee if side == "mentor" else pair.mentor

    services.end_mentorship(mentorship=pair, by=by, reason="Exams are over")

    pair.refresh_from_db()
    assert (pair.status, pair.ended_by, pair.end_reason) == (Mentorship.Status.ENDED, by, "Exams are over")
    assert "Exams are over" in emails_to(other, "mentorship_ended").get().body_text


def test_an_outsider_cannot_end_a_pair():
    with pytest.raises(services.NotEligibleForMentorship):
        services.end_mentorship(mentorship=MentorshipFactory(), by=UserFactory())


def test_ending_a_pair_frees_the_mentors_place_for_a_suggestion(anatomy):
    mentor = mentor_teaching(anatomy, capacity=1)
    pair = MentorshipFactory(mentor=mentor, subjects=[anatomy])
    mentee = mentee_wanting(anatomy)
    assert suggestions_for(mentee) == []

    services.end_mentorship(mentorship=pair, by=mentor)

    assert [m.id for m, _ in suggestions_for(mentee)] == [mentor.pk]


def test_suggestions_leave_out_subjects_already_covered_and_mentors_already_asked(anatomy):
    histology = SubjectFactory(name="Histology")
    mentee = mentee_wanting(anatomy, histology)
    asked = mentor_teaching(anatomy, histology)
    mentor_teaching(anatomy)  # has room, but Anatomy is already asked for
    mentor_teaching(histology)
    services.request_mentorship(mentee=mentee, mentor=asked)  # covers both subjects

    assert suggestions_for(mentee) == []


def test_retired_subjects_are_not_matched_on(anatomy):
    mentee, mentor = mentee_wanting(anatomy), mentor_teaching(anatomy)
    anatomy.is_active = False
    anatomy.save()

    assert suggestions_for(mentee) == []
    with pytest.raises(services.NotEligibleForMentorship):
        services.request_mentorship(mentee=mentee, mentor=mentor)


def test_suggestions_are_those_the_matcher_ranks_over_every_approved_mentor(anatomy):
    import random

    from django.conf import settings

    from mentorship import matching, selectors

    rng = random.Random(18)
    subjects = [anatomy, *(SubjectFactory(name=f"Subject {i}") for i in range(4))]
    for _ in range(30):
        mentor_teaching(*rng.sample(subjects, rng.randint(0, 2)), year=rng.choice([2, 3, 4]), capacity=rng.randint(0, 2))
    mentee = mentee_wanting(*rng.sample(subjects, 3))

    everyone = matching.suggestions(
        selectors.mentee_need_for(mentee), selectors.approved_mentor_offers(), selectors.subject_names(),
        min_year_gap=settings.MATCHING_MIN_YEAR_GAP, limit=30,
    )  # fmt: skip

    assert everyone  # the random program has suggestions to compare
    assert suggestions_for(mentee, limit=30) == everyone
