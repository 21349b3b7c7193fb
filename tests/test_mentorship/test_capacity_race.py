"""On real PostgreSQL: a self-service accept racing a round commit never overfills a mentor."""

import threading

import pytest
from django.db import connection

from mentorship import services
from mentorship.models import Mentorship
from tests.factories import SubjectFactory
from tests.test_mentorship.support import mentee_wanting, mentor_teaching, program_admin

pytestmark = pytest.mark.service


def race(*actions) -> list:
    """Run each action in its own thread (own database connection), all released at once."""
    start = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index, action):
        try:
            start.wait()
            outcomes[index] = action()
        except services.MatchingError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_accept_racing_a_round_commit_for_the_last_place_lets_exactly_one_through(postgres):
    anatomy = SubjectFactory(name="Anatomy")
    admin = program_admin()
    for _attempt in range(5):
        mentor = mentor_teaching(anatomy, capacity=1)
        request = services.request_mentorship(mentee=mentee_wanting(anatomy), mentor=mentor)
        mentee_wanting(anatomy)  # unmatched: the round proposes them for the same last place
        matching_round = services.start_round(admin=admin)  # the eager task runs on commit
        matching_round.refresh_from_db()
        assert [p["mentor_id"] for p in matching_round.kept_pairs] == [mentor.pk]

        accepted, committed = race(
            lambda: services.accept_request(mentorship=request, mentor=mentor),  # noqa: B023
            lambda: services.commit_round(matching_round=matching_round, admin=admin),  # noqa: B023
        )

        assert Mentorship.objects.active().filter(mentor=mentor).count() == 1
        failures = [o for o in (accepted, committed) if isinstance(o, services.MatchingError)]
        assert len(failures) == 1
        assert isinstance(failures[0], services.MentorFull | services.StalePreview)
