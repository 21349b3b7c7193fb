"""The matching pages: what mentees, mentors and admins see and can do over HTTP."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship import services
from mentorship.models import MatchingRound, Mentorship
from tests.factories import MenteeFactory, MentorFactory, SubjectFactory
from tests.test_mentorship.support import MentorshipFactory, mentee_wanting, mentor_teaching, program_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def anatomy():
    return SubjectFactory(name="Anatomy")


def test_find_a_mentor_shows_suggestions_with_reasons(client, anatomy):
    mentee = mentee_wanting(anatomy)
    mentor = mentor_teaching(anatomy, first_name="Omar", last_name="Reyes")
    client.force_login(mentee)

    content = client.get(reverse("matching:find")).content.decode()

    assert "Omar Reyes" in content
    assert "Teaches Anatomy; 3 years ahead" in content
    assert reverse("matching:request", args=[mentor.pk]) in content


def test_find_a_mentor_asks_a_mentee_with_no_subjects_to_choose_them(client):
    client.force_login(MenteeFactory())

    assert "Choose the subjects you want help in" in client.get(reverse("matching:find")).content.decode()


def _find_page_with_three_mentors(client, anatomy) -> None:
    """A mentee in one pair, three mentors of their subject, signed in, Find a mentor seen once (warm)."""
    mentee = mentee_wanting(anatomy)
    MentorshipFactory(mentee=mentee, subjects=[SubjectFactory(name="Histology")])
    for _ in range(3):
        mentor_teaching(anatomy)
    client.force_login(mentee)
    client.get(reverse("matching:find"))


def test_find_a_mentor_page_queries_do_not_grow_with_the_number_of_mentors(client, anatomy, django_assert_max_num_queries):
    _find_page_with_three_mentors(client, anatomy)
    for _ in range(10):
        mentor_teaching(anatomy)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("matching:find"))

    assert response.content.decode().count("Ask for mentoring") == 10


def test_a_mentee_sends_a_request_with_a_message(client, anatomy):
    mentee, mentor = mentee_wanting(anatomy), mentor_teaching(anatomy)
    client.force_login(mentee)

    response = client.post(reverse("matching:request", args=[mentor.pk]), {"message": "Upper limb please"})

    assert response.status_code == 302
    assert Mentorship.objects.get(mentee=mentee, mentor=mentor).message == "Upper limb please"


def test_a_refused_request_shows_the_reason_on_the_form_and_keeps_the_message(client, anatomy):
    mentee, mentor = mentee_wanting(anatomy), mentor_teaching(anatomy, capacity=0)
    client.force_login(mentee)

    response = client.post(reverse("matching:request", args=[mentor.pk]), {"message": "Upper limb please"})

    content = response.content.decode()
    assert response.status_code == 400
    assert "has no free place right now" in content
    assert "Upper limb please" in content
    assert not Mentorship.objects.exists()


def test_only_mentees_see_find_a_mentor(client):
    client.force_login(MentorFactory())

    assert client.get(reverse("matching:find")).status_code == 403


def test_the_mentor_accepts_a_request_from_the_requests_page(client, anatomy):
    mentee, mentor = mentee_wanting(anatomy, first_name="Mia"), mentor_teaching(anatomy)
    request = services.request_mentorship(mentee=mentee, mentor=mentor, message="Hello there")
    client.force_login(mentor)
    assert "Hello there" in client.get(reverse("matching:requests")).content.decode()

    response = client.post(reverse("matching:accept", args=[request.pk]))

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Mentorship.Status.ACTIVE


def test_a_full_mentor_sees_why_accepting_failed(client, anatomy):
    mentor = mentor_teaching(anatomy, capacity=1)
    request = services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor)
    MentorshipFactory(mentor=mentor)
    client.force_login(mentor)

    response = client.post(reverse("matching:accept", args=[request.pk]))

    assert response.status_code == 400
    assert "You have no free place (1 of 1 taken)" in response.content.decode()


def test_another_mentor_cannot_answer_a_request(client, anatomy):
    request = services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor_teaching(anatomy))
    client.force_login(MentorFactory())

    assert client.post(reverse("matching:accept", args=[request.pk])).status_code == 403


def test_a_mentor_declines_with_a_reason(client, anatomy):
    mentor = mentor_teaching(anatomy)
    request = services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor)
    client.force_login(mentor)

    client.post(reverse("matching:decline", args=[request.pk]), {"reason": "Away on electives"})

    request.refresh_from_db()
    assert (request.status, request.end_reason) == (Mentorship.Status.DECLINED, "Away on electives")


def test_the_mentee_ends_a_pair_from_find_a_mentor(client):
    pair = MentorshipFactory()
    client.force_login(pair.mentee)

    response = client.post(reverse("matching:end", args=[pair.pk]), {"reason": "All good now"})

    assert response.status_code == 302 and response["Location"] == reverse("matching:find")
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ENDED


def test_matching_rounds_are_for_program_admins_only(client):
    client.force_login(MentorFactory())

    assert client.get(reverse("matching:rounds")).status_code == 403


def test_an_admin_runs_a_round_and_sees_the_preview(client, anatomy, django_capture_on_commit_callbacks):
    mentor_teaching(anatomy, first_name="Omar", last_name="Reyes")
    mentee_wanting(anatomy, first_name="Mia", last_name="Kim")
    client.force_login(program_admin())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:rounds"), {"subject": "", "class_year": ""})

    matching_round = MatchingRound.objects.get()
    assert response["Location"] == reverse("matching:round", args=[matching_round.pk])
    content = client.get(response["Location"]).content.decode()
    assert "Omar Reyes" in content and "Mia Kim" in content and "Teaches Anatomy" in content


def test_a_round_with_nobody_to_match_is_refused_on_the_form(client):
    client.force_login(program_admin())

    response = client.post(reverse("matching:rounds"), {"subject": "", "class_year": "2"})

    assert response.status_code == 400
    assert "There is nobody to match" in response.content.decode()


def test_the_progress_poll_shows_progress_then_reloads_the_page_when_done(client):
    admin = program_admin()
    matching_round = MatchingRound.objects.create(created_by=admin, progress=40, progress_note="Finding the best assignment")
    client.force_login(admin)
    url = reverse("matching:round_progress", args=[matching_round.pk])

    assert "Finding the best assignment" in client.get(url, headers={"HX-Request": "true"}).content.decode()
    MatchingRound.objects.filter(pk=matching_round.pk).update(status="preview")
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_committing_a_stale_preview_shows_a_clear_message(client, anatomy, django_capture_on_commit_callbacks):
    mentor = mentor_teaching(anatomy, capacity=1)
    mentee_wanting(anatomy)
    admin = program_admin()
    with django_capture_on_commit_callbacks(execute=True):
        matching_round = services.start_round(admin=admin)
    MentorshipFactory(mentor=mentor)
    client.force_login(admin)

    response = client.post(reverse("matching:commit", args=[matching_round.pk]))

    assert response.status_code == 400
    assert "The preview is out of date" in response.content.decode()


def test_an_admin_drops_a_pair_and_commits_the_rest(client, anatomy, django_capture_on_commit_callbacks):
    mentor_teaching(anatomy, capacity=2)
    kept, dropped = mentee_wanting(anatomy), mentee_wanting(anatomy)
    admin = program_admin()
    with django_capture_on_commit_callbacks(execute=True):
        matching_round = services.start_round(admin=admin)
    client.force_login(admin)

    client.post(reverse("matching:round_pair", args=[matching_round.pk, dropped.pk]), {"dropped": "1"})
    client.post(reverse("matching:commit", args=[matching_round.pk]))
    client.post(reverse("matching:commit", args=[matching_round.pk]))

    assert list(Mentorship.objects.values_list("mentee_id", flat=True)) == [kept.pk]


def test_navigation_shows_each_role_its_matching_pages(client):
    client.force_login(MenteeFactory())
    assert "Find a mentor" in client.get(reverse("dashboard")).content.decode()

    client.force_login(MentorFactory())
    assert "Mentee requests" in client.get(reverse("dashboard")).content.decode()

    client.force_login(program_admin())
    assert "Matching rounds" in client.get(reverse("dashboard")).content.decode()


def test_mentee_requests_page_queries_do_not_grow_with_the_number_of_requests(
    client, anatomy, django_assert_max_num_queries
):
    mentor = mentor_teaching(anatomy, capacity=20)
    for _ in range(2):
        services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor)
    MentorshipFactory(mentor=mentor, subjects=[anatomy])
    client.force_login(mentor)
    client.get(reverse("matching:requests"))
    for _ in range(8):
        services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("matching:requests"))

    assert response.content.decode().count("Decline request") == 10


def test_find_a_mentor_makes_the_same_queries_for_3_or_30_mentors(client, anatomy):
    _find_page_with_three_mentors(client, anatomy)
    with CaptureQueriesContext(connection) as for_3:
        client.get(reverse("matching:find"))
    for _ in range(27):
        mentor_teaching(anatomy, SubjectFactory())

    with CaptureQueriesContext(connection) as for_30:
        response = client.get(reverse("matching:find"))

    assert response.content.decode().count("Ask for mentoring") == 10
    assert len(for_30) == len(for_3)


def test_find_a_mentor_leaves_out_a_mentor_already_asked(client, anatomy):
    mentee = mentee_wanting(anatomy, SubjectFactory(name="Histology"))
    asked = mentor_teaching(anatomy, first_name="Asked", last_name="Already")
    mentor_teaching(anatomy, first_name="Free", last_name="Mentor")
    MentorshipFactory(mentee=mentee, mentor=asked, status=Mentorship.Status.REQUESTED, subjects=[])
    client.force_login(mentee)

    content = client.get(reverse("matching:find")).content.decode()

    assert reverse("matching:request", args=[asked.pk]) not in content
    assert "Free Mentor" in content
