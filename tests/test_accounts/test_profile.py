"""Users edit their profile and their notification preferences."""

import pytest
from django.urls import reverse

from accounts.class_year import graduation_year_for
from accounts.preferences import wants_email
from tests.factories import MenteeFactory, SubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentee(client):
    user = MenteeFactory()
    client.force_login(user)
    return user


def test_a_user_edits_their_profile(client, mentee):
    physiology = SubjectFactory(name="Physiology")

    response = client.post(reverse("accounts:profile"), {
        "first_name": "Sam", "last_name": "Lee", "graduation_year": str(graduation_year_for(2)),
        "time_zone": "Europe/Berlin", "bio": "Hi", "specialty_interest": "", "availability": ["mon-morning"],
        "wanted_1": str(physiology.pk),
    })

    assert response.status_code == 302
    mentee.refresh_from_db()
    assert (mentee.first_name, mentee.class_year, mentee.time_zone) == ("Sam", 2, "Europe/Berlin")
    assert [w.subject for w in mentee.wanted_subjects.all()] == [physiology]


def test_preferences_save_reminder_offsets_and_muted_emails(client, mentee):
    client.post(reverse("accounts:preferences"), {
        "reminder_offsets_hours": "1, 48", "wanted_emails": ["reminders", "bookings"],
    })

    mentee.refresh_from_db()
    assert mentee.reminder_offsets_hours == [48, 1]
    assert wants_email(mentee, "reminders")
    assert not wants_email(mentee, "digests")


def test_the_global_opt_out_silences_every_non_essential_email(client, mentee):
    client.post(reverse("accounts:preferences"), {
        "reminder_offsets_hours": "24", "wanted_emails": ["reminders"], "email_opt_out": "on",
    })

    mentee.refresh_from_db()
    assert not wants_email(mentee, "reminders")


def test_an_empty_reminder_list_means_no_reminders(client, mentee):
    client.post(reverse("accounts:preferences"), {"reminder_offsets_hours": ""})

    mentee.refresh_from_db()
    assert mentee.reminder_offsets_hours == []


@pytest.mark.parametrize("typed, message", [
    ("soon", "Enter whole numbers of hours"),
    ("0", "Reminders can be 1 to 168 hours before a session."),
    ("1,2,3,4,5", "At most 4 reminders per session."),
])
def test_bad_reminder_offsets_get_a_message_and_keep_what_was_typed(client, mentee, typed, message):
    response = client.post(reverse("accounts:preferences"), {"reminder_offsets_hours": typed})

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'value="{typed}"' in body
    mentee.refresh_from_db()
    assert mentee.reminder_offsets_hours == [24, 1]


def test_a_mentor_who_is_no_mentee_sees_no_subjects_wanted_and_keeps_them_on_save(client):
    from accounts.models import WantedSubject
    from tests.factories import MentorFactory, WantedSubjectFactory

    mentor = MentorFactory(is_mentee=False)
    WantedSubjectFactory(user=mentor, subject=SubjectFactory(name="Pathology"))
    client.force_login(mentor)

    page = client.get(reverse("accounts:profile")).content.decode()
    response = client.post(reverse("accounts:profile"), {
        "first_name": "Maya", "last_name": "Mentor", "graduation_year": mentor.graduation_year,
        "time_zone": "", "specialty_interest": "", "bio": "",
    })

    assert "Subjects you want help in" not in page
    assert response.status_code == 302
    assert WantedSubject.objects.filter(user=mentor).count() == 1


def test_a_student_must_give_a_graduation_year_on_the_profile(client, mentee):
    response = client.post(reverse("accounts:profile"), {
        "first_name": "Ada", "last_name": "Okafor", "graduation_year": "", "time_zone": "",
        "specialty_interest": "", "bio": "",
    })

    assert response.status_code == 400
    assert "Give your expected graduation year" in response.content.decode()


def test_a_program_admin_may_leave_the_graduation_year_empty(client):
    from tests.factories import ProgramAdminFactory

    admin = ProgramAdminFactory(graduation_year=None)
    client.force_login(admin)

    response = client.post(reverse("accounts:profile"), {
        "first_name": "Dev", "last_name": "Kim", "graduation_year": "", "time_zone": "",
        "specialty_interest": "", "bio": "",
    })

    assert response.status_code == 302
