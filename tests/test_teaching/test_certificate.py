"""The certificate PDF and its verification link: valid, revoked, altered, unknown; anonymous access."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from teaching import services
from teaching.models import Certificate
from tests.factories import ProgramAdminFactory
from tests.test_teaching.support import NOW, build_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    scenario = build_scenario()
    admin = ProgramAdminFactory(first_name="Ada", last_name="Admin")
    endorsement, certificate = services.endorse_term(
        mentor=scenario.mentor, first_day=scenario.term.first_day, last_day=scenario.term.last_day, by=admin, now=NOW
    )
    return endorsement, certificate, admin


def pdf_text(certificate: Certificate) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(certificate.pdf))).pages)


def verify_path(certificate: Certificate) -> str:
    match = re.search(r"/teaching/verify/([A-Za-z0-9_-]+)/", pdf_text(certificate))
    assert match, "the PDF carries its verification link"
    return match.group(0)


def test_the_pdf_states_mentor_program_term_hours_sessions_mentees_and_endorsement(issued, settings):
    text = pdf_text(issued[1])

    for expected in ("Maya Okafor", settings.PROGRAM_NAME, "Fall 2026", "Verified teaching hours", "4.5",
                     "Sessions held", "Mentees taught", "Ada Admin", "15 October 2026"):  # fmt: skip
        assert expected in text


def test_only_the_hash_of_the_token_is_stored(issued):
    token = verify_path(issued[1]).rstrip("/").rsplit("/", 1)[1]

    assert token not in issued[1].token_hash
    assert len(issued[1].token_hash) == 64


def test_anyone_without_signing_in_sees_the_frozen_figures(client, issued, settings):
    response = client.get(verify_path(issued[1]))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Verified by {settings.PROGRAM_NAME} on 15 October 2026" in page
    assert "Maya Okafor" in page and "4.5" in page


def test_the_verification_page_shows_nothing_but_the_certificates_figures(client, issued):
    page = client.get(verify_path(issued[1])).content.decode()

    assert issued[0].mentor.email not in page  # no contact details, no mentee, no other term
    assert "no_show" not in page and "Attendance rate" not in page


def test_a_revoked_certificate_link_says_it_is_not_valid(client, issued):
    path = verify_path(issued[1])
    services.revoke_certificate(certificate=issued[1], by=issued[2])

    response = client.get(path)

    assert response.status_code == 404
    assert "This certificate link is not valid" in response.content.decode()
    assert "Maya Okafor" not in response.content.decode()


def test_an_altered_token_says_it_is_not_valid(client, issued):
    path = verify_path(issued[1])
    altered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]

    response = client.get(altered)

    assert response.status_code == 404
    assert "This certificate link is not valid" in response.content.decode()


def test_an_unknown_or_absurd_token_says_it_is_not_valid(client):
    for token in ("nope", "x" * 500):
        response = client.get(reverse("teaching:verify", kwargs={"token": token}))

        assert response.status_code == 404
        assert "This certificate link is not valid" in response.content.decode()


def test_the_verification_page_is_kept_out_of_caches_and_referrers(client, issued):
    response = client.get(verify_path(issued[1]))

    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_too_many_verifications_from_one_address_get_a_message(client, issued, settings, start_of_a_rate_window):
    settings.TEACHING_VERIFY_RATE_LIMIT = "2/m"
    path = verify_path(issued[1])
    client.get(path), client.get(path)

    response = client.get(path)

    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()


def test_a_reissued_certificate_has_a_new_link_and_the_old_one_stays_invalid(client, issued):
    old = verify_path(issued[1])
    services.revoke_certificate(certificate=issued[1], by=issued[2])

    new = services.reissue_certificate(endorsement=issued[0])

    assert client.get(old).status_code == 404
    assert client.get(verify_path(new)).status_code == 200


def test_deleting_the_mentors_account_revokes_the_certificate_and_keeps_the_endorsed_figures(client, issued):
    from accounts.services import delete_account

    path = verify_path(issued[1])
    delete_account(user=issued[0].mentor)

    assert client.get(path).status_code == 404
    issued[0].refresh_from_db()
    assert issued[0].sessions_held == 4
