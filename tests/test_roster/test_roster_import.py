"""Importing a clean roster: accounts made or updated, never duplicated; admins and departures
handled only as confirmed; new students invited through the outbox (or not, under SSO)."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import OutboundEmail
from roster.models import RosterEntry, RosterImport
from roster.services import RosterImportError, check_roster, confirm_roster_import
from tests.factories import BookingFactory, MenteeFactory, MentorFactory, OccurrenceFactory, ProgramAdminFactory
from tests.test_roster.support import import_roster, ms, roster, row, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run_import(content: str, **options) -> RosterImport:
        return import_roster(django_capture_on_commit_callbacks, content, **options)

    return run_import


def test_a_new_student_gets_an_account_with_the_rosters_name_year_roles_and_a_verified_address(run):
    run(roster(row("ann@school.edu", first="Ann", last="Lee", year=ms(2), roles="mentee;mentor", student_id="S1",
                   cohort="Osler")))  # fmt: skip

    ann = User.objects.get(email="ann@school.edu")
    assert (ann.first_name, ann.last_name, ann.class_year, ann.is_mentee, ann.is_mentor, ann.is_program_admin) == (
        "Ann", "Lee", 2, True, True, False
    )
    assert not ann.has_usable_password()
    assert EmailAddress.objects.filter(user=ann, email="ann@school.edu", verified=True, primary=True).exists()
    assert (ann.roster_entry.student_id, ann.roster_entry.cohort) == ("S1", "Osler")


def test_importing_the_same_roster_twice_changes_nothing_and_duplicates_nobody(run):
    content = roster(row("ann@school.edu"), row("ben@school.edu", first="Ben"))
    run(content)

    again = run(content)

    assert (again.rows_created, again.rows_unchanged, again.invitations_sent) == (0, 2, 0)
    assert User.objects.filter(email__in=["ann@school.edu", "ben@school.edu"]).count() == 2
    assert RosterEntry.objects.count() == 2


def test_reimporting_updates_names_and_graduation_years(run):
    ann = MenteeFactory(email="ann@school.edu", first_name="Ann", last_name="Lee", graduation_year=ms(1))

    done = run(roster(row("ANN@school.edu", first="Anne", last="Li", year=ms(2))))

    ann.refresh_from_db()
    assert (done.rows_updated, ann.first_name, ann.last_name, ann.class_year) == (1, "Anne", "Li", 2)


def test_an_empty_roles_cell_keeps_an_existing_persons_roles(run):
    mentor = MentorFactory(email="max@school.edu", is_mentee=True)

    run(roster(row("max@school.edu", year=ms(4), roles="")))

    mentor.refresh_from_db()
    assert (mentor.is_mentor, mentor.is_mentee) == (True, True)


def test_a_row_changing_an_admins_roles_is_shown_apart_and_kept_unless_confirmed(run):
    admin = ProgramAdminFactory(email="boss@school.edu")
    content = roster(row("boss@school.edu", roles="mentee"))

    assert [r.email for r in check_roster(content).admin_changes] == ["boss@school.edu"]
    run(content)

    admin.refresh_from_db()
    assert admin.is_program_admin


def test_confirmed_admin_changes_are_applied(run):
    admin = ProgramAdminFactory(email="boss@school.edu")

    run(roster(row("boss@school.edu", roles="mentee")), apply_admin_changes=True)

    admin.refresh_from_db()
    assert (admin.is_program_admin, admin.is_mentee) == (False, True)


def test_a_roster_cannot_make_someone_a_program_admin_unless_confirmed(run):
    MenteeFactory(email="ann@school.edu")

    run(roster(row("ann@school.edu", roles="mentee;admin"), row("new@school.edu", roles="admin")))

    assert not User.objects.filter(is_program_admin=True, email__in=["ann@school.edu", "new@school.edu"]).exists()


def test_a_full_roster_deactivates_the_students_missing_from_it_once_the_count_is_confirmed(run):
    MenteeFactory(email="ann@school.edu")
    gone = MenteeFactory(email="gone@school.edu")
    admin = ProgramAdminFactory(email="boss@school.edu")

    done = run(roster(row("ann@school.edu")), full_roster=True, confirmed_deactivations=1)

    gone.refresh_from_db()
    admin.refresh_from_db()
    assert (done.students_deactivated, gone.is_active, admin.is_active) == (1, False, True)


def test_a_full_roster_is_refused_when_the_confirmed_count_is_not_the_number_deactivated():
    MenteeFactory(email="ann@school.edu")
    gone = MenteeFactory(email="gone@school.edu")
    pending = upload(roster(row("ann@school.edu")), full_roster=True)

    with pytest.raises(RosterImportError, match="type 1 to confirm"):
        confirm_roster_import(roster_import=pending, confirmed_deactivations=0)

    gone.refresh_from_db()
    assert gone.is_active


def test_a_student_a_full_roster_deactivated_is_reactivated_when_listed_again(run):
    MenteeFactory(email="ann@school.edu")
    ben = MenteeFactory(email="ben@school.edu")
    run(roster(row("ann@school.edu")), full_roster=True, confirmed_deactivations=1)

    done = run(roster(row("ann@school.edu"), row("ben@school.edu")))

    ben.refresh_from_db()
    assert (done.rows_reactivated, ben.is_active) == (1, True)


def test_a_student_deactivated_by_hand_stays_inactive_when_the_roster_updates_their_name(run):
    ben = MenteeFactory(email="ben@school.edu", last_name="Old", is_active=False)

    run(roster(row("ben@school.edu", last="New")))

    ben.refresh_from_db()
    assert (ben.last_name, ben.is_active) == ("New", False)


def test_a_departing_student_with_upcoming_bookings_is_listed_apart():
    MenteeFactory(email="ann@school.edu")
    booked = MenteeFactory(email="booked@school.edu")
    MenteeFactory(email="quiet@school.edu")
    BookingFactory(mentee=booked, occurrence=OccurrenceFactory(starts_at=timezone.now() + dt.timedelta(days=2)))

    check = check_roster(roster(row("ann@school.edu")), full_roster=True)

    assert {"booked@school.edu", "quiet@school.edu"} <= {d.email for d in check.departures}
    assert [(d.email, d.upcoming_bookings) for d in check.departures_with_bookings] == [("booked@school.edu", 1)]


def test_a_new_student_is_emailed_an_invitation_through_the_outbox(run):
    run(roster(row("ann@school.edu", first="Ann")))

    email = OutboundEmail.objects.get(to_address="ann@school.edu")
    token = RosterEntry.objects.get(user__email="ann@school.edu").welcome_token
    assert email.kind == "roster_invitation"
    assert reverse("roster:welcome", args=[token]) in email.body_text


def test_no_invitation_is_sent_when_the_school_signs_in_through_sso(run, settings):
    settings.ROSTER_SEND_INVITATIONS = False

    done = run(roster(row("ann@school.edu")))

    assert done.invitations_sent == 0
    assert not OutboundEmail.objects.filter(to_address="ann@school.edu").exists()
    assert User.objects.filter(email="ann@school.edu").exists()


def test_a_roster_made_student_can_choose_a_password_from_the_invitation_and_sign_in(run, client):
    run(roster(row("ann@school.edu")))
    token = RosterEntry.objects.get(user__email="ann@school.edu").welcome_token

    set_password_page = client.get(reverse("roster:welcome", args=[token]), follow=True)
    client.post(set_password_page.redirect_chain[-1][0], {"password1": "a-long-new-pass-42", "password2": "a-long-new-pass-42"})

    assert client.login(email="ann@school.edu", password="a-long-new-pass-42")


def test_the_invitation_link_stops_working_once_a_password_is_chosen(run, client):
    run(roster(row("ann@school.edu")))
    ann = User.objects.get(email="ann@school.edu")
    ann.set_password("chosen-already-99")
    ann.save()

    response = client.get(reverse("roster:welcome", args=[ann.roster_entry.welcome_token]))

    assert response.status_code == 410


def test_importing_ten_times_more_rows_takes_the_same_number_of_queries(django_capture_on_commit_callbacks,
                                                                              django_assert_max_num_queries):  # fmt: skip
    import_roster(django_capture_on_commit_callbacks, roster(row("warm@school.edu")))  # templates loaded
    small = upload(roster(*(row(f"s{i}@school.edu") for i in range(3))))
    large = upload(roster(*(row(f"l{i}@school.edu") for i in range(30))))  # one SQLite batch: < 999 parameters
    counts = []
    for pending in (small, large):
        with django_capture_on_commit_callbacks(execute=False), django_assert_max_num_queries(40) as captured:
            confirm_roster_import(roster_import=pending)
            from roster.services import run_roster_import

            run_roster_import(roster_import_id=pending.pk)
        counts.append(len(captured))

    assert counts[0] == counts[1]
    assert User.objects.filter(email__startswith="l").count() == 30


def test_an_import_that_crashes_part_way_is_marked_failed_so_the_page_stops_waiting(monkeypatch):
    from roster.services import importing

    pending = upload(roster(row("ann@school.edu")))
    RosterImport.objects.filter(pk=pending.pk).update(status=RosterImport.Status.QUEUED)

    def crash(rows, roster_import):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importing, "_import_chunk", crash)
    with pytest.raises(RuntimeError):
        importing.run_roster_import(roster_import_id=pending.pk)

    pending.refresh_from_db()
    assert pending.status == RosterImport.Status.FAILED and "after 0 of 1 rows" in pending.error
