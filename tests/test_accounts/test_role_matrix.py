"""Every accounts URL x (anonymous, mentee, mentor, program admin) answers the expected status."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts import urls as accounts_urls
from tests.factories import (
    InvitationFactory,
    MenteeFactory,
    MentorApplicationFactory,
    MentorFactory,
    ProgramAdminFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db

LOGIN = "login"  # anonymous: redirected to sign in
ROLES = ["anonymous", "mentee", "mentor", "admin"]

# url name -> expected status for (anonymous, mentee, mentor, program admin); GET requests.
MATRIX = {
    "onboarding": (LOGIN, 302, 302, 302),  # everyone here has onboarded: sent to the profile
    "profile": (LOGIN, 200, 200, 200),
    "preferences": (LOGIN, 200, 200, 200),
    "privacy": (LOGIN, 200, 200, 200),
    "export": (LOGIN, 200, 200, 200),
    "delete": (LOGIN, 405, 405, 405),  # POST only
    "mentor_apply": (LOGIN, 200, 403, 200),
    "applications": (LOGIN, 403, 403, 200),
    "application_detail": (LOGIN, 403, 403, 200),
    "people": (LOGIN, 403, 403, 200),
    "correct_class_year": (LOGIN, 403, 403, 405),  # POST only
    "invitations": (LOGIN, 403, 403, 200),
    "accept_invitation": (302, 302, 302, 302),  # anonymous: on to sign-up; signed in: dashboard
}


def _args(name):
    if name == "application_detail":
        return [MentorApplicationFactory(subjects=[SubjectFactory()]).pk]
    if name == "correct_class_year":
        return [MenteeFactory().pk]
    if name == "accept_invitation":
        return [InvitationFactory().token]
    return []


def _login(client, role):
    factory = {"mentee": MenteeFactory, "mentor": MentorFactory, "admin": ProgramAdminFactory}.get(role)
    if factory:
        client.force_login(factory())


def test_the_matrix_covers_every_accounts_url():
    assert {p.name for p in accounts_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_matrix(client, name, role):
    expected = MATRIX[name][ROLES.index(role)]
    _login(client, role)

    response = client.get(reverse(f"accounts:{name}", args=_args(name)))

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


def test_a_mentee_cannot_post_a_class_year_correction(client):
    client.force_login(MenteeFactory())
    other = MenteeFactory()

    response = client.post(reverse("accounts:correct_class_year", args=[other.pk]), {"class_year": "4"})

    assert response.status_code == 403


def test_a_mentee_cannot_decide_an_application(client):
    client.force_login(MenteeFactory())
    application = MentorApplicationFactory(subjects=[SubjectFactory()])

    response = client.post(
        reverse("accounts:application_detail", args=[application.pk]), {"decision": "approve", "message": ""}
    )

    assert response.status_code == 403
    application.user.refresh_from_db()
    assert not application.user.is_mentor


@pytest.mark.parametrize("name", ["account_email", "account_change_password", "mfa_index"])
def test_allauths_account_pages_need_a_sign_in(client, name):
    response = client.get(reverse(name))

    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["account_email", "account_change_password", "mfa_index"])
def test_allauths_account_pages_open_for_a_signed_in_user_with_bootstrap_styling(client, name):
    client.force_login(MenteeFactory())

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert 'class="btn btn-' in response.content.decode()


@pytest.mark.parametrize("name", [
    "account_login", "account_signup", "account_reset_password", "account_reset_password_done",
])
def test_allauths_entrance_pages_render_with_bootstrap_for_visitors(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert '<h1 class="h3 mb-3 allauth-entrance">' in response.content.decode()


def test_allauths_sign_out_page_asks_a_signed_in_user_to_confirm(client):
    client.force_login(ProgramAdminFactory())

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    assert f'action="{reverse("account_logout")}"' in response.content.decode()


@pytest.mark.parametrize("mfa", [True, False], ids=["with_mfa", "without_mfa"])
@pytest.mark.parametrize("name", ["mfa_activate_totp", "mfa_generate_recovery_codes"])
def test_allauths_authenticator_pages_ask_a_signed_in_admin_for_the_password_again_first(client, name, mfa):
    """Not sent round to the TOTP setup (the gate lets allauth's pages through), but to reauthenticate."""
    client.force_login(ProgramAdminFactory(mfa=mfa))

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_reauthenticate')}?{urlencode({'next': reverse(name)})}"
