"""Every URL of the platform x every role answers the expected status on GET, and no GET changes state.

URLs are discovered from the URL resolver, so a new URL fails `test_every_url_has_an_expectation`
until it is added to MATRIX (or falls under a documented group rule). Object URLs are filled from
one "world" whose objects belong to `mentee` and `mentor`: the other mentee and the other mentor
get the same ids and must be refused (no IDOR). A seventh role, a program admin who has not set up
two-factor authentication, is sent to the TOTP setup by every page but the few in NEEDS_NO_MFA.
"""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.middleware import MFA_MESSAGE
from tests.test_platform.authorization import (
    ALL_ROLES,
    LOGIN,
    MATRIX,
    MFA,
    ROLES,
    WITHOUT_MFA,
    all_urls,
    build_world,
    client_for,
    expected_for,
    is_allauth,
    is_django_admin,
    no_kwargs,
    outcome,
    rows_unchanged,
    url_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    return build_world()


def _get_each(client, world: dict, wanted) -> dict:
    """The response to a GET of every URL the resolver knows whose (name, route) is wanted."""
    return {name: client.get(url_for(name, route, world)) for name, route in all_urls().items() if wanted(name, route)}


def test_every_url_has_an_expectation():
    forgotten = sorted(
        name for name, route in all_urls().items()
        if name not in MATRIX and not is_allauth(route) and not is_django_admin(name)
    )  # fmt: skip

    assert forgotten == [], f"add these URL names to MATRIX in {__name__}"


def test_the_matrix_names_only_urls_that_exist():
    assert sorted(set(MATRIX) - set(all_urls())) == []


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_platform_url_answers_each_role_as_expected_and_no_get_changes_state(role, world):
    client = client_for(world, role)
    wrong = []

    with rows_unchanged():
        for name, (_, expected) in MATRIX.items():
            want, got = expected_for(name, role, expected), outcome(client.get(url_for(name, "", world)))
            if got != want:
                wrong.append(f"{name}: expected {want}, got {got}")

    assert wrong == []


MISSING_ID = 2**31 - 1  # a valid integer key in every database, and no row has it
INT_KWARG = re.compile(r"<int:(\w+)>")


def _missing_object_urls(world: dict) -> list[tuple[str, str, int | str]]:
    """(url name, url, expected status on the real object) for each primary key of each object URL
    in MATRIX, that key replaced by an id no row has (the other keys kept real): found from the routes,
    so a new object URL is covered without a change here."""
    routes, urls = all_urls(), []
    for name, (builder, expected) in MATRIX.items():
        for key in INT_KWARG.findall(routes[name]):
            urls.append((name, reverse(name, kwargs={**builder(world), key: MISSING_ID}), expected))
    return urls


def test_the_missing_object_check_finds_every_object_url(world):
    names = {name for name, _, _ in _missing_object_urls(world)}

    assert {"sessions:occurrence", "sessions:record", "matching:round_pair", "reports:exam_import_preview"} <= names
    assert "sessions:feed" not in names  # a token, not a primary key


@pytest.mark.parametrize("role", ALL_ROLES)
def test_an_object_url_with_an_id_that_does_not_exist_answers_404(role, world):
    """A role the URL opens for gets 404; any other role is refused as for a real object, or gets 404.
    POST-only URLs are POSTed: refused (sign-in, 403) or 404, never another answer. A program admin
    without MFA is sent to set it up, whether the object exists or not."""
    client = client_for(world, role)
    wrong = []

    with rows_unchanged():
        for name, url, expected in _missing_object_urls(world):
            want = expected_for(name, role, expected)
            got = outcome(client.get(url))
            if want == MFA:
                got, allowed = (got, outcome(client.post(url, OWNED_POSTS.get(name, {})))), {(MFA, MFA)}
            elif got == 405:
                got, allowed = outcome(client.post(url, OWNED_POSTS.get(name, {}))), {LOGIN, 403, 404}
            else:
                allowed = {404} if want == 200 else {404, want}
            if got not in allowed:
                wrong.append(f"{name} {url}: expected one of {sorted(map(str, allowed))}, got {got}")

    assert wrong == []


@pytest.mark.parametrize("role", ALL_ROLES)
def test_allauth_pages_never_fail_for_any_role_and_no_get_changes_state(role, world):
    client = client_for(world, role)

    with rows_unchanged():
        responses = _get_each(client, world, lambda name, route: is_allauth(route) and name not in MATRIX)

    assert [f"{name}: {r.status_code}" for name, r in responses.items() if r.status_code >= 500] == []


@pytest.mark.parametrize("role", ROLES)
def test_django_admin_opens_only_for_staff_program_admins_and_never_fails(role, world):
    client = client_for(world, role)

    with rows_unchanged():
        responses = _get_each(client, world, lambda name, route: is_django_admin(name))
        index = client.get(reverse("admin:index"))
        login = client.get(reverse("admin:login"))

    assert [f"{name}: {r.status_code}" for name, r in responses.items() if r.status_code >= 500] == []
    if role != "admin":
        assert [name for name, r in responses.items() if r.status_code == 200 and name != "admin:login"] == []
    assert index.status_code == (200 if role == "admin" else 302)
    if role not in ("anonymous", "admin"):  # its sign-in page, for a signed-in student, only says "not authorized"
        assert "not authorized" in login.content.decode()


def test_every_django_admin_page_sends_a_staff_program_admin_without_mfa_to_set_it_up(world):
    responses = _get_each(client_for(world, WITHOUT_MFA), world, lambda name, route: is_django_admin(name))

    assert {name: outcome(r) for name, r in responses.items() if outcome(r) != MFA} == {}


def test_a_program_admin_without_mfa_is_sent_to_set_it_up_before_reading_an_outcome_note(client, world):
    client.force_login(world[WITHOUT_MFA])

    response = client.get(reverse("sessions:occurrence", kwargs={"pk": world["past"].pk}))

    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))
    assert world["note"].private_notes not in response.content.decode()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [MFA_MESSAGE]


def test_asking_the_policy_about_a_program_admin_without_mfa_raises_the_gate_instead_of_answering(world):
    from accounts.permissions import MFARequired, can

    with pytest.raises(MFARequired):
        can(world[WITHOUT_MFA], "sessions.read_private_notes", world["past"])


@pytest.mark.parametrize("role", ["other_mentee", "mentor", "other_mentor"])
def test_no_one_else_can_read_a_mentees_data_export(role, world):
    export = client_for(world, role).get(reverse("accounts:export")).content.decode()

    assert world["mentee"].email not in export


@pytest.mark.parametrize("role", ["mentee", "other_mentee", "other_mentor"])
def test_a_sessions_private_outcome_note_is_hidden_from_everyone_but_its_mentor_and_admins(role, world):
    page = client_for(world, role).get(reverse("sessions:occurrence", kwargs={"pk": world["past"].pk}))

    assert world["note"].private_notes not in page.content.decode()


# Object URLs that change something on POST, with a form that would pass validation: the other
# mentee and the other mentor send them with the owners' ids and must be refused without effect.
OWNED_POSTS = {
    "accounts:correct_class_year": {"class_year": "4"},
    "accounts:application_detail": {"decision": "approve", "message": ""},
    "matching:accept": {}, "matching:decline": {"reason": "full"}, "matching:withdraw": {},
    "matching:end": {"reason": "done"}, "matching:round_pair": {"dropped": "1"}, "matching:commit": {},
    "subjects:rename": {"name": "Renamed"}, "subjects:retire": {},
    "sessions:series_edit": {"title": "Taken over"}, "sessions:series_cancel": {"reason": "mine now"},
    "sessions:occurrence_edit": {"location": "Elsewhere"}, "sessions:occurrence_cancel": {"reason": "mine now"},
    "sessions:record": {"topics": "forged"}, "sessions:cancel_booking": {}, "sessions:end_standing": {},
    "sessions:leave_waitlist": {}, "sessions:offer": {}, "sessions:accept_offer": {}, "sessions:decline_offer": {},
    "sessions:clear_no_shows": {"note": "forged"}, "reports:exam_import_preview": {}, "roster:detail": {"deactivate_count": "0"},
    "api:revoke_token": {},
    "teaching:endorse": {"term": "2026-07-01..2026-12-31"}, "teaching:revoke_certificate": {},
    "teaching:reissue_certificate": {}, "teaching:edit_requirement": {"name": "Taken over"},
    "teaching:record_completion": {"completed_on": "2026-01-05"},
    "program:term_edit": {"name": "Taken", "first_day": "2027-01-11", "last_day": "2027-01-12"},
    "program:holiday_edit": {"name": "Taken", "first_day": "2027-03-15", "last_day": "2027-03-15"},
    "program:holiday_sessions": {"reason": "taken", "occurrences": []},
    "program:exam_edit": {"name": "Taken", "kind": "block", "scale": "percent", "first_day": "2027-03-23",
                          "last_day": "2027-03-23"},
    "program:calendar_delete": {}, "program:calendar_import_preview": {}, "program:announcement": {},
    "feedback:move_question": {"direction": "up"}, "feedback:remove_question": {}, "feedback:restore_question": {},
}  # fmt: skip


def _world_state(world: dict) -> dict:
    from django.db.models import Model
    from django.forms.models import model_to_dict

    state = {}
    for key, obj in world.items():
        if isinstance(obj, Model):
            fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
            state[key] = fresh and {k: str(v) for k, v in model_to_dict(fresh).items()}
    return state


@pytest.mark.parametrize("role", ["other_mentee", "other_mentor"])
def test_another_users_objects_cannot_be_changed_by_posting_their_ids(role, world):
    client = client_for(world, role)
    state = _world_state(world)

    with rows_unchanged():
        answers = {name: client.post(url_for(name, "", world), data).status_code for name, data in OWNED_POSTS.items()}

    assert {name: status for name, status in answers.items() if status not in (403, 404)} == {}
    assert _world_state(world) == state


# Object URLs left out of OWNED_POSTS, and why: anyone with the role may act on them.
SHARED_OBJECT_URLS = {
    "accounts:accept_invitation": "the token is the key; signed-in users are sent on",
    "matching:request": "any mentee may ask any mentor",
    "matching:round": "read-only page (admins)",
    "matching:round_progress": "read-only page (admins)",
    "sessions:series": "read-only page", "sessions:occurrence": "read-only page",
    "sessions:book_series": "any mentee may book", "sessions:book": "any mentee may book",
    "sessions:join_waitlist": "any mentee may join", "sessions:rate": "the mentee rates for themself; attendance checked",
    "sessions:occurrence_ics": "read-only (GET matrix)", "sessions:feed": "the token is the key",
    "reports:export": "a table key, not an object",
    "feedback:survey": "the mentee answers for themself; attendance checked",
    "feedback:confidence": "the mentee answers for themself; the booking checked",
    "feedback:series": "read-only page (GET matrix: its mentor and admins)",
    "checkin:present": "read-only page (GET matrix: its mentor)",
    "checkin:occurrence": "the mentee checks themself in; code and window checked",
    "roster:progress": "read-only page (admins)",
    "roster:welcome": "the token is the key; signed-in users are sent on",
    "api-v1:session": "read-only API; a token's scopes are tested in tests/test_api",
    "sessions:confirm_cancel_booking": "read-only confirm page (GET matrix: only the booking's mentee); it posts to cancel_booking",
    "api-v1:occurrence": "read-only API; a token's scopes are tested in tests/test_api",
    "teaching:confirm_requirement": "a program-wide requirement; the mentor confirms it for themself",
    "teaching:mentor_record": "read-only page (admins)",
    "teaching:certificate_pdf": "read-only (GET matrix: only its mentor and admins)",
    "teaching:verify": "the token is the key",
}  # fmt: skip


def test_every_object_url_is_checked_for_idor_on_post_or_says_why_not():
    with_kwargs = {name for name, (builder, _) in MATRIX.items() if builder is not no_kwargs}

    assert sorted(with_kwargs - set(OWNED_POSTS) - set(SHARED_OBJECT_URLS)) == []
