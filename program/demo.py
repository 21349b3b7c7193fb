"""Demo academic calendar: the current term (the one sessions/demo.py's series run in), its
holidays, two block exams with subjects, a past calendar import, and one announcement sent.

Rows are created directly (no emails queued); the calendar's rules hold: one term, exams inside it."""

import random
from datetime import timedelta

from django.utils import timezone

from program.models import Announcement, AnnouncementRecipient, CalendarImport, Exam, Holiday, Term
from subjects.models import Subject

DEMO_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Demo School of Medicine//Academic Calendar//EN
BEGIN:VEVENT
UID:demo-term@school.example.edu
DTSTAMP:20260101T000000Z
SUMMARY:{term}
CATEGORIES:Term
DTSTART;VALUE=DATE:{first:%Y%m%d}
DTEND;VALUE=DATE:{end:%Y%m%d}
END:VEVENT
END:VCALENDAR
"""


def seed_program(rng: random.Random, people: dict) -> None:
    today = timezone.localdate()
    # The term of the demo series (sessions/demo.py: from six weeks back) and of the demo's Block 1
    # exam (reports/demo.py: seven weeks back), so every page names the same term.
    first, last = today - timedelta(weeks=8), today + timedelta(weeks=8)
    term = Term.objects.create(name=f"Demo term {first:%Y}", first_day=first, last_day=last,
                               ical_uid="demo-term@school.example.edu")  # fmt: skip
    reading_week = first + timedelta(weeks=3)
    monday = reading_week - timedelta(days=reading_week.weekday())
    Holiday.objects.create(name="Reading week", first_day=monday, last_day=monday + timedelta(days=4))
    founders_day = today + timedelta(weeks=3)
    Holiday.objects.create(name="Founders' Day", first_day=founders_day, last_day=founders_day)

    subjects = {s.name: s for s in Subject.objects.filter(name__in=["Anatomy", "Histology", "Physiology", "Biochemistry"])}
    for name, weeks, names in (
        ("Block 3: Anatomy and Histology", 4, ["Anatomy", "Histology"]),
        ("Block 4: Physiology and Biochemistry", 7, ["Physiology", "Biochemistry"]),
    ):
        day = today + timedelta(weeks=weeks)
        exam = Exam.objects.create(name=name, kind=Exam.Kind.BLOCK, scale=Exam.Scale.PERCENT, first_day=day, last_day=day)
        exam.subjects.set([subjects[n] for n in names if n in subjects])
    Exam.objects.create(name="NBME CBSE practice", kind=Exam.Kind.NBME_CBSE, scale=Exam.Scale.SCALED,
                        scale_min=1, scale_max=300, first_day=last - timedelta(days=3), last_day=last - timedelta(days=3))

    admin = people["admin"]
    CalendarImport.objects.create(
        uploaded_by=admin, filename="school-calendar.ics", confirmed_at=timezone.now() - timedelta(weeks=7),
        content=DEMO_ICS.format(term=term.name, first=first, end=last + timedelta(days=1)),
        summary={"term_create": 1, "term_update": 0, "holiday_create": 0, "holiday_update": 0,
                 "exam_create": 0, "exam_update": 0},
    )  # fmt: skip
    announcement = Announcement.objects.create(
        sender=admin, audience=Announcement.Audience.MENTEES, form_key="demo-announcement",
        title="Review sessions before Block 3",
        body="Block 3 (Anatomy and Histology) is four weeks away. Your dashboard lists the review sessions before it; "
        "book early, seats go fast.",
        status=Announcement.Status.SENT, sent_at=timezone.now() - timedelta(days=2),
    )  # fmt: skip
    AnnouncementRecipient.objects.bulk_create(
        AnnouncementRecipient(
            announcement=announcement, user=mentee,
            outcome=AnnouncementRecipient.Outcome.OPTED_OUT if mentee.email_opt_out else AnnouncementRecipient.Outcome.QUEUED,
        )  # fmt: skip
        for mentee in people["mentees"]
    )
