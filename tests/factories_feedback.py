"""Factories and helpers for the session survey and check-in tests."""

from datetime import timedelta

import factory

from feedback.models import SurveyQuestion
from sessions.models import Attendance
from sessions.services import book_seat
from tests.factories import MenteeFactory, published_series


class SurveyQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyQuestion

    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = SurveyQuestion.Kind.LIKERT
    position = factory.Sequence(lambda n: n + 1)


def attended_session(mentees=1, **series):
    """A session over ten minutes ago, `mentees` booked and marked attended: (occurrence, mentees, after)."""
    occurrence = published_series(**series).occurrences.first()
    people = [MenteeFactory() for _ in range(mentees)]
    for person in people:
        book_seat(occurrence=occurrence, mentee=person)
        Attendance.objects.create(occurrence=occurrence, mentee=person, status=Attendance.Status.ATTENDED)
    return occurrence, people, occurrence.ends_at + timedelta(minutes=10)
