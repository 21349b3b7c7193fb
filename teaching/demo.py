"""Demo data: readiness requirements (one mentor missing one), and an endorsed term with its
certificate for the first demo mentor (mentor1), so every teaching page has something to show."""

import random
from datetime import timedelta

from django.utils import timezone

from teaching import selectors, services


def seed_teaching(rng: random.Random, people: dict) -> None:
    admin, mentors = people["admin"], people["mentors"]
    today = timezone.localdate()
    ferpa = services.save_requirement(
        name="FERPA training", description="The university's online FERPA module.", valid_for_months=12
    )
    orientation = services.save_requirement(name="Tutor orientation", description="The program's two-hour orientation.")
    for i, mentor in enumerate(mentors):
        services.record_completion(requirement=ferpa, mentor=mentor, completed_on=today - timedelta(days=30 + i), by=admin)
        if i != len(mentors) - 1:  # the last demo mentor has not done the orientation: the gate shows it
            services.record_completion(requirement=orientation, mentor=mentor, completed_on=today - timedelta(days=60), by=mentor)
    first = mentors[0]
    term = next((t for t in selectors.candidate_terms(first)
                 if not selectors.term_record(mentor=first, term=t).is_empty), None)  # fmt: skip
    if term is not None and term.first_day is not None and term.last_day is not None:
        services.endorse_term(mentor=first, first_day=term.first_day, last_day=term.last_day, by=admin,
                              note="Prepared, punctual and generous with their time.")  # fmt: skip
    services.award_all_milestones()
