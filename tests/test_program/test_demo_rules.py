
import pytest

from program.demo_rules import seed_program_rules
from program.models import ProgramRules
from program.selectors import attendance_term_on
from reports.periods import program_today
from sessions.models import WaitlistEntry
from sessions.selectors import mentees_no_shows, mentors_no_shows
from tests.support.demo import seed_demo_start

pytestmark = pytest.mark.django_db


def test_the_demo_has_offer_mode_a_pending_offer_a_mentee_at_the_limit_and_a_mentor_no_show():
    rng, people = seed_demo_start()

    seed_program_rules(rng, people)

    assert ProgramRules.current().waitlist_mode == "offer"
    offer = WaitlistEntry.objects.get(status="offered")
    assert offer.offer_expires_at > offer.offered_at
    assert offer.occurrence.bookings.booked().count() == offer.occurrence.seats - 1
    term = attendance_term_on(program_today())
    totals = [row.total for row in mentees_no_shows(first_day=term.first_day, last_day=term.last_day, count_late=False)]
    assert totals[:2] == [3, 2]
    assert mentors_no_shows(first_day=term.first_day, last_day=term.last_day)
