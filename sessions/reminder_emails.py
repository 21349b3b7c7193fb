"""Due reminders turned into emails and delivered, a batch at a time.

The dispatcher (sessions.reminders) publishes one `send_reminders` task per REMINDER_BATCH
pending reminders, ordered by session so a batch shares its sessions. The task claims the batch
in one locked read, checks every reminder's rules against bookings and notes read once for the
batch, records the emails in one insert (already claimed by this worker), and hands them to the
mail server over one open connection. The guarantees are those of one reminder at a time: a
reminder's row is locked (skip_locked) while its email is recorded, its email is unique by its
dedupe key, and each email is handed off under its own conditional update
(outbox.deliver_claimed_batch), so a reminder is never emailed twice. A worker killed halfway
leaves at most one email "may have been sent" (the last it handed off; the sweep settles the
earlier ones of its batch as sent, since each hand-off waits for the send before it), and
the others are claimed again by the reconnect sweeps.
"""

import logging
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from notifications import services as outbox
from notifications.models import OutboundEmail
from notifications.services import EmailDraft, render_email, user_zone
from sessions.calendar import ics_attachment, occurrence_url
from sessions.models import Booking, OutcomeNote, Reminder
from sessions.reminders import reminder_stale_reason
from sessions.selectors import Seat, seats_by_mentee

logger = logging.getLogger(__name__)

# Reminders per send task: large enough that the batch's reads and its insert are shared by many
# emails, small enough that a worker killed halfway leaves little for the sweeps to pick up.
REMINDER_BATCH = 50


def publish_send_tasks(reminder_ids: Sequence[int]) -> None:
    """Publish send_reminders tasks for these pending reminders, REMINDER_BATCH to a task."""
    from sessions.tasks import send_reminders

    ids = list(reminder_ids)
    for start in range(0, len(ids), REMINDER_BATCH):
        send_reminders.delay(ids[start : start + REMINDER_BATCH])


def send_reminder_batch(reminder_ids: Sequence[int]) -> int:
    """Turn the reminders into emails and deliver them over one connection; returns how many were sent.

    A failed send is retried by the outbox's deliver_email on its schedule (the email stays
    queued); the next email of the batch opens a fresh connection (outbox.deliver_claimed_batch).
    """
    emails = prepare_reminder_emails(reminder_ids=reminder_ids, claim=True)
    return outbox.deliver_claimed_batch(emails) if emails else 0


def prepare_reminder_email(
    *, reminder_id: int, now: datetime | None = None, claim: bool = False
) -> OutboundEmail | None:
    """Turn one pending reminder into its email, or record it skipped (prepare_reminder_emails for one)."""
    emails = prepare_reminder_emails(reminder_ids=[reminder_id], now=now, claim=claim)
    return emails[0] if emails else None


def prepare_reminder_emails(
    *, reminder_ids: Sequence[int], now: datetime | None = None, claim: bool = False
) -> list[OutboundEmail]:
    """Turn pending reminders into their emails, or record them skipped; returns the emails made.

    The emails are handed to deliver_email tasks on commit; with `claim=True` they are created
    claimed by the caller, who delivers them with deliver_claimed() (the send_reminders task).
    Reminders another worker holds, already done, or skipped make no email; a reminder whose email
    could not be rendered is marked failed with the error.
    """
    now = now or timezone.now()
    with transaction.atomic():
        reminders = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("occurrence__series__mentor", "occurrence__series__subject", "recipient")
            .filter(pk__in=list(reminder_ids), status=Reminder.Status.PENDING, email__isnull=True)
            .order_by("pk")
        )
        if not reminders:
            return []
        occurrence_ids = {r.occurrence_id for r in reminders}
        recipient_ids = {r.recipient_id for r in reminders}
        attending = set(
            Booking.objects.attending()
            .filter(occurrence_id__in=occurrence_ids, mentee_id__in=recipient_ids)
            .values_list("occurrence_id", "mentee_id")
        )
        noted = set(OutcomeNote.objects.filter(occurrence_id__in=occurrence_ids).values_list("occurrence_id", flat=True))
        to_send: list[Reminder] = []
        for reminder in reminders:
            reason = reminder_stale_reason(reminder, now=now, attending=attending, noted=noted)
            if reason:
                Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.SKIPPED, reason=reason, updated_at=now)
            else:
                to_send.append(reminder)
        seats = seats_by_mentee(occurrence_ids=occurrence_ids, mentee_ids=recipient_ids)
        drafts: list[tuple[Reminder, EmailDraft]] = []
        for reminder in to_send:
            try:
                drafts.append((reminder, _draft(reminder, seats=seats)))
            except DatabaseError:
                raise  # transient: the task's message is published again and the batch is retried
            except Exception as exc:
                # Rendering fails the same way every time (a template or data bug): give up now, for
                # the admins' log, rather than have every sweep publish it again until the session.
                reason = f"The reminder email could not be built: {type(exc).__name__}: {exc}"[:300]
                Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.FAILED, reason=reason, updated_at=now)
                logger.exception("Reminder %s failed: %s", reminder.pk, reason)
        if not drafts:
            return []
        if claim:
            queued = outbox.queue_claimed_emails([draft for _, draft in drafts])
        else:
            queued = [_queue(draft) for _, draft in drafts]
        emails = []
        for (reminder, draft), email in zip(drafts, queued, strict=True):
            if email is None:  # already queued under its dedupe key by an earlier attempt
                email = OutboundEmail.objects.get(dedupe_key=draft.dedupe_key)
            email.reminder = reminder
            emails.append(email)
        linked = [reminder for reminder, _ in drafts]
        for reminder, email in zip(linked, emails, strict=True):
            reminder.email = email
            reminder.updated_at = now
        # One UPDATE linking each reminder to the email under its dedupe key (bulk_update's CASE
        # over 50 rows cost more than the rest of the batch's writes).
        Reminder.objects.filter(pk__in=[r.pk for r in linked]).update(
            email=Subquery(OutboundEmail.objects.filter(dedupe_key=_dedupe_key_of(OuterRef("pk"))).values("pk")[:1]),
            updated_at=now,
        )
    return emails


def _queue(draft: EmailDraft) -> OutboundEmail | None:
    return outbox.queue_email(
        to=draft.to, kind=draft.kind, subject=draft.subject, body_text=draft.body_text, body_html=draft.body_html,
        attachments=draft.attachments, dedupe_key=draft.dedupe_key, send_before=draft.send_before,
    )  # fmt: skip


DEDUPE_PREFIX = "reminder:"


def dedupe_key(reminder: Reminder) -> str:
    return f"{DEDUPE_PREFIX}{reminder.pk}"


def _dedupe_key_of(reminder_pk: OuterRef) -> Concat:
    """dedupe_key() in SQL, for the reminder whose id is `reminder_pk`."""
    return Concat(Value(DEDUPE_PREFIX), Cast(reminder_pk, CharField()), output_field=CharField())


def _draft(reminder: Reminder, *, seats: dict[tuple[int, int], Seat]) -> EmailDraft:
    occurrence, recipient = reminder.occurrence, reminder.recipient
    series = occurrence.series
    zone = user_zone(recipient)
    starts_local = timezone.localtime(occurrence.starts_at, zone)
    is_nudge = reminder.kind == Reminder.NOTES_NUDGE
    context = {
        "reminder": reminder,
        "recipient": recipient,
        "occurrence": occurrence,
        "series": series,
        "video_link": occurrence.video_link_for(recipient),
        "is_mentor": series.mentor_id == recipient.pk,
        "starts_local": starts_local,
        "ends_local": timezone.localtime(occurrence.ends_at, zone),
        "zone_name": starts_local.tzname() or str(zone),
        "offset_hours": reminder.offset_hours,
        "session_url": occurrence_url(occurrence),
        "my_sessions_url": settings.SITE_URL + reverse("sessions:mine"),
    }
    template = "sessions/email/notes_nudge" if is_nudge else "sessions/email/reminder"
    with timezone.override(zone):
        subject, text, html = render_email(template, context)
    attachments: list[dict] = []
    if not is_nudge:
        seat = seats.get((occurrence.pk, recipient.pk))
        attachments = [ics_attachment(occurrence, recipient=recipient, seats={occurrence.pk: seat} if seat else {})]
    return EmailDraft(
        to=recipient,
        kind="notes_nudge" if is_nudge else "session_reminder",
        subject=subject,
        body_text=text,
        body_html=html,
        attachments=attachments,
        dedupe_key=dedupe_key(reminder),
        # Retried while the mail server refuses it, until the session starts; never sent late.
        send_before=None if is_nudge else occurrence.starts_at,
    )
