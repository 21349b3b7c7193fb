
import pytest
from django.utils import timezone

from program.demo import seed_program
from program.models import Announcement, Exam, Holiday, Term
from program.selectors import review_before_next_exam
from program.services import plan_import
from tests.support.demo import seed_demo_start

pytestmark = pytest.mark.django_db


def test_the_demo_calendar_has_a_current_term_holidays_block_exams_and_an_announcement():
    rng, people = seed_demo_start()
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

    rng, people = seed_demo_start(sessions=False)
    seed_program(rng, people)

    plan = plan_import(CalendarImport.objects.get().content)

    assert [e.action for e in plan.events] == ["unchanged"]
