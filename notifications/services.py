"""The outbox: queueing and delivering email, claims, retries and the mail log (OutboundEmail).

Every email of the platform goes through queue_email(). A Celery task delivers it with
deliver(), which claims the row before sending, so no email is sent twice; failures are retried
on the schedule of retry_delay(). The outbox knows no other app: apps that need a say in
delivery (session reminders) answer its signals (notifications.signals).
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import SafeMIMEText
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.expressions import Combinable
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from core.enqueue import delay_on_commit
from notifications.backends import KIND_HEADER
from notifications.models import OutboundEmail
from notifications.signals import before_delivery, email_settled

if TYPE_CHECKING:
    # The user model, named through the one app module notifications may import (test_layering).
    from accounts.permissions import User

logger = logging.getLogger(__name__)

# An email is marked failed after this many attempts (about 45 minutes at the default schedule),
# unless it has a `send_before` time (a session reminder: the session's start): the mail server
# refusing it is then retried until that time, and it is skipped after. A failure before the
# hand-off (building the message) would fail the same way every time and always counts.
MAX_ATTEMPTS = 8
# A task message older than this without its row moving on is presumed lost and published again
# by the sweep. This is the backstop; a broker's or worker's return republishes at once
# (requeue_after_reconnect(), run by the worker each time it connects to the broker).
REQUEUE_AFTER = timedelta(minutes=5)
DELIVERY_BATCH = 50  # emails per delivery task when many are queued at once (queue_many_emails)


def stale_claim_after() -> timedelta:
    """A claim without hand-off older than this belongs to a worker that died before sending."""
    return timedelta(seconds=settings.EMAIL_STALE_CLAIM_SECONDS)


def retry_delay(attempts: int) -> float:
    """Seconds from failed attempt number `attempts` to the next: 30 s, 1, 2, 4, 8 min, then every
    15 min (EMAIL_RETRY_FIRST_SECONDS doubling up to EMAIL_RETRY_MAX_SECONDS)."""
    first, most = settings.EMAIL_RETRY_FIRST_SECONDS, settings.EMAIL_RETRY_MAX_SECONDS
    return min(first * 2 ** max(attempts - 1, 0), most)


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
        html_template = get_template(f"{template}.html")
    except TemplateDoesNotExist:  # the HTML part is optional; an error inside it is a bug to see
        html = ""
    else:
        html = html_template.render(context)
    return subject, text, html


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a template with autoescaping off: for email subjects and text parts, never for HTML."""
    return Engine.get_default().get_template(template_name).render(Context(context, autoescape=False))


def queue_email(
    *,
    to: "User | str",
    kind: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: list[dict] | None = None,
    dedupe_key: str | None = None,
    send_before: datetime | None = None,
    claimed_by_caller: bool = False,
) -> OutboundEmail | None:
    """Record an email and hand it to a Celery worker once the caller's transaction commits.

    `to` is a User or an address. Returns None when `dedupe_key` was already queued. An email
    with `send_before` is retried until that time however often the mail server refuses it, and
    never sent after it.
    `claimed_by_caller=True` is for a task that delivers the email itself right after commit
    (deliver_claimed()): the row is created already claimed and no task is published; if that
    worker dies first, the claim goes stale and the dispatcher's sweep publishes it again.
    """
    from notifications.tasks import deliver_email

    recipient = None if isinstance(to, str) else to
    address = to if isinstance(to, str) else to.email
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                kind=kind,
                recipient=recipient,
                to_address=address,
                subject=" ".join(subject.split())[:200],  # a header is one line
                body_text=body_text,
                body_html=body_html,
                attachments=attachments or [],
                dedupe_key=dedupe_key,
                send_before=send_before,
                next_attempt_at=timezone.now(),
                **({"status": OutboundEmail.Status.SENDING, "claimed_at": timezone.now()} if claimed_by_caller else {}),
            )
    except IntegrityError:
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    if not claimed_by_caller:
        delay_on_commit(deliver_email, email.pk)
    return email


def queue_templated_email(
    *, to: "User | str", kind: str, template: str, context: dict[str, Any], zone: ZoneInfo | None = None, **extra: Any
) -> OutboundEmail | None:
    """Render and queue an email. Times in it are shown in `zone`, by default the recipient's
    (their profile's zone, else the program's), never the zone of whoever's request sent it."""
    if zone is None:
        zone = ZoneInfo(settings.TIME_ZONE) if isinstance(to, str) else user_zone(to)
    with timezone.override(zone):
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
            OutboundEmail(kind=kind, recipient=user, to_address=user.email, subject=" ".join(subject.split())[:200],
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


@dataclass(frozen=True)
class EmailDraft:
    """An email to record with queue_claimed_emails(): what queue_email() takes, for many at once."""

    to: "User"
    kind: str
    subject: str
    body_text: str
    body_html: str = ""
    attachments: list[dict] = field(default_factory=list)
    dedupe_key: str | None = None
    send_before: datetime | None = None


def queue_claimed_emails(drafts: list[EmailDraft]) -> list[OutboundEmail | None]:
    """Record many emails at once, already claimed by the caller (one insert instead of one per email).

    The batch form of queue_email(claimed_by_caller=True), for a task that delivers them itself right
    after (deliver_claimed()); the results line up with `drafts`, None where the dedupe key was
    already queued. Run it inside the caller's transaction.
    """
    now = timezone.now()
    rows = [
        OutboundEmail(
            kind=d.kind, recipient=d.to, to_address=d.to.email, subject=" ".join(d.subject.split())[:200],
            body_text=d.body_text, body_html=d.body_html, attachments=d.attachments, dedupe_key=d.dedupe_key,
            send_before=d.send_before, next_attempt_at=now, status=OutboundEmail.Status.SENDING, claimed_at=now,
        )  # fmt: skip
        for d in drafts
    ]
    try:
        with transaction.atomic():
            return list(OutboundEmail.objects.bulk_create(rows))
    except IntegrityError:
        pass  # a dedupe key was queued by an earlier attempt: record them one by one
    return [
        queue_email(
            to=d.to, kind=d.kind, subject=d.subject, body_text=d.body_text, body_html=d.body_html,
            attachments=d.attachments, dedupe_key=d.dedupe_key, send_before=d.send_before, claimed_by_caller=True,
        )  # fmt: skip
        for d in drafts
    ]


@contextmanager
def mail_connection() -> Iterator[BaseEmailBackend]:
    """One connection to the mail server for a batch of deliver_claimed() calls.

    Opened by the first send and kept open for the next; a failed send closes it, so the next
    opens a fresh one. Closed at the end of the block.
    """
    connection = get_connection()
    try:
        yield connection
    finally:
        connection.close()


def claim_email(email_id: int, *, now: datetime | None = None) -> OutboundEmail | None:
    """Take the right to send one email; None if another worker has it, it is done, or its next
    attempt is not due yet (an early duplicate of a retry's task message does nothing).

    A claim that never reached the mail server (no `handed_off_at`) and is older than
    EMAIL_STALE_CLAIM_SECONDS was left by a worker that died before sending: it may be re-taken.
    """
    now = now or timezone.now()
    claimable = Q(status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=now) | Q(
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
        headers={KIND_HEADER: email.kind},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        mimetype = attachment.get("mimetype") or ""
        if mimetype.startswith("text/") and ";" in mimetype:
            message.attach(_text_attachment_part(attachment))
        else:
            message.attach(attachment["filename"], attachment["content"], mimetype or None)
    return message


def _text_attachment_part(attachment: dict) -> SafeMIMEText:
    """A text attachment whose Content-Type keeps its parameters (RFC 6047:
    `text/calendar; method=PUBLISH; charset=utf-8`); Django's attach() would fold them into the subtype."""
    mimetype, *params = (part.strip() for part in attachment["mimetype"].split(";"))
    part = SafeMIMEText(attachment["content"], mimetype.split("/", 1)[1], "utf-8")
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() != "charset":
            part.set_param(key.strip(), value.strip())
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part


def deliver(email_id: int, *, now: datetime | None = None) -> bool:
    """Send one queued email whose next attempt is due. Returns True if this call sent it.

    Just before sending, the apps that queued it may veto it (notifications.signals.before_delivery:
    a reminder's session was cancelled, moved or started while it waited), and an email past its
    `send_before` is not sent; either way it is skipped. On a failure the email goes back to
    queued with `next_attempt_at` set by retry_delay() (the task publishes the next attempt for
    exactly that time) until it is given up (MAX_ATTEMPTS, or `send_before` for a refusal by the
    mail server).
    """
    now = now or timezone.now()
    email = claim_email(email_id, now=now)
    if email is None:
        return False
    try:
        reason = _veto(email, now=now)
    except Exception as exc:
        _record_failed_attempt(email, exc, before_hand_off=True)
        raise
    if reason:
        if email.attempts:
            reason = f"{reason} Delivery had failed {email.attempts} times; last error: {email.last_error}"
        _settle([email.pk], OutboundEmail.Status.SKIPPED, reason=reason[:2000], at=now)
        return False
    return deliver_claimed(email)


def _veto(email: OutboundEmail, *, now: datetime) -> str:
    for _receiver, reason in before_delivery.send(sender=OutboundEmail, email=email, now=now):
        if reason:
            return str(reason)
    if email.send_before is not None and now >= email.send_before:
        return "It was not delivered in time; it is not sent late."
    return ""


def _settle(
    email_ids: list[int], status: str, *, reason: str = "", at: datetime, attempts: "int | Combinable | None" = None
) -> None:
    """Settle emails for good and tell the apps that queued them (notifications.signals.email_settled)."""
    with transaction.atomic():
        fields: dict = {"status": status, "last_error": reason}
        if attempts is not None:
            fields["attempts"] = attempts
        if status == OutboundEmail.Status.SENT:
            fields["sent_at"] = at
        OutboundEmail.objects.filter(pk__in=email_ids).update(**fields)
        email_settled.send(sender=OutboundEmail, email_ids=email_ids, status=status, reason=reason, at=at)


def deliver_claimed(email: OutboundEmail) -> bool:
    """Send an email this worker holds the claim on (from claim_email() or queue_email(claimed_by_caller=True)).

    Raises what the send raised, after recording the failed attempt.
    """
    with mail_connection() as connection:
        handed_off = _hand_off(email, connection=connection)
    if handed_off:
        _settle([email.pk], OutboundEmail.Status.SENT, at=timezone.now(), attempts=email.attempts + 1)
    return handed_off


def _hand_off(email: OutboundEmail, *, connection: BaseEmailBackend) -> bool:
    """Hand a claimed email to the mail server over `connection`; False if the claim was lost.

    Raises what the send raised, after recording the failed attempt (and closing the connection,
    which the server may have dropped: the next send opens a fresh one).
    """
    try:
        message = _build_message(email)
        message.connection = connection
    except Exception as exc:
        _record_failed_attempt(email, exc, before_hand_off=True)
        raise
    # Only the current claimant hands off; once handed off, the email is never sent again.
    handed_off = OutboundEmail.objects.filter(
        pk=email.pk, status=OutboundEmail.Status.SENDING, claimed_at=email.claimed_at
    ).update(handed_off_at=timezone.now())
    if not handed_off:
        return False
    try:
        connection.open()  # a no-op while it is open; the send would otherwise close it after
        message.send()
    except Exception as exc:
        connection.close()
        _record_failed_attempt(email, exc, before_hand_off=False)
        raise
    return True


# A batch's sent emails are settled this many at a time: one transaction instead of one each. A worker
# killed in between leaves at most this many sent emails "may have been sent" (never sent twice).
SETTLE_EVERY = 10


def deliver_claimed_batch(emails: list[OutboundEmail]) -> int:
    """deliver_claimed() for many claimed emails over one mail connection; returns how many were sent.

    Each email is handed off under its own conditional update, as deliver_claimed() does; the
    sent ones are settled SETTLE_EVERY at a time. A failed email is recorded and published for
    its retry, and the batch goes on with a fresh connection.
    """
    sent: list[int] = []

    def settle_sent() -> None:
        if sent:
            _settle(list(sent), OutboundEmail.Status.SENT, at=timezone.now(), attempts=F("attempts") + 1)
            sent.clear()

    total = 0
    with mail_connection() as connection:
        for email in emails:
            try:
                if _hand_off(email, connection=connection):
                    sent.append(email.pk)
                    total += 1
            except Exception:  # noqa: BLE001 - _hand_off recorded and logged the failure
                publish_deliveries([email.pk])
            if len(sent) >= SETTLE_EVERY:
                settle_sent()
        settle_sent()
    return total


def _record_failed_attempt(email: OutboundEmail, exc: Exception, *, before_hand_off: bool) -> None:
    """Queue the next attempt at now + retry_delay(attempts), or give up and mark it failed.

    An email with `send_before` that the mail server refused keeps its retries until that time
    (deliver() then skips it); a failure before the hand-off repeats every time, so it counts
    towards MAX_ATTEMPTS for every email.
    """
    now = timezone.now()
    attempts = email.attempts + 1
    retries_until_deadline = email.send_before is not None and not before_hand_off
    failed = attempts >= MAX_ATTEMPTS and not retries_until_deadline
    stage = "before handing it to the mail server" if before_hand_off else "at the mail server"
    with transaction.atomic():
        updated = OutboundEmail.objects.filter(
            pk=email.pk, status=OutboundEmail.Status.SENDING, claimed_at=email.claimed_at
        ).update(
            status=OutboundEmail.Status.FAILED if failed else OutboundEmail.Status.QUEUED,
            attempts=attempts,
            last_error=f"{type(exc).__name__} {stage}: {exc}"[:2000],
            handed_off_at=None,
            next_attempt_at=None if failed else now + timedelta(seconds=retry_delay(attempts)),
        )
        if updated and failed:
            email_settled.send(
                sender=OutboundEmail, email_ids=[email.pk], status=OutboundEmail.Status.FAILED,
                reason=f"Gave up after {attempts} attempts, failing {stage}: {exc}", at=now,
            )
    logger.warning("Email %s failed %s (attempt %s): %s", email.pk, stage, attempts, exc)


def publish_deliveries(email_ids: list[int]) -> None:
    """Publish one deliver_email task per queued email, for the time its next attempt is due."""
    from notifications.tasks import deliver_email

    now = timezone.now()
    for pk, due in OutboundEmail.objects.filter(pk__in=email_ids, status=OutboundEmail.Status.QUEUED).values_list(
        "pk", "next_attempt_at"
    ):
        if due and due > now:
            deliver_email.apply_async((pk,), eta=due)
        else:
            deliver_email.delay(pk)


def requeue_stalled_emails(*, now: datetime | None = None) -> int:
    """Publish delivery tasks again for emails whose task was lost; settle uncertain hand-offs.

    Returns how many emails were re-enqueued. An email handed to the mail server by a worker
    that then died may or may not have arrived: it is marked "may have been sent" (uncertain),
    never resent.
    """
    now = now or timezone.now()
    stale = now - stale_claim_after()
    uncertain = (
        "The worker stopped while handing this email to the mail server, which may have accepted it; "
        "not resent to avoid a duplicate."
    )
    with transaction.atomic():
        gone = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboundEmail.Status.SENDING, handed_off_at__lt=stale)
            .values_list("pk", flat=True)
        )
        if gone:
            _settle(gone, OutboundEmail.Status.UNCERTAIN, reason=uncertain, at=now)
        lost = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=OutboundEmail.Status.QUEUED, next_attempt_at__lt=now - REQUEUE_AFTER)
                | Q(status=OutboundEmail.Status.SENDING, handed_off_at__isnull=True, claimed_at__lt=stale)
            )
            .values_list("pk", flat=True)
        )
        if lost:
            # Back to queued and due now: the claim of a dead worker is released with it.
            OutboundEmail.objects.filter(pk__in=lost).update(
                status=OutboundEmail.Status.QUEUED, claimed_at=None, next_attempt_at=now
            )
            transaction.on_commit(lambda: publish_deliveries(lost))
    return len(lost)


def requeue_after_reconnect(*, connected_at: datetime, now: datetime | None = None) -> int:
    """Publish again every delivery a broker's or worker's return may have lost.

    Run (as a task) each time a worker connects to the broker: at its start after a crash and
    on its return after a broker outage. Its message queues behind everything published before,
    so whatever is still waiting when it runs lost its message: every queued email (a retry's
    message waits in a worker's memory until its time, and a worker dropped it on losing the
    broker), and claims taken before `connected_at` and never handed to the mail server (a dead
    worker's; a live claimant then loses its conditional hand-off, so nothing is sent twice).
    Returns how many were published. Faster than the REQUEUE_AFTER backstop of the sweep.
    """
    with transaction.atomic():
        abandoned = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboundEmail.Status.SENDING, handed_off_at__isnull=True, claimed_at__lt=connected_at)
            .values_list("pk", flat=True)
        )
        if abandoned:
            OutboundEmail.objects.filter(pk__in=abandoned).update(status=OutboundEmail.Status.QUEUED, claimed_at=None)
        emails = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboundEmail.Status.QUEUED)
            .values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: publish_deliveries(emails))
    if emails:
        logger.info("After a broker connection: republished %s emails", len(emails))
    return len(emails)


def user_zone(user: "User") -> ZoneInfo:
    """The zone a person reads times in: their profile's, else the program's."""
    try:
        return ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (ValueError, KeyError):
        return ZoneInfo(settings.TIME_ZONE)
