"""Delivering queued email: claim the row, hand the message to the mail server once, settle it,
retry failures on the schedule of retry_delay(), and republish deliveries a lost worker or broker
left behind (see notifications.services)."""

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import SafeMIMEText
from django.db import DatabaseError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.expressions import Combinable
from django.utils import timezone

from notifications.backends import KIND_HEADER
from notifications.models import OutboundEmail
from notifications.signals import before_delivery, email_settled

if TYPE_CHECKING:
    # The user model, named through the one app module notifications may import (test_layering).
    pass

logger = logging.getLogger("notifications.services")

# An email is marked failed after this many attempts (about 45 minutes at the default schedule),
# unless it has a `send_before` time (a session reminder: the session's start): the mail server
# refusing it is then retried until that time, and it is skipped after. A failure before the
# hand-off (building the message) would fail the same way every time and always counts.
MAX_ATTEMPTS = 8
# A task message older than this without its row moving on is presumed lost and published again
# by the sweep. This is the backstop; a broker's or worker's return republishes at once
# (requeue_after_reconnect(), run by the worker each time it connects to the broker).
REQUEUE_AFTER = timedelta(minutes=5)


def stale_claim_after() -> timedelta:
    """A claim without hand-off older than this belongs to a worker that died before sending."""
    return timedelta(seconds=settings.EMAIL_STALE_CLAIM_SECONDS)


def retry_delay(attempts: int) -> float:
    """Seconds from failed attempt number `attempts` to the next: 30 s, 1, 2, 4, 8 min, then every
    15 min (EMAIL_RETRY_FIRST_SECONDS doubling up to EMAIL_RETRY_MAX_SECONDS)."""
    first, most = settings.EMAIL_RETRY_FIRST_SECONDS, settings.EMAIL_RETRY_MAX_SECONDS
    return min(first * 2 ** max(attempts - 1, 0), most)


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
        status=OutboundEmail.Status.SENDING, claimed_at=now, claim=uuid.uuid4(), handed_off_at=None
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
    """Settle emails for good and tell the apps that queued them (notifications.signals.email_settled).

    Inside a caller's transaction (the sweep's), it is part of that one: no savepoint of its own.
    """
    with transaction.atomic(savepoint=False):
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
        _settle_sent([email.pk])
    return handed_off


def _settle_sent(email_ids: list[int]) -> None:
    _settle(email_ids, OutboundEmail.Status.SENT, at=timezone.now(), attempts=F("attempts") + 1)


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
        pk=email.pk, status=OutboundEmail.Status.SENDING, claim=email.claim
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


# A batch's sent emails are settled this many at a time.
SETTLE_EVERY = 10


def deliver_claimed_batch(emails: list[OutboundEmail]) -> int:
    """deliver_claimed() for many claimed emails over one mail connection; returns how many were sent.

    The emails go out one after the other in id order, each handed off under its own conditional
    update, as deliver_claimed() does; the sent ones are settled SETTLE_EVERY at a time. So an
    email of the batch was handed off only after every earlier one's send had returned: a worker
    killed halfway leaves at most one email "may have been sent", the last handed off, and
    requeue_stalled_emails() settles the earlier ones as sent. A failed email is recorded and
    published for its retry, and the batch goes on with a fresh connection; a database error
    (the failure could not be recorded) ends the batch.
    """
    sent: list[int] = []

    def settle_sent() -> None:
        if sent:
            _settle_sent(list(sent))
            sent.clear()

    total = 0
    with mail_connection() as connection:
        for email in sorted(emails, key=lambda e: e.pk):
            try:
                if _hand_off(email, connection=connection):
                    sent.append(email.pk)
                    total += 1
            except DatabaseError:
                settle_sent()
                raise
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
            pk=email.pk, status=OutboundEmail.Status.SENDING, claim=email.claim
        ).update(
            status=OutboundEmail.Status.FAILED if failed else OutboundEmail.Status.QUEUED,
            attempts=attempts,
            last_error=f"{type(exc).__name__} {stage}: {exc}"[:2000],
            handed_off_at=None,
            claim=None,  # released: the next attempt draws its own
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
    sent_before_next = (
        "Settled by the sweep: the worker stopped after handing this email to the mail server, and it "
        "had handed over the next email of its batch, which it does only once a send is done."
    )
    with transaction.atomic():
        gone = OutboundEmail.objects.select_for_update(skip_locked=True).filter(
            status=OutboundEmail.Status.SENDING, handed_off_at__lt=stale
        )
        # deliver_claimed_batch() hands the emails of one claim over in id order, each once the
        # send before it returned: any but the last of them handed over was sent.
        handed_off_later = OutboundEmail.objects.filter(pk__gt=OuterRef("pk"), handed_off_at__isnull=False)
        same_claim = Q(Exists(handed_off_later.filter(claim=OuterRef("claim"))), claim__isnull=False)
        # A claim taken before claims carried a token (notifications/0002) is told by its time.
        legacy = handed_off_later.filter(claim__isnull=True, claimed_at=OuterRef("claimed_at"))
        legacy_claim = Q(Exists(legacy), claim__isnull=True)
        done = list(gone.filter(same_claim | legacy_claim).values_list("pk", flat=True))
        if done:
            _settle(done, OutboundEmail.Status.SENT, reason=sent_before_next, at=now, attempts=F("attempts") + 1)
        unknown = list(gone.exclude(pk__in=done).values_list("pk", flat=True))
        if unknown:
            _settle(unknown, OutboundEmail.Status.UNCERTAIN, reason=uncertain, at=now)
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
                status=OutboundEmail.Status.QUEUED, claimed_at=None, claim=None, next_attempt_at=now
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
            OutboundEmail.objects.filter(pk__in=abandoned).update(
                status=OutboundEmail.Status.QUEUED, claimed_at=None, claim=None
            )
        emails = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboundEmail.Status.QUEUED)
            .values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: publish_deliveries(emails))
    if emails:
        logger.info("After a broker connection: republished %s emails", len(emails))
    return len(emails)
