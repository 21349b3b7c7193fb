"""Queueing and delivering email. Every email of the platform goes through queue_email()."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.models import OutboundEmail

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send; the row may be tried again.
STALE_CLAIM_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 5


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Render `<template>_subject.txt`, `.txt` and `.html` into (subject, text, html)."""
    context = {"site_url": settings.SITE_URL, "program_name": settings.PROGRAM_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    try:
        html = render_to_string(f"{template}.html", context)
    except Exception:  # noqa: BLE001 - the HTML part is optional
        html = ""
    return subject, text, html


def queue_email(
    *,
    to,
    kind: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: list[dict] | None = None,
    dedupe_key: str | None = None,
) -> OutboundEmail | None:
    """Record an email and hand it to a Celery worker once the caller's transaction commits.

    `to` is a User or an address. Returns None when `dedupe_key` was already queued.
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
            )
    except IntegrityError:
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    deliver_email.delay_on_commit(email.pk)
    return email


def queue_templated_email(*, to, kind: str, template: str, context: dict, **extra) -> OutboundEmail | None:
    subject, text, html = render_email(template, context)
    return queue_email(to=to, kind=kind, subject=subject, body_text=text, body_html=html, **extra)


def claim_email(email_id: int) -> OutboundEmail | None:
    """Take the right to send one email; None if another worker has it or it is done."""
    now = timezone.now()
    claimable = Q(status=OutboundEmail.Status.QUEUED) | Q(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER
    )
    won = OutboundEmail.objects.filter(claimable, pk=email_id).update(
        status=OutboundEmail.Status.SENDING, claimed_at=now
    )
    return OutboundEmail.objects.get(pk=email_id) if won else None


def deliver(email_id: int) -> bool:
    """Send one queued email. Returns True if this call sent it.

    On an SMTP error the email goes back to queued (the task retries with backoff) until
    MAX_ATTEMPTS, then it is marked failed for the admins' log.
    """
    email = claim_email(email_id)
    if email is None:
        return False
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
    attempts = email.attempts + 1
    try:
        message.send()
    except Exception as exc:
        status = OutboundEmail.Status.FAILED if attempts >= MAX_ATTEMPTS else OutboundEmail.Status.QUEUED
        OutboundEmail.objects.filter(pk=email.pk).update(status=status, attempts=attempts, last_error=str(exc)[:2000])
        logger.warning("Email %s failed (attempt %s): %s", email.pk, attempts, exc)
        raise
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT, attempts=attempts, sent_at=timezone.now(), last_error=""
    )
    return True
