"""Mentor readiness: publishing is refused while a requirement is missing or expired."""

import datetime as dt

import pytest
from django.utils import timezone

from sessions.errors import NotAllowed
from sessions.models import ReviewSeries
from teaching import selectors, services
from teaching.errors import InvalidRequirement, NotReadyToPublish
from teaching.models import Requirement
from tests.factories import MenteeFactory, MentorFactory, ProgramAdminFactory, published_series

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def test_without_requirements_a_mentor_publishes_as_before():
    published_series()

    assert ReviewSeries.objects.count() == 1


def test_publishing_is_refused_naming_the_missing_requirement():
    services.save_requirement(name="FERPA training")
    services.save_requirement(name="Tutor orientation")
    mentor = MentorFactory()
    services.record_completion(requirement=Requirement.objects.get(name="Tutor orientation"), mentor=mentor,
                               completed_on=today(), by=mentor)  # fmt: skip

    with pytest.raises(NotReadyToPublish, match=r"FERPA training \(missing\)") as refused:
        published_series(mentor=mentor)
    assert "Tutor orientation" not in refused.value.message
    assert ReviewSeries.objects.count() == 0


def test_an_expired_completion_is_named_with_its_expiry_date():
    ferpa = services.save_requirement(name="FERPA training", valid_for_months=12)
    mentor = MentorFactory()
    services.record_completion(requirement=ferpa, mentor=mentor, completed_on=today() - dt.timedelta(days=400), by=mentor)

    with pytest.raises(NotReadyToPublish, match=r"FERPA training \(expired on"):
        published_series(mentor=mentor)


def test_a_current_completion_lets_the_mentor_publish():
    ferpa = services.save_requirement(name="FERPA training", valid_for_months=12)
    mentor = MentorFactory()
    services.record_completion(requirement=ferpa, mentor=mentor, completed_on=today() - dt.timedelta(days=30), by=ProgramAdminFactory())

    published_series(mentor=mentor)

    assert ReviewSeries.objects.filter(mentor=mentor).count() == 1


def test_a_retired_requirement_no_longer_blocks_publishing():
    ferpa = services.save_requirement(name="FERPA training")
    services.save_requirement(requirement=ferpa, name="FERPA training", active=False)

    published_series()

    assert ReviewSeries.objects.count() == 1


def test_the_approval_rule_still_comes_first():
    services.save_requirement(name="FERPA training")

    with pytest.raises(NotAllowed):
        published_series(mentor=MenteeFactory())


def test_requirement_names_are_unique_whatever_their_case():
    services.save_requirement(name="FERPA training")

    with pytest.raises(InvalidRequirement, match="exists already"):
        services.save_requirement(name="ferpa  TRAINING")


@pytest.mark.parametrize(("completed_on", "refusal"), [
    (lambda: today() + dt.timedelta(days=2), "in the future"),
    (lambda: dt.date(1, 1, 1), "from 2000 on"),
], ids=["in the future", "in year 1"])  # fmt: skip
def test_a_completion_outside_the_possible_days_is_refused_and_nothing_is_recorded(completed_on, refusal):
    ferpa = services.save_requirement(name="FERPA training")
    mentor = MentorFactory()

    with pytest.raises(InvalidRequirement, match=refusal):
        services.record_completion(requirement=ferpa, mentor=mentor, completed_on=completed_on(), by=mentor)
    assert not ferpa.completions.exists()


def test_admins_see_who_is_missing_what():
    services.save_requirement(name="FERPA training")
    ready, missing = MentorFactory(last_name="Aa"), MentorFactory(last_name="Bb")
    services.record_completion(requirement=Requirement.objects.get(), mentor=ready, completed_on=today(), by=ready)

    rows = {row["mentor"]: [i.describe() for i in row["missing"]] for row in selectors.readiness_overview()}

    assert rows == {ready: [], missing: ["FERPA training (missing)"]}
