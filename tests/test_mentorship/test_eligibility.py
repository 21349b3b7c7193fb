"""Who may mentor whom: approved, far enough ahead, teaches a wanted subject, has room, not self."""

from mentorship.matching import MenteeNeed, MentorOffer, ineligibility

NAMES = {1: "Anatomy", 2: "Histology", 3: "Biochemistry"}


def mentee(**fields) -> MenteeNeed:
    values = {"id": 1, "name": "Mia", "class_year": 1, "wanted": {1: 1}}
    return MenteeNeed(**{**values, **fields})


def mentor(**fields) -> MentorOffer:
    values = {"id": 2, "name": "Omar", "class_year": 4, "offered": frozenset({1}), "free_capacity": 2}
    return MentorOffer(**{**values, **fields})


def test_an_approved_senior_with_room_who_teaches_the_subject_is_eligible():
    assert ineligibility(mentor(), mentee(), NAMES, min_year_gap=2) is None


def test_a_mentor_only_one_year_ahead_is_not_eligible_with_the_default_gap_of_two():
    reason = ineligibility(mentor(class_year=2), mentee(class_year=1), NAMES, min_year_gap=2)

    assert reason == "Omar is not at least 2 class years ahead of Mia."


def test_exactly_the_minimum_year_gap_is_enough():
    assert ineligibility(mentor(class_year=3), mentee(class_year=1), NAMES, min_year_gap=2) is None


def test_a_mentor_who_teaches_none_of_the_wanted_subjects_is_not_eligible():
    reason = ineligibility(mentor(offered=frozenset({2})), mentee(wanted={3: 1, 1: 2}), NAMES, min_year_gap=2)

    assert reason == "Omar does not teach Biochemistry and Anatomy."


def test_a_full_mentor_is_not_eligible():
    reason = ineligibility(mentor(free_capacity=0), mentee(), NAMES, min_year_gap=2)

    assert reason == "Omar has no free place for another mentee."


def test_nobody_can_mentor_themselves():
    assert ineligibility(mentor(id=1), mentee(id=1), NAMES, min_year_gap=2) == "You cannot mentor yourself."


def test_an_unapproved_mentor_is_not_eligible():
    assert "not an approved mentor" in ineligibility(mentor(is_approved=False), mentee(), NAMES, min_year_gap=2)


def test_a_mentee_with_no_subjects_is_told_to_choose_some():
    assert "has not chosen any subjects" in ineligibility(mentor(), mentee(wanted={}), NAMES, min_year_gap=2)


def test_an_unknown_class_year_is_never_ahead():
    reason = ineligibility(mentor(class_year=None), mentee(), NAMES, min_year_gap=2)

    assert reason == "Class year unknown, so the year gap cannot be checked."
