"""A user downloads their data (JSON) and deletes their account (anonymised, aggregates kept)."""

import json
import sys
import types

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts import services
from accounts.models import MentorApplication, User, WantedSubject
from notifications.services import queue_email
from tests.factories import (
    PASSWORD,
    MenteeFactory,
    MentorApplicationFactory,
    ProgramAdminFactory,
    SubjectFactory,
    WantedSubjectFactory,
)

pytestmark = pytest.mark.django_db


def test_the_export_is_a_json_download_of_the_users_own_data(client):
    mentee = MenteeFactory(first_name="Ada", bio="Likes anatomy")
    WantedSubjectFactory(user=mentee, subject=SubjectFactory(name="Anatomy"))
    other = MenteeFactory(first_name="Zed")
    client.force_login(mentee)

    response = client.get(reverse("accounts:export"))

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["accounts"]["profile"]["first_name"] == "Ada"
    assert data["accounts"]["profile"]["bio"] == "Likes anatomy"
    assert data["accounts"]["wanted_subjects"] == [{"subject": "Anatomy", "rank": 1}]
    assert data["accounts"]["roles"]["mentee"] is True
    assert other.email not in response.content.decode()


def test_the_export_includes_mentor_applications_and_emails():
    application = MentorApplicationFactory(subjects=[SubjectFactory(name="Anatomy")], motivation="Because")
    queue_email(to=application.user, kind="test", subject="Hello there", body_text="x")

    data = services.build_data_export(user=application.user)

    assert data["accounts"]["mentor_applications"][0]["motivation"] == "Because"
    assert data["notifications"]["emails"][0]["subject"] == "Hello there"


def test_an_app_joins_the_export_and_the_deletion_by_adding_a_privacy_module(monkeypatch):
    """The documented extension point: <app>/privacy.py with export_user_data / erase_user_data."""
    erased = []
    module = types.ModuleType("subjects.privacy")
    module.export_user_data = lambda user: {"hello": user.pk}
    module.erase_user_data = lambda user: erased.append(user.pk)
    monkeypatch.setitem(sys.modules, "subjects.privacy", module)
    monkeypatch.setattr("accounts.services.module_has_submodule",
                        lambda package, name: package.__name__ in {"accounts", "notifications", "subjects"})
    mentee = MenteeFactory()

    assert services.build_data_export(user=mentee)["subjects"] == {"hello": mentee.pk}
    services.delete_account(user=mentee)
    assert erased == [mentee.pk]


def test_deletion_removes_personal_data_but_keeps_the_row(client):
    mentee = MenteeFactory(first_name="Ada", last_name="Okafor", bio="Secret", specialty_interest="Surgery")
    WantedSubjectFactory(user=mentee)
    queue_email(to=mentee, kind="test", subject="Hi Ada", body_text="x")
    pk = mentee.pk

    services.delete_account(user=mentee)

    user = User.objects.get(pk=pk)
    assert user.email == f"deleted-{pk}@deleted.invalid"
    assert (user.first_name, user.last_name, user.bio, user.specialty_interest) == ("", "", "", "")
    assert not user.is_active and user.deleted_at is not None
    assert not user.has_usable_password()
    assert user.graduation_year == mentee.graduation_year  # kept for reports by class year
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not WantedSubject.objects.filter(user=user).exists()
    assert not user.emails.exists()


def test_deletion_blanks_application_texts_but_keeps_the_decisions_countable():
    application = MentorApplicationFactory(subjects=[SubjectFactory()], motivation="Personal story")
    services.approve_mentor_application(application=application, admin=ProgramAdminFactory(), message="Great")

    services.delete_account(user=application.user)

    application.refresh_from_db()
    assert application.status == MentorApplication.Status.APPROVED
    assert (application.motivation, application.decision_message) == ("", "")


def test_deleting_an_admin_removes_their_authenticators():
    admin = ProgramAdminFactory()

    services.delete_account(user=admin)

    assert not Authenticator.objects.filter(user=admin).exists()


def test_deleting_through_the_page_needs_the_password_and_signs_out(client):
    mentee = MenteeFactory()
    client.force_login(mentee)

    wrong = client.post(reverse("accounts:delete"), {"password": "not-it"})
    assert wrong.status_code == 400
    assert "That is not your password." in wrong.content.decode()
    mentee.refresh_from_db()
    assert mentee.deleted_at is None

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response["Location"] == reverse("home")
    mentee.refresh_from_db()
    assert mentee.deleted_at is not None
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_deleted_user_cannot_sign_in_with_the_old_address(client):
    mentee = MenteeFactory(email="gone@school.edu")
    services.delete_account(user=mentee)

    response = client.post(reverse("account_login"), {"login": "gone@school.edu", "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_the_old_address_can_sign_up_again_after_deletion(client):
    services.delete_account(user=MenteeFactory(email="back@school.edu"))

    client.post(reverse("account_signup"), {
        "email": "back@school.edu", "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
    })

    assert User.objects.filter(email="back@school.edu", is_active=True).exists()


def test_guessing_the_password_to_delete_an_account_is_stopped_after_five_tries(client):
    mentee = MenteeFactory()
    client.force_login(mentee)

    wrong = [client.post(reverse("accounts:delete"), {"password": f"guess-{n}"}).status_code for n in range(5)]
    refused = client.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert wrong == [400] * 5
    assert refused.status_code == 429
    assert "Too many attempts to delete the account" in refused.content.decode()
    mentee.refresh_from_db()
    assert mentee.deleted_at is None
