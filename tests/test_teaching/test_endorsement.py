"""Endorsing a term freezes its figures; a term with nothing held cannot be endorsed."""

import datetime as dt
from decimal import Decimal

import pytest

from teaching import services
from teaching.errors import AlreadyEndorsed, NothingToEndorse
from teaching.models import Certificate, Endorsement
from tests.factories import AttendanceFactory, MentorFactory, ProgramAdminFactory, TermFactory
from tests.test_teaching.support import NOW, build_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    return build_scenario()


def endorse(scenario, **extra):
    return services.endorse_term(
        mentor=scenario.mentor, first_day=scenario.term.first_day, last_day=scenario.term.last_day,
        by=ProgramAdminFactory(), now=NOW, **extra,
    )  # fmt: skip


def test_endorsement_stores_the_terms_figures(scenario):
    endorsement, _ = endorse(scenario, note="Reliable and well prepared")

    assert (endorsement.sessions_held, endorsement.verified_hours, endorsement.unique_mentees,
            endorsement.one_to_one_mentees, endorsement.subjects, endorsement.note) == (
        4, Decimal("4.50"), 4, 1, "Anatomy, Physiology", "Reliable and well prepared")  # fmt: skip


def test_later_attendance_does_not_change_the_endorsed_figures(scenario):
    endorse(scenario)
    AttendanceFactory(occurrence=scenario.no_attendance, mentee=scenario.mentees["m4"])

    endorsement = Endorsement.objects.get()
    assert (endorsement.verified_hours, endorsement.unique_mentees) == (Decimal("4.50"), 4)


def test_endorsing_issues_one_valid_certificate(scenario):
    _, certificate = endorse(scenario)

    assert list(Certificate.objects.valid()) == [certificate]
    assert bytes(certificate.pdf).startswith(b"%PDF")


def test_a_term_is_endorsed_only_once(scenario):
    endorse(scenario)

    with pytest.raises(AlreadyEndorsed, match="endorsed already"):
        endorse(scenario)
    assert Endorsement.objects.count() == 1


def test_a_term_with_no_sessions_cannot_be_endorsed_and_nothing_is_saved():
    term = TermFactory(name="Fall 2026", first_day=dt.date(2026, 8, 24), last_day=dt.date(2026, 12, 18))

    with pytest.raises(NothingToEndorse, match="held no sessions in Fall 2026"):
        services.endorse_term(mentor=MentorFactory(), first_day=term.first_day, last_day=term.last_day,
                              by=ProgramAdminFactory(), now=NOW)  # fmt: skip
    assert (Endorsement.objects.count(), Certificate.objects.count()) == (0, 0)


def test_days_that_are_not_one_of_the_terms_are_refused(scenario):
    with pytest.raises(NothingToEndorse, match="not one of this mentor's terms"):
        services.endorse_term(mentor=scenario.mentor, first_day=dt.date(2026, 9, 1), last_day=dt.date(2026, 9, 30),
                              by=ProgramAdminFactory(), now=NOW)  # fmt: skip


def test_an_endorsed_term_stays_on_the_record_when_its_sessions_are_later_cancelled(scenario):
    from sessions.models import Occurrence
    from teaching import selectors

    endorse(scenario)
    Occurrence.objects.filter(series__mentor=scenario.mentor).update(status="cancelled", cancelled_at=NOW)

    record = selectors.teaching_record(mentor=scenario.mentor, now=NOW)

    assert [(t.term.name, t.sessions_held, t.live.sessions_held) for t in record.terms] == [("Fall 2026", 4, 0)]


def test_a_certificate_is_not_reissued_for_a_deleted_account(scenario):
    from accounts.services import delete_account
    from teaching.errors import CertificateProblem

    endorsement, _ = endorse(scenario)
    delete_account(user=scenario.mentor)

    with pytest.raises(CertificateProblem, match="deleted their account"):
        services.reissue_certificate(endorsement=endorsement)
