import random

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.demo import seed_people
from sessions.demo import seed_sessions
from sessions.models import Attendance, Occurrence, OutcomeNote, Rating, WaitlistEntry
from subjects.services import ensure_seed_subjects

pytestmark = pytest.mark.django_db


def test_the_demo_term_has_past_records_and_upcoming_bookings_within_seats():
    ensure_seed_subjects()
    rng = random.Random(2026)
    seed_sessions(rng, seed_people(rng))

    now = timezone.now()
    assert Occurrence.objects.filter(starts_at__lt=now).exists()
    assert Occurrence.objects.upcoming().exists()
    assert Attendance.objects.exists() and OutcomeNote.objects.exists() and Rating.objects.exists()
    assert WaitlistEntry.objects.filter(status="waiting").exists()
    over = Occurrence.objects.annotate(n=Count("bookings", filter=Q(bookings__status="booked"))).filter(n__gt=F("seats"))
    assert not over.exists()
