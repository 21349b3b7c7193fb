"""Demo survey: the program's questions (one retired, its answers kept), answers with confidence
before and after for the demo's past ratings, and confidence given when booking upcoming seats.

Runs after sessions.demo (it reads the ratings and bookings made there); rows are made directly.
"""

import random

from django.utils import timezone

from feedback.models import ConfidenceBefore, SurveyAnswer, SurveyQuestion, SurveyResponse
from sessions.models import Booking, Rating

COMMENTS = [
    "The practice vignettes helped me most.",
    "More time on the hard cases, please.",
    "Great diagrams; I finally understand the brachial plexus.",
    "A little fast at the end.",
    "Loved the question-first format.",
]


def seed_feedback(rng: random.Random, people: dict) -> None:
    now = timezone.now()
    pace = SurveyQuestion.objects.create(text="The pace was right for me", kind=SurveyQuestion.Kind.LIKERT, position=1)
    again = SurveyQuestion.objects.create(text="Would you come again?", kind=SurveyQuestion.Kind.YES_NO, position=2)
    comment = SurveyQuestion.objects.create(
        text="What helped most, or what should change?", kind=SurveyQuestion.Kind.TEXT, position=3
    )
    on_time = SurveyQuestion.objects.create(
        text="Did the session start on time?", kind=SurveyQuestion.Kind.YES_NO, position=4
    )  # retired below, after answers: its answers stay

    ratings = list(Rating.objects.select_related("occurrence").order_by("pk"))
    bookings = {
        (b.occurrence_id, b.mentee_id): b.created_at
        for b in Booking.objects.filter(occurrence__in=[r.occurrence_id for r in ratings])
    }
    responses, befores = [], []
    for rating in ratings:
        after = rng.choice([2, 3, 4, 4, 5, 5])
        share = rng.random() < 0.6
        responses.append(SurveyResponse(
            occurrence_id=rating.occurrence_id, mentee_id=rating.mentee_id, rating=rating, confidence_after=after,
            share_comments_with_mentor=share, allow_quote=share and rng.random() < 0.5,
            submitted_at=rating.created_at, updated_at=rating.created_at,
        ))  # fmt: skip
        if rng.random() < 0.8:
            befores.append(ConfidenceBefore(
                occurrence_id=rating.occurrence_id, mentee_id=rating.mentee_id, score=max(1, after - rng.choice([0, 1, 1, 2])),
                given_at=bookings.get((rating.occurrence_id, rating.mentee_id), rating.occurrence.starts_at),
            ))  # fmt: skip
    SurveyResponse.objects.bulk_create(responses)
    answers = []
    for response in SurveyResponse.objects.order_by("pk"):
        answers.append(SurveyAnswer(response=response, question=pace, score=rng.choice([3, 4, 4, 5])))
        answers.append(SurveyAnswer(response=response, question=again, yes=rng.random() < 0.85))
        answers.append(SurveyAnswer(response=response, question=on_time, yes=rng.random() < 0.9))
        if rng.random() < 0.5:
            answers.append(SurveyAnswer(response=response, question=comment, text=rng.choice(COMMENTS)))
    SurveyAnswer.objects.bulk_create(answers)
    SurveyQuestion.objects.filter(pk=on_time.pk).update(retired_at=now)

    # Confidence given when booking some upcoming seats.
    for booking in Booking.objects.booked().filter(occurrence__starts_at__gt=now).order_by("pk"):
        if rng.random() < 0.5:
            befores.append(ConfidenceBefore(
                occurrence_id=booking.occurrence_id, mentee_id=booking.mentee_id, score=rng.randint(1, 4),
                given_at=booking.created_at,
            ))  # fmt: skip
    ConfidenceBefore.objects.bulk_create(befores)
