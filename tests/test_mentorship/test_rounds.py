"""Admin matching rounds: compute, preview, drop pairs, commit once, refuse stale previews."""

import pytest

from mentorship import services
from mentorship.models import MatchingRound, Mentorship
from notifications.models import OutboundEmail
from tests.factories import SubjectFactory
from tests.test_mentorship.support import MentorshipFactory, mentee_wanting, mentor_teaching, program_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def anatomy():
    return SubjectFactory(name="Anatomy")


def run_round(admin, django_capture_on_commit_callbacks, **filters) -> MatchingRound:
    with django_capture_on_commit_callbacks(execute=True):
        matching_round = services.start_round(admin=admin, **filters)
    matching_round.refresh_from_db()
    return matching_round


def test_a_round_previews_the_best_pairs_with_scores_reasons_and_unmatched_reasons(
    anatomy, django_capture_on_commit_callbacks
):
    biochemistry = SubjectFactory(name="Biochemistry")
    mentor = mentor_teaching(anatomy, capacity=1)
    first, second = mentee_wanting(anatomy), mentee_wanting(anatomy)
    lonely = mentee_wanting(biochemistry)

    matching_round = run_round(program_admin(), django_capture_on_commit_callbacks)

    assert matching_round.status == MatchingRound.Status.PREVIEW and matching_round.progress == 100
    [pair] = matching_round.proposed_pairs
    assert pair["mentor_id"] == mentor.pk and pair["mentee_id"] in {first.pk, second.pk}
    assert pair["reasons"].startswith("Teaches Anatomy; 3 years ahead")
    reasons = {u["mentee_id"]: u["reason"] for u in matching_round.unmatched}
    assert reasons[lonely.pk] == "No eligible mentor for Biochemistry: no approved mentor teaches it."
    assert not Mentorship.objects.exists()


def test_a_round_is_computed_only_after_it_is_committed(anatomy, django_capture_on_commit_callbacks):
    mentor_teaching(anatomy)
    mentee_wanting(anatomy)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        matching_round = services.start_round(admin=program_admin())
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.COMPUTING and len(callbacks) == 1

    callbacks[0]()  # the commit: now the worker gets the round's id and finds its row
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.PREVIEW


def test_committing_creates_every_kept_pair_and_emails_both_sides(anatomy, django_capture_on_commit_callbacks):
    mentor = mentor_teaching(anatomy, capacity=2)
    mentees = [mentee_wanting(anatomy), mentee_wanting(anatomy)]
    admin = program_admin()
    matching_round = run_round(admin, django_capture_on_commit_callbacks)

    created = services.commit_round(matching_round=matching_round, admin=admin)

    assert {m.mentee_id for m in created} == {m.pk for m in mentees}
    assert all(m.status == Mentorship.Status.ACTIVE and m.round == matching_round for m in created)
    assert OutboundEmail.objects.filter(kind="mentorship_matched", recipient=mentor).count() == 2
    assert OutboundEmail.objects.filter(kind="mentorship_matched", recipient__in=mentees).count() == 2
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.COMMITTED and matching_round.committed_by == admin


def test_committing_the_same_round_twice_creates_nothing_twice(anatomy, django_capture_on_commit_callbacks):
    mentor_teaching(anatomy)
    mentee_wanting(anatomy)
    admin = program_admin()
    matching_round = run_round(admin, django_capture_on_commit_callbacks)
    services.commit_round(matching_round=matching_round, admin=admin)

    assert services.commit_round(matching_round=matching_round, admin=admin) == []

    assert Mentorship.objects.count() == 1
    assert OutboundEmail.objects.filter(kind="mentorship_matched").count() == 2


def test_dropped_pairs_are_not_created(anatomy, django_capture_on_commit_callbacks):
    mentor_teaching(anatomy, capacity=2)
    kept, dropped = mentee_wanting(anatomy), mentee_wanting(anatomy)
    admin = program_admin()
    matching_round = run_round(admin, django_capture_on_commit_callbacks)

    services.set_pair_dropped(matching_round=matching_round, mentee_id=dropped.pk)
    created = services.commit_round(matching_round=matching_round, admin=admin)

    assert [m.mentee_id for m in created] == [kept.pk]


def test_a_stale_preview_is_refused_with_a_clear_message_and_nothing_is_saved(
    anatomy, django_capture_on_commit_callbacks
):
    mentor = mentor_teaching(anatomy, capacity=2)
    mentee_wanting(anatomy)
    mentee_wanting(anatomy)
    admin = program_admin()
    matching_round = run_round(admin, django_capture_on_commit_callbacks)
    MentorshipFactory(mentor=mentor)  # a self-service pair took one of the two places meanwhile

    with pytest.raises(services.StalePreview, match=r"now has 1 free place but this round gives them 2"):
        services.commit_round(matching_round=matching_round, admin=admin)

    assert Mentorship.objects.filter(round=matching_round).count() == 0
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.PREVIEW


def test_a_preview_whose_mentee_found_a_mentor_meanwhile_is_stale(anatomy, django_capture_on_commit_callbacks):
    mentor_teaching(anatomy)
    mentee = mentee_wanting(anatomy)
    admin = program_admin()
    matching_round = run_round(admin, django_capture_on_commit_callbacks)
    services.request_mentorship(mentee=mentee, mentor=mentor_teaching(anatomy))

    with pytest.raises(services.StalePreview, match="now has a mentor or a pending request"):
        services.commit_round(matching_round=matching_round, admin=admin)


def test_a_round_with_nobody_to_match_is_refused_before_it_starts(anatomy):
    pair = MentorshipFactory(mentee=mentee_wanting(anatomy))

    with pytest.raises(services.NothingToMatch, match="There is nobody to match"):
        services.start_round(admin=program_admin())

    assert pair.mentee.is_mentee and not MatchingRound.objects.exists()


def test_a_round_whose_every_pair_was_dropped_cannot_be_committed(anatomy, django_capture_on_commit_callbacks):
    mentor_teaching(anatomy)
    mentee = mentee_wanting(anatomy)
    admin = program_admin()
    matching_round = run_round(admin, django_capture_on_commit_callbacks)
    services.set_pair_dropped(matching_round=matching_round, mentee_id=mentee.pk)

    with pytest.raises(services.NothingToMatch, match="no pairs to commit"):
        services.commit_round(matching_round=matching_round, admin=admin)


def test_a_round_filtered_by_subject_and_year_only_takes_those_mentees(anatomy, django_capture_on_commit_callbacks):
    histology = SubjectFactory(name="Histology")
    mentor_teaching(anatomy, histology, capacity=5)
    wanted = mentee_wanting(anatomy, year=1)
    mentee_wanting(histology, year=1)
    mentee_wanting(anatomy, year=2)

    matching_round = run_round(program_admin(), django_capture_on_commit_callbacks, subject=anatomy, class_year=1)

    assert [p["mentee_id"] for p in matching_round.proposed_pairs] == [wanted.pk]
    assert matching_round.filters_description == "Anatomy, MS1"


def test_mentees_with_a_pending_request_are_left_out_of_rounds(anatomy, django_capture_on_commit_callbacks):
    mentor_teaching(anatomy, capacity=5)
    waiting = mentee_wanting(anatomy)
    services.request_mentorship(mentee=waiting, mentor=mentor_teaching(anatomy))
    free = mentee_wanting(anatomy)

    matching_round = run_round(program_admin(), django_capture_on_commit_callbacks)

    assert [p["mentee_id"] for p in matching_round.proposed_pairs] == [free.pk]


def test_a_round_computed_again_by_a_retried_task_changes_nothing(anatomy, django_capture_on_commit_callbacks):
    mentor_teaching(anatomy)
    mentee_wanting(anatomy)
    admin = program_admin()
    matching_round = run_round(admin, django_capture_on_commit_callbacks)
    services.set_pair_dropped(matching_round=matching_round, mentee_id=matching_round.proposed_pairs[0]["mentee_id"])

    services.compute_round(round_id=matching_round.pk)

    matching_round.refresh_from_db()
    assert matching_round.proposed_pairs[0]["dropped"] is True
