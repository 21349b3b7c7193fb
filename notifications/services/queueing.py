"""Queueing email in the outbox: render a template, write the OutboundEmail row, and publish its
delivery task once the row is committed (see notifications.services)."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from core.enqueue import delay_on_commit
from notifications.models import OutboundEmail

if TYPE_CHECKING:
    # The user model, named through the one app module notifications may import (test_layering).
    from accounts.permissions import User

DELIVERY_BATCH = 50  # emails per delivery task when many are queued at once (queue_many_emails)


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
                **({"status": OutboundEmail.Status.SENDING, "claimed_at": timezone.now(), "claim": uuid.uuid4()}
                   if claimed_by_caller else {}),  # fmt: skip
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
    now, claim = timezone.now(), uuid.uuid4()
    rows = [
        OutboundEmail(
            kind=d.kind, recipient=d.to, to_address=d.to.email, subject=" ".join(d.subject.split())[:200],
            body_text=d.body_text, body_html=d.body_html, attachments=d.attachments, dedupe_key=d.dedupe_key,
            send_before=d.send_before, next_attempt_at=now, status=OutboundEmail.Status.SENDING, claimed_at=now,
            claim=claim,
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


def user_zone(user: "User") -> ZoneInfo:
    """The zone a person reads times in: their profile's, else the program's."""
    try:
        return ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (ValueError, KeyError):
        return ZoneInfo(settings.TIME_ZONE)
