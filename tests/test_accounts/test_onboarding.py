"""Onboarding right after the first sign-in: roles, class year, subjects, availability, bio, time zone."""

import pytest
from django.urls import reverse

from accounts.class_year import graduation_year_for, valid_graduation_years
from accounts.models import MentorApplication, WantedSubject
from tests.factories import SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "first_name": "Ada",
        "last_name": "Okafor",
        "graduation_year": str(graduation_year_for(1)),
        "time_zone": "",
        "specialty_interest": "Pediatrics",
        "bio": "First-year, likes puzzles.",
        "availability": ["tue-evening", "thu-evening"],
        "is_mentee": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def newcomer(client):
    user = UserFactory(onboarded_at=None, first_name="", last_name="", graduation_year=None)
    client.force_login(user)
    return user


def test_the_dashboard_sends_a_newcomer_to_onboarding(client, newcomer):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:onboarding"))


def test_a_role_page_sends_a_newcomer_to_onboarding_and_back(client, newcomer):
    newcomer.graduation_year = graduation_year_for(4)
    newcomer.save()

    response = client.get(reverse("accounts:mentor_apply"))

    assert response["Location"] == reverse("accounts:onboarding") + "?next=%2Fmentor%2Fapply%2F"


def test_onboarding_as_a_mentee_saves_the_profile_with_ranked_subjects(client, newcomer):
    anatomy, biochem = SubjectFactory(name="Anatomy"), SubjectFactory(name="Biochemistry")

    response = client.post(
        reverse("accounts:onboarding"), _form(wanted_1=str(biochem.pk), wanted_2=str(anatomy.pk))
    )

    assert response["Location"] == reverse("dashboard")
    newcomer.refresh_from_db()
    assert newcomer.is_onboarded and newcomer.is_mentee and not newcomer.is_mentor
    assert newcomer.class_year == 1
    assert newcomer.availability == ["tue-evening", "thu-evening"]
    assert newcomer.specialty_interest == "Pediatrics"
    assert [(w.subject.name, w.rank) for w in WantedSubject.objects.filter(user=newcomer)] == [
        ("Biochemistry", 1), ("Anatomy", 2)
    ]
    assert client.get(reverse("dashboard")).status_code == 200


def test_onboarding_as_an_ms4_who_wants_to_mentor_files_an_application(client, newcomer):
    anatomy = SubjectFactory(name="Anatomy")
    data = _form(graduation_year=str(graduation_year_for(4)), wants_to_mentor="on",
                 offered_subjects=[str(anatomy.pk)], motivation="I love teaching.")
    del data["is_mentee"]

    client.post(reverse("accounts:onboarding"), data)

    application = MentorApplication.objects.get(user=newcomer)
    assert list(application.subjects.all()) == [anatomy]
    newcomer.refresh_from_db()
    assert newcomer.is_onboarded and not newcomer.is_mentor and not newcomer.is_mentee


def test_an_ms1_who_asks_to_mentor_is_told_why_not_and_stays_on_the_form(client, newcomer):
    anatomy = SubjectFactory(name="Anatomy")

    response = client.post(reverse("accounts:onboarding"), _form(
        wants_to_mentor="on", offered_subjects=[str(anatomy.pk)], motivation="Keen"))

    assert response.status_code == 400  # a refused form
    assert "Mentors are MS3 and MS4 students; your profile says MS1." in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.is_onboarded
    assert newcomer.graduation_year is None  # nothing half-saved


def test_a_graduation_year_in_the_past_is_refused_on_the_form_keeping_what_was_typed(client, newcomer):
    past = valid_graduation_years().start - 1

    response = client.post(reverse("accounts:onboarding"), _form(graduation_year=str(past)))

    body = response.content.decode()
    assert response.status_code == 400  # a refused form
    assert f"{past} is in the past for a current student" in body
    assert f'value="{past}"' in body
    assert "First-year, likes puzzles." in body
    newcomer.refresh_from_db()
    assert not newcomer.is_onboarded


def test_a_graduation_year_ten_years_ahead_is_refused_on_the_form(client, newcomer):
    ahead = valid_graduation_years().start + 10

    response = client.post(reverse("accounts:onboarding"), _form(graduation_year=str(ahead)))

    assert f"{ahead} is too far ahead" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.is_onboarded and newcomer.graduation_year is None


def test_choosing_no_role_is_refused(client, newcomer):
    data = _form()
    del data["is_mentee"]

    response = client.post(reverse("accounts:onboarding"), data)

    assert "Choose at least one role" in response.content.decode()


def test_the_same_subject_twice_in_the_ranking_is_refused(client, newcomer):
    anatomy = SubjectFactory(name="Anatomy")

    response = client.post(reverse("accounts:onboarding"), _form(wanted_1=str(anatomy.pk), wanted_2=str(anatomy.pk)))

    assert "You chose Anatomy more than once." in response.content.decode()


def test_an_unknown_time_zone_is_refused_on_the_form(client, newcomer):
    response = client.post(reverse("accounts:onboarding"), _form(time_zone="Mars/Olympus"))

    assert response.status_code == 400  # a refused form
    assert "Mars/Olympus is not one of the available choices." in response.content.decode()


def test_the_onboarding_page_shows_the_availability_grid_with_labels(client, newcomer):
    body = client.get(reverse("accounts:onboarding")).content.decode()

    assert 'value="tue-evening"' in body
    assert "Tuesday evening" in body


def test_onboarding_only_follows_a_local_next_address(client, newcomer):
    response = client.post(reverse("accounts:onboarding") + "?next=https://evil.example/", _form())

    assert response["Location"] == reverse("dashboard")


def test_onboarding_without_a_graduation_year_is_refused_with_why(client, newcomer):
    response = client.post(reverse("accounts:onboarding"), _form(graduation_year=""))

    assert response.status_code == 400
    assert "it decides your class year" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.is_onboarded


def test_each_roles_part_of_the_onboarding_form_is_tied_to_its_checkbox(client, newcomer):
    page = client.get(reverse("accounts:onboarding")).content.decode()

    # forms.js shows these parts only while the box is ticked; without JS they all show.
    assert 'data-shown-when="id_wants_to_mentor"' in page
    assert 'data-shown-when="id_is_mentee"' in page
    assert page.index('data-shown-when="id_wants_to_mentor"') < page.index("Subjects you can teach")
    assert page.index('data-shown-when="id_is_mentee"') < page.index("Subjects you want help in")
    assert "js/forms.js" in page
