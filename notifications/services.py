"""Queueing and delivering email, and deciding which reminders are due.

Every email of the platform goes through queue_email(). Reminders are recorded as `Reminder`
rows by dispatch_due_reminders() (run every minute by Celery beat), turned into one
`OutboundEmail` each by prepare_reminder_email() (a Celery task per reminder), and delivered by
deliver() like any other email. Each step claims its row before acting, so no step can run twice
for the same reminder, and each step is re-run by the next dispatcher pass if its task was lost.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail, Reminder
from sessions.calendar import ics_attachment, occurrence_url

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Reminders missed during an outage are still recorded (sent if the session is ahead, else
# skipped) when their session started less than this long ago; older ones are history.
REMINDER_LOOKBACK = timedelta(hours=24)
# Offsets above a week are ignored: they would make every dispatcher pass scan far ahead.
MAX_OFFSET_HOURS = 168
NOTES_NUDGE_AFTER = timedelta(hours=2)
# A task message older than this without its row moving on is presumed lost and published again.
REQUEUE_AFTER = timedelta(minutes=5)
DELIVERY_BATCH = 50  # emails per delivery task when many are queued at once (queue_many_emails)
DIGEST_LOCAL_HOUR = 7


def stale_claim_after() -> timedelta:
    """A claim without hand-off older than this belongs to a worker that died before sending."""
    return timedelta(seconds=settings.EMAIL_STALE_CLAIM_SECONDS)


def retry_delay(attempts: int) -> int:
    """Seconds before delivery attempt `attempts + 1`: 30 s, 1, 2, 4 min ... at most 15 min."""
    return min(30 * 2 ** max(attempts - 1, 0), 900)


# ---------------------------------------------------------------------------
# Queueing and delivering one email
# ---------------------------------------------------------------------------
def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Render `<template>_subject.txt`, `.txt` and `.html` into (subject, text, html).

    The subject and the text part are plain text, rendered without HTML escaping (a title
    "O'Brien & <Co>" reads as typed, not "O&#x27;Brien &amp; &lt;Co&gt;"); the HTML part is
    escaped as every HTML template is.
    """
    context = {"site_url": settings.SITE_URL, "program_name": settings.PROGRAM_NAME, **context}
    subject = " ".join(render_plain_text(f"{template}_subject.txt", context).split())
    text = render_plain_text(f"{template}.txt", context)
    try:
        html = render_to_string(f"{template}.html", context)
    except Exception:  # noqa: BLE001 - the HTML part is optional
        html = ""
    return subject, text, html


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a template with autoescaping off: for email subjects and text parts, never for HTML."""
    return Engine.get_default().get_template(template_name).render(Context(context, autoescape=False))


def queue_email(
    *,
    to,
    kind: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: list[dict] | None = None,
    dedupe_key: str | None = None,
    claimed_by_caller: bool = False,
) -> OutboundEmail | None:
    """Record an email and hand it to a Celery worker once the caller's transaction commits.

    `to` is a User or an address. Returns None when `dedupe_key` was already queued.
    `claimed_by_caller=True` is for a task that delivers the email itself right after commit
    (deliver_claimed()): the row is created already claimed and no task is published; if that
    worker dies first, the claim goes stale and the dispatcher's sweep publishes it again.
    """
    from notifications.tasks import deliver_email

    recipient = to if hasattr(to, "email") else None
    address = to.email if recipient else str(to)
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                kind=kind,
                recipient=recipient,
                to_address=address,
                subject=subject[:200],
                body_text=body_text,
                body_html=body_html,
                attachments=attachments or [],
                dedupe_key=dedupe_key,
                next_attempt_at=timezone.now(),
                **({"status": OutboundEmail.Status.SENDING, "claimed_at": timezone.now()} if claimed_by_caller else {}),
            )
    except IntegrityError:
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    if not claimed_by_caller:
        deliver_email.delay_on_commit(email.pk)
    return email


def queue_templated_email(*, to, kind: str, template: str, context: dict, **extra) -> OutboundEmail | None:
    subject, text, html = render_email(template, context)
    return queue_email(to=to, kind=kind, subject=subject, body_text=text, body_html=html, **extra)


def queue_many_emails(*, kind: str, messages: Iterable[tuple[Any, str, str, str]]) -> list[int]:
    """Record many emails at once (bulk inserts) and hand each to a worker after commit.

    `messages` are (recipient User, subject, text, html). For imports that email thousands of
    people: one insert per 1,000 emails instead of one per email, and one delivery task per
    DELIVERY_BATCH emails (several workers still share the sending). Returns the new email ids.
    """
    from notifications.tasks import deliver_emails

    now = timezone.now()
    rows = OutboundEmail.objects.bulk_create(
        [
            OutboundEmail(kind=kind, recipient=user, to_address=user.email, subject=subject[:200],
                          body_text=text, body_html=html, next_attempt_at=now)  # fmt: skip
            for user, subject, text, html in messages
        ],
        batch_size=1000,
    )
    ids = [row.pk for row in rows]
    batches = [ids[start : start + DELIVERY_BATCH] for start in range(0, len(ids), DELIVERY_BATCH)]
    if batches:  # one task per batch: publishing 10,000 tasks took longer than inserting the rows
        transaction.on_commit(lambda: [deliver_emails.delay(batch) for batch in batches])
    return ids


def claim_email(email_id: int, *, now: datetime | None = None) -> OutboundEmail | None:
    """Take the right to send one email; None if another worker has it or it is done.

    A claim that never reached the mail server (no `handed_off_at`) and is older than
    EMAIL_STALE_CLAIM_SECONDS was left by a worker that died before sending: it may be re-taken.
    """
    now = now or timezone.now()
    claimable = Q(status=OutboundEmail.Status.QUEUED) | Q(
        status=OutboundEmail.Status.SENDING, handed_off_at__isnull=True, claimed_at__lt=now - stale_claim_after()
    )
    won = OutboundEmail.objects.filter(claimable, pk=email_id).update(
        status=OutboundEmail.Status.SENDING, claimed_at=now, handed_off_at=None
    )
    return OutboundEmail.objects.get(pk=email_id) if won else None


def _build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_address],
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
    return message


def deliver(email_id: int) -> bool:
    """Send one queued email. Returns True if this call sent it.

    A reminder's email is checked once more just before sending (the session may have been
    cancelled or moved, or have started, while the email waited) and skipped if stale.
    On an SMTP error the email goes back to queued (the task retries with backoff) until
    MAX_ATTEMPTS, then it is marked failed, and so is its reminder, for the admins' log.
    """
    email = claim_email(email_id)
    if email is None:
        return False
    reminder = (
        Reminder.objects.select_related("occurrence__series", "recipient").filter(email_id=email.pk).first()
    )
    if reminder is not None:
        reason = reminder_stale_reason(reminder, now=timezone.now())
        if reason:
            with transaction.atomic():
                OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.SKIPPED, last_error=reason)
                Reminder.objects.filter(pk=reminder.pk).update(
                    status=Reminder.Status.SKIPPED, reason=reason, updated_at=timezone.now()
                )
            return False
    return deliver_claimed(email, reminder=reminder)


def deliver_claimed(email: OutboundEmail, *, reminder: Reminder | None = None) -> bool:
    """Send an email this worker holds the claim on (from claim_email() or queue_email(claimed_by_caller=True))."""
    message = _build_message(email)
    # Only the current claimant hands off; once handed off, the email is never sent again.
    handed_off = OutboundEmail.objects.filter(
        pk=email.pk, status=OutboundEmail.Status.SENDING, claimed_at=email.claimed_at
    ).update(handed_off_at=timezone.now())
    if not handed_off:
        return False
    attempts = email.attempts + 1
    try:
        message.send()
    except Exception as exc:
        failed = attempts >= MAX_ATTEMPTS
        status = OutboundEmail.Status.FAILED if failed else OutboundEmail.Status.QUEUED
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=status,
            attempts=attempts,
            last_error=str(exc)[:2000],
            handed_off_at=None,
            next_attempt_at=timezone.now() + timedelta(seconds=retry_delay(attempts)),
        )
        if failed:
            Reminder.objects.filter(email_id=email.pk).update(
                status=Reminder.Status.FAILED,
                reason=f"Gave up after {attempts} attempts: {exc}"[:300],
                updated_at=timezone.now(),
            )
        logger.warning("Email %s failed (attempt %s): %s", email.pk, attempts, exc)
        raise
    sent_at = timezone.now()
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.SENT, attempts=attempts, sent_at=sent_at, last_error=""
        )
        if reminder is not None:
            Reminder.objects.filter(pk=reminder.pk).update(
                status=Reminder.Status.SENT, sent_at=sent_at, reason="", updated_at=sent_at
            )
    return True


def requeue_stalled_emails(*, now: datetime | None = None) -> int:
    """Publish delivery tasks again for emails whose task was lost; settle uncertain hand-offs.

    Returns how many emails were re-enqueued. An email handed to the mail server by a worker
    that then died may or may not have arrived: it is marked failed, never resent.
    """
    from notifications.tasks import deliver_email

    now = now or timezone.now()
    stale = now - stale_claim_after()
    uncertain = "The worker stopped while handing this email to the mail server; not resent to avoid a duplicate."
    with transaction.atomic():
        gone = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboundEmail.Status.SENDING, handed_off_at__lt=stale)
            .values_list("pk", flat=True)
        )
        if gone:
            OutboundEmail.objects.filter(pk__in=gone).update(status=OutboundEmail.Status.FAILED, last_error=uncertain)
            Reminder.objects.filter(email_id__in=gone).update(
                status=Reminder.Status.FAILED, reason=uncertain[:300], updated_at=now
            )
        lost = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=OutboundEmail.Status.QUEUED, next_attempt_at__lt=now - REQUEUE_AFTER)
                | Q(status=OutboundEmail.Status.SENDING, handed_off_at__isnull=True, claimed_at__lt=stale)
            )
            .values_list("pk", flat=True)
        )
        if lost:
            OutboundEmail.objects.filter(pk__in=lost).update(next_attempt_at=now)
            transaction.on_commit(lambda: [deliver_email.delay(pk) for pk in lost])
    return len(lost)


# ---------------------------------------------------------------------------
# Reminders: which are due, and whether one is still worth sending
# ---------------------------------------------------------------------------
def reminder_kind(hours: int) -> str:
    return f"{hours}h"


def reminder_offsets_for(user) -> list[int]:
    """The offsets (hours before a session) at which `user` wants reminders; [] for none.

    A user's own list (which defaults to the program's REMINDER_OFFSETS_HOURS) decides; an
    empty list or `email_opt_out` switches reminders off.
    """
    return _offsets(user.reminder_offsets_hours, user.email_opt_out, user.is_active)


def _offsets(raw, opted_out: bool, active: bool = True) -> list[int]:
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
    from sessions.models import Booking, Occurrence

    horizon = _horizon_hours()
    if horizon == 0:
        return []
    earliest, latest = now - REMINDER_LOOKBACK, now + timedelta(hours=horizon)
    # (occurrence id, starts_at, recipient id, offsets) for everyone expected at a session.
    people: list[tuple[int, datetime, int, list[int]]] = []
    for occ_id, starts_at, user_id, raw, opted_out, active in (
        Booking.objects.attending()
        .filter(occurrence__starts_at__gt=earliest, occurrence__starts_at__lte=latest)
        .values_list(
            "occurrence_id", "occurrence__starts_at", "mentee_id",
            "mentee__reminder_offsets_hours", "mentee__email_opt_out", "mentee__is_active",
        )
    ):
        people.append((occ_id, starts_at, user_id, _offsets(raw, opted_out, active)))
    for occ_id, starts_at, user_id, raw, opted_out, active in (
        Occurrence.objects.scheduled()
        .filter(starts_at__gt=earliest, starts_at__lte=latest)
        .values_list(
            "pk", "starts_at", "series__mentor_id",
            "series__mentor__reminder_offsets_hours", "series__mentor__email_opt_out", "series__mentor__is_active",
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
    from sessions.models import Occurrence

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
    from sessions.models import Occurrence

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
    from notifications.tasks import send_reminder

    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=Reminder.Status.PENDING, email__isnull=True, due_at__lte=now)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - REQUEUE_AFTER))
            .values_list("pk", flat=True)
        )
        if ids:
            Reminder.objects.filter(pk__in=ids).update(enqueued_at=now)
            transaction.on_commit(lambda: [send_reminder.delay(pk) for pk in ids])
    return len(ids)


def reminder_stale_reason(reminder: Reminder, *, now: datetime) -> str:
    """Why this reminder must not be sent now ("" if it should).

    The caller has just loaded the reminder with its occurrence (and series) and recipient,
    so they reflect the current state; bookings and notes are read here.
    """
    from sessions.models import Booking, OutcomeNote

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
        if OutcomeNote.objects.filter(occurrence_id=occurrence.pk).exists():
            return "The notes were written."
        return ""
    if occurrence.has_started(now):
        return "The session had already started; a reminder is not sent late."
    if reminder.offset_hours not in reminder_offsets_for(recipient):
        return "The recipient switched this reminder off."
    is_mentor = occurrence.series.mentor_id == recipient.pk
    if not is_mentor and not Booking.objects.attending().filter(occurrence_id=occurrence.pk, mentee=recipient).exists():
        return "The booking was cancelled."
    return ""


def prepare_reminder_email(
    *, reminder_id: int, now: datetime | None = None, claim: bool = False
) -> OutboundEmail | None:
    """Turn one pending reminder into its email, or record it skipped.

    The email is handed to a deliver_email task on commit; with `claim=True` it is created
    claimed by the caller, who delivers it with deliver_claimed() (the send_reminder task).
    Returns None when another worker has the reminder, it is already done, or it was skipped.
    """
    now = now or timezone.now()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("occurrence__series__mentor", "occurrence__series__subject", "recipient")
            .filter(pk=reminder_id, status=Reminder.Status.PENDING, email__isnull=True)
            .first()
        )
        if reminder is None:
            return None
        reason = reminder_stale_reason(reminder, now=now)
        if reason:
            Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.SKIPPED, reason=reason, updated_at=now)
            return None
        email = _queue_reminder_email(reminder, claim=claim)
        if email is None:  # already queued under its dedupe key by an earlier attempt
            email = OutboundEmail.objects.get(dedupe_key=_dedupe_key(reminder))
        Reminder.objects.filter(pk=reminder.pk).update(email=email, updated_at=now)
        email.reminder = reminder
    return email


def _dedupe_key(reminder: Reminder) -> str:
    return f"reminder:{reminder.pk}"


def user_zone(user) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (ValueError, KeyError):
        return ZoneInfo(settings.TIME_ZONE)


def _queue_reminder_email(reminder: Reminder, *, claim: bool) -> OutboundEmail | None:
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
    template = "notifications/email/notes_nudge" if is_nudge else "notifications/email/reminder"
    attachments = [] if is_nudge else [ics_attachment(occurrence, viewer=recipient)]
    with timezone.override(zone):
        return queue_templated_email(
            claimed_by_caller=claim,
            to=recipient,
            kind="notes_nudge" if is_nudge else "session_reminder",
            template=template,
            context=context,
            attachments=attachments,
            dedupe_key=_dedupe_key(reminder),
        )


# ---------------------------------------------------------------------------
# The weekly digest for program admins
# ---------------------------------------------------------------------------
def digest_week(now: datetime) -> tuple[datetime, datetime] | None:
    """Last week's [Monday 00:00, Monday 00:00) in the program's zone, once this week's Monday
    morning (DIGEST_LOCAL_HOUR) has come; the run that finds it first sends the digest."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    monday: date = local.date() - timedelta(days=local.weekday())
    this_week = datetime.combine(monday, time(0), tzinfo=zone)
    if local < datetime.combine(monday, time(DIGEST_LOCAL_HOUR), tzinfo=zone):
        return None
    return datetime.combine(monday - timedelta(days=7), time(0), tzinfo=zone), this_week


def send_weekly_digests(*, now: datetime | None = None) -> int:
    """Queue last week's digest to every program admin (once per admin and week). Returns how many."""
    from django.contrib.auth import get_user_model

    from notifications.selectors import weekly_digest_stats

    now = now or timezone.now()
    week = digest_week(now)
    if week is None:
        return 0
    start, end = week
    admins = list(
        get_user_model().objects.filter(is_program_admin=True, is_active=True, email_opt_out=False)
    )
    keys = {admin.pk: f"weekly_digest:{admin.pk}:{start.date().isoformat()}" for admin in admins}
    done = set(OutboundEmail.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    todo = [admin for admin in admins if keys[admin.pk] not in done]
    if not todo:
        return 0
    stats = weekly_digest_stats(start=start, end=end)
    queued = 0
    with transaction.atomic(), timezone.override(ZoneInfo(settings.TIME_ZONE)):
        for admin in todo:
            email = queue_templated_email(
                to=admin,
                kind="weekly_digest",
                template="notifications/email/weekly_digest",
                context={
                    "recipient": admin,
                    "stats": stats,
                    "week_start": start,
                    "week_end": end - timedelta(days=1),
                    "log_url": f"{settings.SITE_URL}/notifications/reminders/?status=failed",
                },
                dedupe_key=keys[admin.pk],
            )
            queued += email is not None
    return queued
