"""Demo of the program's rules, after the sessions demo: offer mode with a pending offer, the
no-show limit with one mentee at it and one a no-show short (warned), and a mentor's session
left unrecorded. Rows are written directly, as in sessions.demo (no emails queued)."""

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone

from program.models import NoShowWarning, ProgramRules, ProgramRulesChange
from program.selectors import attendance_term_on
from program.services.rules import rule_changes
from reports.periods import day_bounds, program_today
from sessions.models import Attendance, Booking, Occurrence, WaitlistEntry
from sessions.services import offer_deadline

if TYPE_CHECKING:
    from accounts.models import User

DEMO_NO_SHOW_LIMIT = 3
DEMO_RULES: dict[str, object] = {
    "no_show_limit": DEMO_NO_SHOW_LIMIT,
    "late_cancellation_counts_as_no_show": False,
    "weekly_booking_cap": 4,
    "waitlist_mode": ProgramRules.WaitlistMode.OFFER,
    "offer_hold_hours": 4,
}


def seed_program_rules(rng: random.Random, people: dict) -> None:
    now = timezone.now()
    admin = people["admin"]
    rules = ProgramRules.current()
    changes = rule_changes(rules, DEMO_RULES)
    for name, value in DEMO_RULES.items():
        setattr(rules, name, value)
    rules.updated_by = admin
    rules.save()
    ProgramRulesChange.objects.create(
        changed_by=admin,
        changed_at=now - timedelta(days=20),
        changes=changes,
    )
    _pending_offer(people["mentees"][0], now=now, hold_hours=rules.offer_hold_hours)
    _mentor_session_not_recorded(now)
    _no_shows(people, limit=DEMO_NO_SHOW_LIMIT, now=now)


def _pending_offer(preferred: "User", *, now: datetime, hold_hours: int) -> None:
    """A full upcoming session whose seat was just freed: held for its first waiting mentee
    (the first demo mentee when they are on that waitlist)."""
    waiting = WaitlistEntry.objects.filter(status=WaitlistEntry.Status.WAITING, occurrence__starts_at__gt=now + timedelta(days=1))
    entry = waiting.filter(mentee=preferred).first() or waiting.order_by("occurrence__starts_at", "created_at").first()
    if entry is None:
        return
    occurrence = entry.occurrence
    freed = occurrence.bookings.booked().exclude(source=Booking.Source.SERIES).first()
    if freed is None:
        return
    Booking.objects.filter(pk=freed.pk).update(status=Booking.Status.CANCELLED, cancelled_at=now - timedelta(minutes=40))
    WaitlistEntry.objects.filter(pk=entry.pk).update(
        status=WaitlistEntry.Status.OFFERED,
        created_at=occurrence.waitlist.order_by("created_at").values_list("created_at", flat=True)[0] - timedelta(minutes=1),
        offered_at=now - timedelta(minutes=40),
        offer_expires_at=offer_deadline(occurrence, now - timedelta(minutes=40), hold_hours),
    )


def _no_shows(people: dict, *, limit: int, now: datetime) -> None:
    """The two mentees with the most recorded sessions this term: one at the limit, one short of
    it (warned). Everyone else keeps at most limit - 2 no-shows (the rest become excused)."""
    term = attendance_term_on(program_today())
    start, end = day_bounds(term.first_day, term.last_day)
    in_term = Attendance.objects.filter(occurrence__starts_at__gte=start, occurrence__starts_at__lt=end, walk_in=False)
    ranked = list(
        in_term.values_list("mentee", flat=True).annotate(n=Count("pk")).filter(n__gte=limit).order_by("-n", "mentee")[:2]
    )
    targets = dict(zip(ranked, (limit, limit - 1), strict=False))
    by_mentee: dict[int, list[Attendance]] = {}
    for record in in_term.order_by("-occurrence__starts_at"):
        by_mentee.setdefault(record.mentee_id, []).append(record)
    no_show, other = [], []
    for mentee_id, records in by_mentee.items():
        if mentee_id in targets:
            no_show += [r.pk for r in records[: targets[mentee_id]]]
            other += [r.pk for r in records[targets[mentee_id] :] if r.status == Attendance.Status.NO_SHOW]
        else:
            missed = [r.pk for r in records if r.status == Attendance.Status.NO_SHOW]
            other += missed[max(limit - 2, 0) :]
    Attendance.objects.filter(pk__in=no_show).update(status=Attendance.Status.NO_SHOW)
    Attendance.objects.filter(pk__in=other).update(status=Attendance.Status.EXCUSED)
    for mentee_id in targets:
        NoShowWarning.objects.create(mentee_id=mentee_id, term_first_day=term.first_day, sent_at=now - timedelta(days=3))


def _mentor_session_not_recorded(now: datetime) -> None:
    """One past session with bookings but no attendance: a mentor's no-show on the admins' page."""
    past = (
        Occurrence.objects.scheduled()
        .filter(ends_at__lt=now - timedelta(days=2), attendance__isnull=False)
        .order_by("-starts_at")
        .first()
    )
    if past is not None:
        past.attendance.all().delete()
