"""Walking the user ids of "Ask a mentor" (/matching/request/<id>/) names approved mentors only:
every other id, a mentee's, an admin's, an applicant's, answers 404 without a name or an email."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import MenteeFactory, MentorFactory, ProgramAdminFactory
from tests.test_mentorship.support import mentee_wanting

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "mentor": MentorFactory(first_name="Approved", last_name="Mentor"),
        "named mentee": MenteeFactory(first_name="Private", last_name="Mentee"),
        "nameless mentee": MenteeFactory(first_name="", last_name="", email="nameless.mentee@school.edu"),
        "program admin": ProgramAdminFactory(first_name="Office", last_name="Admin"),
        "applicant": MenteeFactory(first_name="Not", last_name="Approved", is_mentor=False),
        "deactivated mentor": MentorFactory(first_name="Gone", last_name="Away", is_active=False),
        "anonymised mentor": MentorFactory(first_name="Was", last_name="Deleted", deleted_at=timezone.now()),
    }


@pytest.mark.parametrize(
    "who", ["named mentee", "nameless mentee", "program admin", "applicant", "deactivated mentor", "anonymised mentor"]
)
def test_asking_for_a_mentor_by_the_id_of_someone_who_is_not_an_approved_mentor_answers_404(client, people, who):
    client.force_login(mentee_wanting())
    person = people[who]

    response = client.get(reverse("matching:request", args=[person.pk]))

    assert response.status_code == 404
    page = response.content.decode()
    assert person.email not in page
    assert not person.last_name or person.last_name not in page


def test_a_mentee_cannot_look_themself_up_either(client):
    mentee = mentee_wanting(first_name="Self", last_name="Lookup")
    client.force_login(mentee)

    assert client.get(reverse("matching:request", args=[mentee.pk])).status_code == 404


def test_walking_every_user_id_finds_the_approved_mentors_and_nobody_else(client, people):
    walker = mentee_wanting()
    client.force_login(walker)
    highest = User.objects.order_by("-pk").values_list("pk", flat=True).first()

    found = {pk for pk in range(1, highest + 2) if client.get(reverse("matching:request", args=[pk])).status_code == 200}

    assert found == {people["mentor"].pk}


def test_the_approved_mentors_request_page_names_them(client, people):
    client.force_login(mentee_wanting())

    response = client.get(reverse("matching:request", args=[people["mentor"].pk]))

    assert response.status_code == 200
    assert "Approved Mentor" in response.content.decode()
