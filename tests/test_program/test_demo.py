import random

import pytest
from django.utils import timezone

from accounts.demo import seed_people
from program.demo import seed_program
from program.models import Announcement, Exam, Holiday, Term
from program.selectors import review_before_next_exam
from program.services import plan_import
from sessions.demo import seed_sessions
from subjects.services import ensure_seed_subjects

pytestmark = pytest.mark.django_db


def test_the_demo_calendar_has_a_current_term_holidays_block_exams_and_an_announcement():
    ensure_seed_subjects()
    rng = random.Random(2026)
    people = seed_people(rng)
    seed_sessions(rng, people)
    seed_program(rng, people)

    today = timezone.localdate()
    assert Term.objects.containing(today).exists()
    assert Holiday.objects.count() == 2
    blocks = Exam.objects.blocks()
    assert blocks.count() == 2 and all(exam.subjects.exists() for exam in blocks)
    assert all(Term.objects.containing(exam.first_day).exists() for exam in Exam.objects.all())
    assert Announcement.objects.get().recipients.count() == len(people["mentees"])
    assert review_before_next_exam(people["mentees"][0]) is not None


def test_the_demo_calendar_file_reimports_as_unchanged():
    from program.models import CalendarImport

    ensure_seed_subjects()
    rng = random.Random(2026)
    people = seed_people(rng)
    seed_program(rng, people)

    plan = plan_import(CalendarImport.objects.get().content)

    assert [e.action for e in plan.events] == ["unchanged"]
