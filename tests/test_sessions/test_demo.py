
import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from sessions.models import Attendance, Occurrence, OutcomeNote, Rating, WaitlistEntry
from tests.support.demo import seed_demo_start

pytestmark = pytest.mark.django_db


def test_the_demo_term_has_past_records_and_upcoming_bookings_within_seats():
    seed_demo_start()

    now = timezone.now()
    assert Occurrence.objects.filter(starts_at__lt=now).exists()
    assert Occurrence.objects.upcoming().exists()
    assert Attendance.objects.exists() and OutcomeNote.objects.exists() and Rating.objects.exists()
    assert WaitlistEntry.objects.filter(status="waiting").exists()
    over = Occurrence.objects.annotate(n=Count("bookings", filter=Q(bookings__status="booked"))).filter(n__gt=F("seats"))
    assert not over.exists()
