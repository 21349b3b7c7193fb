"""Session reminders and the mentor's notes nudge: which are due, and whether one is still worth sending.

Reminders are recorded as `Reminder` rows by dispatch_due_reminders() (run every minute by Celery
beat), turned into one `OutboundEmail` each and delivered by `sessions.reminder_emails` (a
Celery task per batch of reminders, sessions.tasks.send_reminders), through the outbox
(notifications) like any other email. Each step claims its row before acting, so no step can run twice for the same
reminder, and each step is re-run by the next dispatcher pass if its task was lost. The outbox
asks this module, through its signals, whether a reminder's email may still go out
(veto_stale_reminder) and tells it how delivery ended (record_delivery_outcome).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.services import requeue_stalled_emails
from notifications.signals import before_delivery, email_settled
from sessions.models import Booking, Occurrence, OutcomeNote, Reminder

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# Reminders missed during an outage are still recorded (sent if the session is ahead, else
# skipped) when their session started less than this long ago; older ones are history.
REMINDER_LOOKBACK = timedelta(hours=24)
# Offsets above a week are ignored: they would make every dispatcher pass scan far ahead.
MAX_OFFSET_HOURS = 168
NOTES_NUDGE_AFTER = timedelta(hours=2)
# A send task older than this without its reminder moving on is presumed lost and published
# again by the dispatcher (the backstop; a broker's return republishes at once).
REQUEUE_AFTER = timedelta(minutes=5)


def reminder_kind(hours: int) -> str:
    return f"{hours}h"


def reminder_offsets_for(user: "User") -> list[int]:
    """The offsets (hours before a session) at which `user` wants reminders; [] for none.

    A user's own list (which defaults to the program's REMINDER_OFFSETS_HOURS) decides; an
    empty list or `email_opt_out` switches reminders off.
    """
    return _offsets(user.reminder_offsets_hours, user.email_opt_out, user.is_active)


def _offsets(raw: object, opted_out: bool, active: bool = True) -> list[int]:
    if opted_out or not active or not isinstance(raw, list):
        return []
    hours = set()
    for value in raw:
        try:
            h = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < h <= MAX_OFFSET_HOURS:
            hours.add(h)
    return sorted(hours)


def _horizon_hours() -> int:
    """The largest offset anyone uses: how far ahead the dispatcher must look."""
    from django.contrib.auth import get_user_model

    lists = get_user_model().objects.values_list("reminder_offsets_hours", flat=True).distinct()
    largest = [max(_offsets(raw, False) or [0]) for raw in lists]
    return max([*largest, *_offsets(list(settings.REMINDER_OFFSETS_HOURS), False), 0])


@dataclass
class DispatchResult:
    recorded: int = 0  # rows offered for recording (a concurrent run may have recorded some first)
    skipped: int = 0
    enqueued: int = 0
    emails_requeued: int = 0


def dispatch_due_reminders(*, now: datetime | None = None) -> DispatchResult:
    """Record every reminder that has fallen due and publish a send task for each.

    Safe to run concurrently and repeatedly (Celery beat runs it every minute): the unique
    constraint on Reminder drops a second recording, and the publish step locks the rows it
    publishes (skip_locked) and stamps them, so two runs never publish the same reminder twice
    within REQUEUE_AFTER. Rules:
    - session reminders go to every booked mentee (Booking.objects.attending()) and to the
      mentor of a scheduled occurrence, at each of their offsets, from `starts_at - offset` on;
    - when several offsets of one person are due at once (after an outage or a late booking),
      only the nearest is sent and the others are recorded as skipped;
    - a reminder that fell due while its session has already started is recorded as skipped;
    - the mentor gets one notes nudge when no outcome note exists 2 hours after the end.
    """
    now = now or timezone.now()
    result = DispatchResult()
    rows = _due_session_reminders(now) + _due_notes_nudges(now)
    if rows:
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        result.recorded = len(rows)
    result.skipped = _skip_stale(now)
    result.enqueued = _enqueue_pending(now)
    result.emails_requeued = requeue_stalled_emails(now=now)
    return result


def _due_session_reminders(now: datetime) -> list[Reminder]:
    horizon = _horizon_hours()
    if horizon == 0:
        return []
    earliest, latest = now - REMINDER_LOOKBACK, now + timedelta(hours=horizon)
    # Who is expected at a session: (queryset, path to the occurrence, path to the person) for its
    # booked mentees and for its mentor.
    expected: list[tuple[QuerySet[Any], str, str]] = [
        (Booking.objects.attending(), "occurrence__", "mentee"),
        (Occurrence.objects.scheduled(), "", "series__mentor"),
    ]
    # (occurrence id, starts_at, recipient id, offsets) for everyone expected at a session.
    people: list[tuple[int, datetime, int, list[int]]] = []
    for attendees, occurrence, person in expected:
        for occ_id, starts_at, user_id, raw, opted_out, active in (
            attendees.filter(**{f"{occurrence}starts_at__gt": earliest, f"{occurrence}starts_at__lte": latest}).values_list(
                f"{occurrence}pk", f"{occurrence}starts_at", f"{person}__pk",
                f"{person}__reminder_offsets_hours", f"{person}__email_opt_out", f"{person}__is_active",
            )
        ):
            people.append((occ_id, starts_at, user_id, _offsets(raw, opted_out, active)))
    if not people:
        return []
    existing = set(
        Reminder.objects.filter(
            occurrence_id__in={p[0] for p in people}, session_starts_at__gt=now - REMINDER_LOOKBACK
        ).values_list("occurrence_id", "recipient_id", "kind", "session_starts_at")
    )
    rows = []
    for occ_id, starts_at, user_id, offsets in people:
        due = [h for h in offsets if starts_at - timedelta(hours=h) <= now]
        if not due:
            continue
        nearest = min(due)
        for h in due:
            if (occ_id, user_id, reminder_kind(h), starts_at) in existing:
                continue
            if starts_at <= now:
                status, reason = Reminder.Status.SKIPPED, "The session had already started when the reminder fell due."
            elif h != nearest:
                status, reason = Reminder.Status.SKIPPED, f"Superseded by the {nearest}-hour reminder, due at the same time."
            else:
                status, reason = Reminder.Status.PENDING, ""
            rows.append(
                Reminder(
                    occurrence_id=occ_id,
                    recipient_id=user_id,
                    kind=reminder_kind(h),
                    session_starts_at=starts_at,
                    due_at=starts_at - timedelta(hours=h),
                    status=status,
                    reason=reason,
                )
            )
    return rows


def _due_notes_nudges(now: datetime) -> list[Reminder]:
    ended_before = now - NOTES_NUDGE_AFTER
    candidates = list(
        Occurrence.objects.scheduled()
        .filter(ends_at__lte=ended_before, ends_at__gt=ended_before - REMINDER_LOOKBACK, outcome_note__isnull=True)
        .filter(series__mentor__email_opt_out=False, series__mentor__is_active=True)
        .values_list("pk", "starts_at", "ends_at", "series__mentor_id")
    )
    if not candidates:
        return []
    existing = set(
        Reminder.objects.filter(
            occurrence_id__in=[c[0] for c in candidates], kind=Reminder.NOTES_NUDGE
        ).values_list("occurrence_id", "session_starts_at")
    )
    return [
        Reminder(
            occurrence_id=occ_id,
            recipient_id=mentor_id,
            kind=Reminder.NOTES_NUDGE,
            session_starts_at=starts_at,
            due_at=ends_at + NOTES_NUDGE_AFTER,
        )
        for occ_id, starts_at, ends_at, mentor_id in candidates
        if (occ_id, starts_at) not in existing
    ]


def _skip_stale(now: datetime) -> int:
    """Pending reminders, not yet turned into an email, whose session moved, was cancelled or started.

    The send task would skip them too; doing it here keeps the log right while no worker runs.
    """
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING, email__isnull=True)
    skipped = pending.filter(occurrence__status=Occurrence.Status.CANCELLED).update(
        status=Reminder.Status.SKIPPED, reason="The session was cancelled.", updated_at=now
    )
    skipped += pending.exclude(occurrence__starts_at=F("session_starts_at")).update(
        status=Reminder.Status.SKIPPED,
        reason="The session moved; a reminder for its new time replaces this one.",
        updated_at=now,
    )
    skipped += (
        pending.filter(session_starts_at__lte=now)
        .exclude(kind=Reminder.NOTES_NUDGE)
        .update(
            status=Reminder.Status.SKIPPED,
            reason="The session had already started; a reminder is not sent late.",
            updated_at=now,
        )
    )
    return skipped


def _enqueue_pending(now: datetime) -> int:
    from sessions.reminder_emails import publish_send_tasks

    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=Reminder.Status.PENDING, email__isnull=True, due_at__lte=now)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - REQUEUE_AFTER))
            .order_by("occurrence_id", "pk")
            .values_list("pk", flat=True)
        )
        if ids:
            Reminder.objects.filter(pk__in=ids).update(enqueued_at=now)
            transaction.on_commit(lambda: publish_send_tasks(ids))
    return len(ids)


def reminder_stale_reason(
    reminder: Reminder,
    *,
    now: datetime,
    attending: set[tuple[int, int]] | None = None,
    noted: set[int] | None = None,
) -> str:
    """Why this reminder must not be sent now ("" if it should).

    The caller has just loaded the reminder with its occurrence (and series) and recipient,
    so they reflect the current state; bookings and notes are read here, unless the caller read
    them for a whole batch in the same transaction: `attending` (occurrence id, mentee id) pairs
    of current bookings and `noted` occurrence ids with an outcome note.
    """
    occurrence, recipient = reminder.occurrence, reminder.recipient
    if occurrence.is_cancelled:
        return "The session was cancelled."
    if occurrence.starts_at != reminder.session_starts_at:
        return "The session moved; a reminder for its new time replaces this one."
    if not recipient.is_active:
        return "The recipient's account is inactive."
    if recipient.email_opt_out:
        return "The recipient opted out of reminder emails."
    if reminder.kind == Reminder.NOTES_NUDGE:
        has_note = (
            occurrence.pk in noted if noted is not None else OutcomeNote.objects.filter(occurrence_id=occurrence.pk).exists()
        )
        if has_note:
            return "The notes were written."
        return ""
    if occurrence.has_started(now):
        return "The session had already started; a reminder is not sent late."
    if reminder.offset_hours not in reminder_offsets_for(recipient):
        return "The recipient switched this reminder off."
    is_mentor = occurrence.series.mentor_id == recipient.pk
    if not is_mentor:
        booked = (
            (occurrence.pk, recipient.pk) in attending
            if attending is not None
            else Booking.objects.attending().filter(occurrence_id=occurrence.pk, mentee=recipient).exists()
        )
        if not booked:
            return "The booking was cancelled."
    return ""


def republish_after_reconnect(*, connected_at: datetime, now: datetime | None = None) -> int:
    """Publish again the send tasks a broker's or worker's return may have lost.

    Run (as a task) each time a worker connects to the broker, beside the outbox's own
    requeue_after_reconnect(): pending reminders published before `connected_at` (or never)
    lost their message. Returns how many were published.
    """
    from sessions.reminder_emails import publish_send_tasks

    now = now or timezone.now()
    with transaction.atomic():
        reminders = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=Reminder.Status.PENDING, email__isnull=True, due_at__lte=now)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=connected_at))
            .order_by("occurrence_id", "pk")
            .values_list("pk", flat=True)
        )
        if reminders:
            Reminder.objects.filter(pk__in=reminders).update(enqueued_at=now)
            transaction.on_commit(lambda: publish_send_tasks(reminders))
    if reminders:
        logger.info("After a broker connection: republished %s reminders", len(reminders))
    return len(reminders)


# ---------------------------------------------------------------------------
# The outbox's questions (notifications.signals)
# ---------------------------------------------------------------------------
@receiver(before_delivery, dispatch_uid="sessions.reminders.veto_stale_reminder")
def veto_stale_reminder(sender: type, *, email: OutboundEmail, now: datetime, **kwargs: object) -> str:
    """Before each delivery attempt: why a reminder's email must not go out now ("" if it may)."""
    reminder = (
        Reminder.objects.select_related("occurrence__series", "recipient").filter(email_id=email.pk).first()
    )
    return reminder_stale_reason(reminder, now=now) if reminder is not None else ""


@receiver(email_settled, dispatch_uid="sessions.reminders.record_delivery_outcome")
def record_delivery_outcome(
    sender: type, *, email_ids: list[int], status: str, reason: str, at: datetime, **kwargs: object
) -> None:
    """When the outbox settles emails, their reminders say the same (the admins' reminder log)."""
    fields: dict[str, Any] = {"status": status, "reason": reason[:300], "updated_at": at}
    if status == Reminder.Status.SENT:
        fields["sent_at"] = at
    Reminder.objects.filter(email_id__in=email_ids).update(**fields)
