"""Find a mentor and the mentor's request list speak plainly: the reasons first, the fit as
"strong match", the mentor's bio, subjects and free times, natural times, and the mentor's side."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.templatetags.zoned_times import ago
from mentorship import services
from mentorship.matching import WEIGHTS, match_strength
from tests.factories import SubjectFactory
from tests.test_mentorship.support import mentee_wanting, mentor_teaching

pytestmark = pytest.mark.django_db


@pytest.fixture
def anatomy():
    return SubjectFactory(name="Anatomy")


def test_the_fit_score_is_told_as_a_strong_good_or_possible_match():
    first_choice_and_two_shared_evenings = WEIGHTS.subject_points + 2
    second_choice_only = WEIGHTS.subject_points / 2

    assert match_strength(first_choice_and_two_shared_evenings) == "strong match"
    assert match_strength(second_choice_only) == "good match"
    assert match_strength(WEIGHTS.subject_points / 4) == "possible match"


def test_a_suggestion_shows_reasons_strength_bio_subjects_and_free_times_not_a_score(client, anatomy):
    mentee = mentee_wanting(anatomy, availability=["tue-evening", "thu-evening"])
    mentor_teaching(
        anatomy, SubjectFactory(name="Histology"), first_name="Maya", last_name="Mentor",
        bio="MS4, loves the brachial plexus.", availability=["tue-evening", "thu-evening", "sat-morning"],
    )
    client.force_login(mentee)

    page = client.get(reverse("matching:find")).content.decode()

    assert "Teaches Anatomy; 3 years ahead; both free Tuesday and Thursday evenings." in page
    assert "Strong match" in page
    assert "MS4, loves the brachial plexus." in page
    assert "Anatomy, Histology" in page
    assert "Tuesday and Thursday evenings, Saturday morning" in page
    assert "Fit " not in page


def test_a_request_just_sent_says_just_now(client, anatomy):
    mentee = mentee_wanting(anatomy)
    services.request_mentorship(mentee=mentee, mentor=mentor_teaching(anatomy), message="")
    client.force_login(mentee)

    page = client.get(reverse("matching:find")).content.decode()

    assert "Sent just now" in page
    assert "0 minutes" not in page


@pytest.mark.parametrize("delta, said", [
    (timedelta(seconds=20), "just now"),
    (timedelta(minutes=1, seconds=5), "1 minute ago"),
    (timedelta(minutes=42), "42 minutes ago"),
    (timedelta(hours=5), "5 hours ago"),
    (timedelta(days=3), "3 days ago"),
])
def test_times_read_naturally(delta, said):
    assert ago(timezone.now() - delta) == said


def test_an_old_time_is_given_as_a_date():
    assert ago(timezone.now() - timedelta(days=40)).startswith("on ")


def test_the_mentor_reads_the_reasons_from_their_own_side(client, anatomy):
    mentee = mentee_wanting(anatomy, availability=["tue-evening"])
    mentor = mentor_teaching(anatomy, availability=["tue-evening", "mon-morning"])
    services.request_mentorship(mentee=mentee, mentor=mentor, message="")
    client.force_login(mentor)

    page = client.get(reverse("matching:requests")).content.decode()

    assert "Wants Anatomy; 3 years behind you; both free Tuesday evening." in page
    assert "Teaches Anatomy" not in page
    assert "Asked just now" in page
