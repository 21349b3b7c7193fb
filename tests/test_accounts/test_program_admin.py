"""Program-admin pages: MFA first, then the applications queue, people, class-year correction, invitations."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.class_year import graduation_year_for
from accounts.models import Invitation, MentorApplication, User
from accounts.permissions import MFARequired, require
from notifications.models import OutboundEmail
from tests.factories import (
    InvitationFactory,
    MenteeFactory,
    MentorApplicationFactory,
    ProgramAdminFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


def test_an_admin_without_mfa_is_sent_to_set_it_up_with_a_message(client):
    client.force_login(ProgramAdminFactory(mfa=False))

    response = client.get(reverse("accounts:applications"), follow=True)

    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert "Program admins must turn on two-factor authentication first" in response.content.decode()


def test_the_django_admin_site_also_needs_mfa(client):
    client.force_login(ProgramAdminFactory(mfa=False, is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:index"))

    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_django_admin_site_opens_for_an_admin_with_mfa(client):
    client.force_login(ProgramAdminFactory(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_the_django_admin_site_signs_in_through_allauth(client):
    response = client.get(reverse("admin:login"))

    assert response["Location"].startswith(reverse("account_login"))


def test_the_policy_refuses_other_apps_admin_actions_to_an_admin_without_mfa():
    with pytest.raises(MFARequired):
        require(ProgramAdminFactory(mfa=False), "program.administer")


def test_the_queue_lists_pending_applications(admin_client):
    application = MentorApplicationFactory(subjects=[SubjectFactory(name="Anatomy")])

    body = admin_client.get(reverse("accounts:applications")).content.decode()

    assert application.user.display_name in body
    assert "Anatomy" in body


def test_an_admin_approves_an_application_from_its_page(admin_client):
    application = MentorApplicationFactory(subjects=[SubjectFactory()])

    response = admin_client.post(
        reverse("accounts:application_detail", args=[application.pk]), {"decision": "approve", "message": "Yay"}
    )

    assert response["Location"] == reverse("accounts:applications")
    application.user.refresh_from_db()
    assert application.user.is_mentor
    assert OutboundEmail.objects.filter(recipient=application.user, kind="mentor_application_approved").exists()


def test_declining_without_a_message_is_refused_on_the_form(admin_client):
    application = MentorApplicationFactory(subjects=[SubjectFactory()])

    response = admin_client.post(
        reverse("accounts:application_detail", args=[application.pk]), {"decision": "decline", "message": ""}
    )

    assert response.status_code == 400
    assert "Write the applicant a short message" in response.content.decode()
    application.refresh_from_db()
    assert application.status == MentorApplication.Status.PENDING


def test_deciding_an_already_decided_application_says_so(admin_client):
    application = MentorApplicationFactory(subjects=[SubjectFactory()])
    url = reverse("accounts:application_detail", args=[application.pk])
    admin_client.post(url, {"decision": "approve", "message": ""})

    response = admin_client.post(url, {"decision": "decline", "message": "Oops"})

    assert "This application was already approved." in response.content.decode()


def test_an_admin_corrects_a_class_year_from_the_people_list(admin_client):
    student = MenteeFactory(graduation_year=graduation_year_for(1))

    response = admin_client.post(reverse("accounts:correct_class_year", args=[student.pk]), {"class_year": "2"})

    assert response["Location"] == reverse("accounts:people")
    student.refresh_from_db()
    assert student.graduation_year == graduation_year_for(2)


def test_the_people_list_searches_by_name_or_email(admin_client):
    MenteeFactory(first_name="Findme", email="findme@school.edu")
    MenteeFactory(first_name="Other")

    body = admin_client.get(reverse("accounts:people"), {"q": "findme"}).content.decode()

    assert "findme@school.edu" in body
    assert "Other" not in body


def test_the_people_list_query_count_does_not_grow_with_people(admin_client, django_assert_max_num_queries):
    for _ in range(15):
        MenteeFactory()
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("accounts:people")).status_code == 200


def test_an_invitation_emails_a_sign_up_link(admin_client):
    admin_client.post(reverse("accounts:invitations"), {"email": "Friend@Elsewhere.org"})

    invitation = Invitation.objects.get()
    assert invitation.email == "friend@elsewhere.org"
    email = OutboundEmail.objects.get(kind="invitation")
    assert reverse("accounts:accept_invitation", args=[invitation.token]) in email.body_text


def test_inviting_someone_who_has_an_account_is_refused_on_the_form(admin_client):
    MenteeFactory(email="here@school.edu")

    response = admin_client.post(reverse("accounts:invitations"), {"email": "here@school.edu"})

    assert response.status_code == 400
    assert "here@school.edu already has an account." in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_invited_person_signs_up_outside_the_allowed_domains_without_a_verification_mail(client, settings):
    settings.SCHOOL_EMAIL_DOMAINS = ["bcm.edu"]
    invitation = InvitationFactory(email="guest@elsewhere.org")

    response = client.get(reverse("accounts:accept_invitation", args=[invitation.token]))
    assert response["Location"] == reverse("account_signup") + "?email=guest%40elsewhere.org"
    client.post(reverse("account_signup"), {
        "email": "guest@elsewhere.org", "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
    })

    user = User.objects.get(email="guest@elsewhere.org")
    assert EmailAddress.objects.get(user=user).verified
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_used_invitation_link_says_so(client):
    invitation = InvitationFactory(accepted_at="2026-01-01T00:00:00Z")

    response = client.get(reverse("accounts:accept_invitation", args=[invitation.token]))

    assert response.status_code == 410
    assert "no longer valid" in response.content.decode()


def test_the_django_admin_anonymises_instead_of_deleting_people(client):
    client.force_login(ProgramAdminFactory(is_staff=True, is_superuser=True))
    student = MenteeFactory(first_name="Ada")

    client.post(reverse("admin:accounts_user_changelist"), {"action": "anonymise", "_selected_action": [student.pk]})

    student.refresh_from_db()
    assert student.deleted_at is not None and student.first_name == ""
    assert client.get(reverse("admin:accounts_user_delete", args=[student.pk])).status_code == 403


def test_the_dashboard_of_an_admin_without_a_name_shows_the_email_not_a_dash(client):
    from tests.factories import ProgramAdminFactory

    admin = ProgramAdminFactory(first_name="", last_name="", email="office@school.edu", graduation_year=None)
    client.force_login(admin)

    page = client.get("/dashboard/").content.decode()

    assert "office@school.edu · Program admin" in page
    assert "- · Program admin" not in page


def test_a_students_dashboard_line_gives_the_class_year_and_roles():
    from tests.factories import MenteeFactory

    assert MenteeFactory.build().role_summary == "MS1 · Mentee"
