"""POST /api/v1/roster: a token with the write scope creates and updates students, all rows or none."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.class_year import graduation_year_for
from accounts.models import User
from audit.models import AccessEvent
from tests.factories import MenteeFactory, ProgramAdminFactory

pytestmark = pytest.mark.django_db


def _row(email="new@school.edu", **fields):
    return {"email": email, "given_name": "Ada", "surname": "Lovelace", "graduation_year": graduation_year_for(1),
            **fields}  # fmt: skip


def _post(client, headers, *rows):
    return client.post(reverse("api-v1:roster"), {"students": list(rows)}, content_type="application/json",
                       headers=headers)  # fmt: skip


def test_a_write_token_creates_a_missing_student_as_a_verified_mentee(client, make_token):
    _, headers = make_token(access="read_write")

    response = _post(client, headers, _row())

    student = User.objects.get(email="new@school.edu")
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0}
    assert (student.first_name, student.is_mentee, student.class_year, student.has_usable_password()) == (
        "Ada", True, 1, False
    )
    assert EmailAddress.objects.get(user=student).verified


def test_sending_the_same_roster_twice_changes_nothing_the_second_time(client, make_token):
    _, headers = make_token(access="read_write")
    _post(client, headers, _row(), _row("other@school.edu"))

    again = _post(client, headers, _row(), _row("OTHER@school.edu"))

    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2}
    assert User.objects.filter(email__in=["new@school.edu", "other@school.edu"]).count() == 2


def test_an_existing_students_names_and_year_are_updated_but_never_their_roles(client, make_token):
    student = MenteeFactory(email="known@school.edu", is_mentor=True)
    _, headers = make_token(access="read_write")

    response = _post(client, headers, _row("known@school.edu", given_name="Grace", graduation_year=graduation_year_for(2)))

    student.refresh_from_db()
    assert response.json()["updated"] == 1
    assert (student.first_name, student.class_year, student.is_mentor, student.is_mentee) == ("Grace", 2, True, True)


def test_one_bad_row_refuses_the_whole_roster_and_names_the_row(client, make_token):
    _, headers = make_token(access="read_write")

    response = _post(client, headers, _row(), _row("late@school.edu", graduation_year=1990))

    assert response.status_code == 400
    assert [r["row"] for r in response.json()["rows"]] == [2]
    assert not User.objects.filter(email="new@school.edu").exists()


def test_the_roster_never_changes_a_program_admins_roles(client, make_token):
    # The roster import's rule (roster.services.check_roster): role changes of admins need a person.
    admin = ProgramAdminFactory(email="dean@school.edu", first_name="Dean")
    _, headers = make_token(access="read_write")

    response = _post(client, headers, _row("dean@school.edu"))

    admin.refresh_from_db()
    assert response.status_code == 200
    assert admin.is_program_admin and not admin.is_mentee


def test_the_api_and_the_file_import_record_the_same_import(client, make_token):
    from roster.models import RosterImport

    _, headers = make_token(access="read_write")

    _post(client, headers, _row())

    done = RosterImport.objects.get()
    assert (done.source, done.status, done.rows_created) == ("api", "imported", 1)


def test_the_same_email_twice_in_one_roster_is_refused(client, make_token):
    _, headers = make_token(access="read_write")

    response = _post(client, headers, _row(), _row("NEW@school.edu"))

    assert [r["row"] for r in response.json()["rows"]] == [2]


@pytest.mark.parametrize("education_records", [False, True])
def test_a_read_only_token_cannot_change_the_roster(client, make_token, education_records):
    _, headers = make_token(access="read", education_records=education_records)

    response = _post(client, headers, _row())

    assert response.status_code == 403
    assert not User.objects.filter(email="new@school.edu").exists()


def test_a_roster_change_is_in_the_audit_log_with_the_tokens_name(client, make_token):
    _, headers = make_token(access="read_write", name="Student information system")

    _post(client, headers, _row())

    assert list(AccessEvent.objects.values_list("api_token", "action")) == [
        ("Student information system", "api.roster.upsert")
    ]


def test_an_integration_posts_the_roster_without_a_csrf_token(make_token):
    from django.test import Client

    _, headers = make_token(access="read_write")

    response = _post(Client(enforce_csrf_checks=True), headers, _row())

    assert response.status_code == 200
