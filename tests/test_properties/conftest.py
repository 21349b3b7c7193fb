"""The small program the form property tests post into."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.class_year import graduation_year_for
from feedback.models import SurveyQuestion
from mentorship.models import Mentorship
from roster.models import RosterImport
from teaching.models import Requirement, RequirementCompletion
from tests.factories import (
    BookingFactory,
    HolidayFactory,
    MenteeFactory,
    MentorApplicationFactory,
    MentorshipFactory,
    OccurrenceFactory,
    ProgramAdminFactory,
    ReviewSeriesFactory,
    SubjectFactory,
    UserFactory,
    published_series,
)
from tests.factories_program import missed
from tests.test_mentorship.support import mentee_wanting, mentor_teaching


@pytest.fixture
def world():
    """A small program: subjects, an admin, a mentor with a series and a past session, mentees."""
    anatomy, biochem = SubjectFactory(name="Anatomy"), SubjectFactory(name="Biochemistry")
    mentor = mentor_teaching(anatomy, biochem, capacity=2)
    mentee = mentee_wanting(anatomy, biochem)
    series = published_series(mentor=mentor, subject=anatomy)
    past = OccurrenceFactory(
        series=ReviewSeriesFactory(mentor=mentor, subject=anatomy),
        starts_at=timezone.now() - timedelta(hours=3),
    )
    BookingFactory(occurrence=past, mentee=mentee)
    requirement = Requirement.objects.create(name="FERPA training")  # done by the mentor: publishing stays open
    RequirementCompletion.objects.create(requirement=requirement, mentor=mentor, completed_on=timezone.localdate(),
                                         recorded_by=mentor, recorded_at=timezone.now())  # fmt: skip
    return {
        "requirement": requirement,
        "anatomy": anatomy,
        "admin": ProgramAdminFactory(),
        "mentor": mentor,
        "mentee": mentee,
        "ms3": MenteeFactory(graduation_year=graduation_year_for(3)),
        "biochem": biochem,
        "newcomer": UserFactory(onboarded_at=None),
        "no_show_mentee": missed(MenteeFactory()).mentee,  # one no-show this term, for the Clear form
        "series": series,
        "occurrence": series.occurrences.order_by("starts_at").first(),
        "past": past,
        "pending": MentorshipFactory(mentor=mentor, mentee=mentee_wanting(anatomy)),
        "active": MentorshipFactory(mentor=mentor, mentee=mentee_wanting(biochem), status=Mentorship.Status.ACTIVE),
        "application": MentorApplicationFactory(),
        "holiday": HolidayFactory(first_day=timezone.localdate() + timedelta(days=3),
                                  last_day=timezone.localdate() + timedelta(days=10)),
        "likert_question": SurveyQuestion.objects.create(text="Was it clear?", kind="likert", position=1),
        "text_question": SurveyQuestion.objects.create(text="What should change?", kind="text", position=2),
        "roster_import": RosterImport.objects.create(
            filename="roster.csv", full_roster=False,
            content=f"email,given name,surname,graduation year,roles\nnew@school.edu,New,Student,{graduation_year_for(1)},mentee\n",
        ),  # fmt: skip
    }
