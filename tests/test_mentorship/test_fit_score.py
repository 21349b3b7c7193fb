"""The fit score and the reasons in words."""

from mentorship.matching import MenteeNeed, MentorOffer, describe_shared_slots, fit, suggestions

NAMES = {1: "Anatomy", 2: "Histology", 3: "Biochemistry"}


def mentee(**fields) -> MenteeNeed:
    values = {"id": 1, "name": "Mia", "class_year": 1, "wanted": {1: 1, 2: 2}}
    return MenteeNeed(**{**values, **fields})


def mentor(**fields) -> MentorOffer:
    values = {"id": 2, "name": "Omar", "class_year": 4, "offered": frozenset({1, 2}), "free_capacity": 2}
    return MentorOffer(**{**values, **fields})


def test_reasons_name_subjects_year_gap_and_shared_free_time():
    result = fit(
        mentor(availability=frozenset({"tue-evening", "thu-evening", "mon-morning"})),
        mentee(availability=frozenset({"tue-evening", "thu-evening"})),
        NAMES,
        min_year_gap=2,
    )

    assert result.reasons == "Teaches Anatomy and Histology; 3 years ahead; both free Tuesday and Thursday evenings"


def test_score_adds_subjects_by_rank_slots_year_gap_and_specialty_with_the_documented_weights():
    result = fit(
        mentor(availability=frozenset({"tue-evening", "thu-evening"}), specialty="Surgery"),
        mentee(availability=frozenset({"tue-evening", "thu-evening"}), specialty=" surgery"),
        NAMES,
        min_year_gap=2,
    )

    # By hand from the documented weights: Anatomy (1st choice) 10 + Histology (2nd) 10/2,
    # 2 shared slots x 1, 4th year for a 1st year is 1 year beyond the gap of 2 x 1, same specialty 2.
    assert result.score == 10 + 5 + 2 + 1 + 2 == 20
    assert result.reasons.endswith("both interested in Surgery")


def test_a_mentors_teaching_of_the_first_choice_outweighs_the_second_choice():
    first = fit(mentor(offered=frozenset({1})), mentee(), NAMES, min_year_gap=2)
    second = fit(mentor(offered=frozenset({2})), mentee(), NAMES, min_year_gap=2)

    assert (first.score, second.score) == (10 + 1, 5 + 1)  # the rank-1 subject scores 10, the rank-2 one 10/2


def test_shared_slots_count_only_up_to_the_cap():
    many = frozenset({"mon-morning", "tue-morning", "wed-morning", "thu-morning", "fri-morning"})
    result = fit(mentor(availability=many), mentee(availability=many), NAMES, min_year_gap=2)
    none = fit(mentor(), mentee(), NAMES, min_year_gap=2)

    # 5 shared slots count as 3; both teach Anatomy and Histology (10 + 5) and are 1 year beyond the gap.
    assert (result.score, none.score) == (15 + 3 + 1, 15 + 1)


def test_reasons_say_when_there_is_no_shared_free_time():
    assert "no shared free time listed" in fit(mentor(), mentee(), NAMES, min_year_gap=2).reasons


def test_shared_slots_read_as_days_grouped_by_part_of_day():
    assert describe_shared_slots({"mon-morning", "wed-evening"}) == "Monday morning, Wednesday evening"


def test_suggestions_come_best_fit_first_and_leave_out_ineligible_mentors():
    best = mentor(id=3, name="Best", offered=frozenset({1, 2}))
    good = mentor(id=4, name="Good", offered=frozenset({2}))
    full = mentor(id=5, name="Full", free_capacity=0)
    junior = mentor(id=6, name="Junior", class_year=2)

    ranked = suggestions(mentee(), [good, full, junior, best], NAMES, min_year_gap=2)

    assert [m.name for m, _ in ranked] == ["Best", "Good"]
