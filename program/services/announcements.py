"""Announcements: a program admin (or a mentor, to their own series) writes to a group.

Two steps: `save_announcement_draft` keeps the message and its audience (refused, and nothing
saved, when nobody would receive it); the preview shows the recipient count; `send_announcement`
sends it once. Sending locks the announcement row and sends only a draft, so a resubmitted form,
a double click or a retried request never sends twice; each recipient is one row
(unique per announcement and person) and one outbox email.
"""

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from core import locking
from core.errors import clean_or_refuse
from program.errors import AlreadySent, AnnouncementNotAllowed, InvalidAnnouncement, NoRecipients
from program.models import Announcement, AnnouncementRecipient, Term

if TYPE_CHECKING:
    from accounts.models import User
    from sessions.models import ReviewSeries
    from subjects.models import Subject

logger = logging.getLogger(__name__)
EMAIL_KIND = "announcement"
EMAIL_CATEGORY = "announcements"  # accounts.preferences: the non-essential category people can mute


def _check_sender(sender: "User", audience: str, series: "ReviewSeries | None") -> None:
    if sender.is_program_admin:
        return
    if audience == Announcement.Audience.SERIES and series is not None and sender.is_mentor and series.mentor_id == sender.pk:
        return
    raise AnnouncementNotAllowed("Mentors can write only to the booked mentees of their own series.")


def recipients_for(announcement: Announcement) -> "list[User]":
    from program.selectors import announcement_audience

    return list(
        announcement_audience(
            audience=announcement.audience, class_year=announcement.class_year, subject=announcement.subject,
            term=announcement.term, series=announcement.series,
        )  # fmt: skip
    )


def save_announcement_draft(
    *,
    sender: "User",
    form_key: str,
    audience: str,
    title: str,
    body: str,
    essential: bool = False,
    class_year: int | None = None,
    subject: "Subject | None" = None,
    term: Term | None = None,
    series: "ReviewSeries | None" = None,
) -> Announcement:
    """Keep (or, for the same form_key, update) a draft. Refuses an empty audience: nothing is saved."""
    _check_sender(sender, audience, series)
    if audience == Announcement.Audience.SUBJECT_TERM and term is None:
        term = Term.objects.containing(timezone.localdate()).first()
        if term is None:
            raise NoRecipients("No term is running today; choose the term.", field="term")
    if not sender.is_program_admin:
        essential = False  # only the program office sends essential messages
    with transaction.atomic():
        draft = Announcement.objects.select_for_update().filter(form_key=form_key).first()
        if draft is not None and (draft.is_sent or draft.sender_id != sender.pk):
            raise AlreadySent("This announcement was already sent; it is not sent twice.")
        draft = draft or Announcement(sender=sender, form_key=form_key)
        draft.audience, draft.title, draft.body, draft.essential = audience, " ".join(title.split()), body.strip(), essential
        draft.class_year = class_year if audience == Announcement.Audience.CLASS_YEAR else None
        draft.subject = subject if audience == Announcement.Audience.SUBJECT_TERM else None
        draft.term = term if audience == Announcement.Audience.SUBJECT_TERM else None
        draft.series = series if audience == Announcement.Audience.SERIES else None
        clean_or_refuse(draft, InvalidAnnouncement)
        if not recipients_for(draft):
            raise NoRecipients(
                f"Nobody would receive this: “{draft.audience_label()}” has no one with an active account. "
                "Choose another audience.",
                field="audience",
            )
        draft.save()
    return draft


def send_announcement(*, announcement: Announcement, by: "User", now: datetime | None = None) -> Announcement:
    """Send a draft once: one recipient row and one queued email per person, each person once.

    Non-essential: people who opted out (accounts.preferences.wants_email) are recorded as not sent.
    Essential: everyone is sent it, and that is logged. Sending an already sent one raises AlreadySent."""
    from accounts.preferences import wants_email
    from notifications.services import queue_many_emails, render_email

    now = now or timezone.now()
    with transaction.atomic():
        announcement = locking.lock(
            Announcement.objects.select_related("sender", "subject", "term", "series"), announcement.pk
        )
        if announcement.is_sent:
            raise AlreadySent("This announcement was already sent; it is not sent twice.")
        _check_sender(by, announcement.audience, announcement.series)
        people = recipients_for(announcement)
        if not people:
            raise NoRecipients("Nobody would receive this any more; nothing was sent.", field="audience")
        wanted = [p for p in people if announcement.essential or wants_email(p, EMAIL_CATEGORY)]
        subject, text, html = render_email("program/email/announcement", {"announcement": announcement})
        email_ids = queue_many_emails(kind=EMAIL_KIND, messages=[(p, subject, text, html) for p in wanted])
        email_of = dict(zip((p.pk for p in wanted), email_ids, strict=True))
        AnnouncementRecipient.objects.bulk_create(
            AnnouncementRecipient(
                announcement=announcement, user=p, email_id=email_of.get(p.pk),
                outcome=AnnouncementRecipient.Outcome.QUEUED if p.pk in email_of else AnnouncementRecipient.Outcome.OPTED_OUT,
            )  # fmt: skip
            for p in people
        )
        announcement.status, announcement.sent_at = Announcement.Status.SENT, now
        announcement.save(update_fields=["status", "sent_at"])
        if announcement.essential:
            opted_out = sum(1 for p in people if not wants_email(p, EMAIL_CATEGORY))
            logger.warning(
                "Essential announcement %s (%r) sent by user %s to %d people, %d of whom opted out of non-essential email",
                announcement.pk, announcement.title, by.pk, len(people), opted_out,
            )  # fmt: skip
    return announcement
