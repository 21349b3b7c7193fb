"""The calendar's lock and an announcement's single send under real contention (PostgreSQL)."""

from datetime import date

import pytest

from notifications.models import OutboundEmail
from program.errors import AlreadySent, InvalidCalendar
from program.models import Term
from program.services import save_announcement_draft, save_term, send_announcement
from tests.factories import MenteeFactory, ProgramAdminFactory
from tests.test_sessions.test_concurrency import _kinds, _race

pytestmark = pytest.mark.service

THREADS = 6


def test_admins_saving_overlapping_terms_at_once_make_exactly_one(postgres):
    starts = [date(2027, 1, 4 + i) for i in range(THREADS)]  # every pair of these terms overlaps

    outcomes = _race(lambda first: save_term(name=f"Spring {first:%d}", first_day=first, last_day=date(2027, 5, 7)),
                     starts)  # fmt: skip

    assert sorted(_kinds(outcomes)) == ["InvalidCalendar"] * (THREADS - 1) + ["Term"]
    assert all("overlaps the term" in o.message for o in outcomes if isinstance(o, InvalidCalendar))
    assert Term.objects.count() == 1


def test_sending_one_announcement_from_many_requests_at_once_sends_it_once(postgres):
    MenteeFactory.create_batch(3)
    admin = ProgramAdminFactory()
    draft = save_announcement_draft(sender=admin, form_key="race", audience="mentees", title="Hi", body="Hello")

    outcomes = _race(lambda _: send_announcement(announcement=draft, by=admin), range(THREADS))

    assert sorted(_kinds(outcomes)) == ["AlreadySent"] * (THREADS - 1) + ["Announcement"]
    assert all(isinstance(o, AlreadySent) for o in outcomes if not hasattr(o, "pk"))
    assert OutboundEmail.objects.filter(kind="announcement").count() == 3
