"""The development mail backend: one file per mail in EMAIL_FILE_PATH (var/mail/), named so a person
finds the one they want: `20261201-160512-123456_account_email_confirmation_signup_new@school.edu_confirm-your-email.log`."""

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.text import slugify

# notifications.services sets it on every mail it delivers; a mail sent otherwise is "mail".
KIND_HEADER = "X-Platform-Kind"


def _part(text: str, limit: int) -> str:
    return re.sub(r"[^A-Za-z0-9@._+-]+", "-", text).strip("-.")[:limit] or "none"


def mail_file_name(message: EmailMessage, now_stamp: str) -> str:
    """time_kind_recipient_subject.log, each part cut so the name stays under 200 characters."""
    kind = _part(str(message.extra_headers.get(KIND_HEADER, "mail")), 50)
    recipient = _part(message.to[0] if message.to else "nobody", 60)
    subject = slugify(message.subject)[:60] or "no-subject"
    return f"{now_stamp}_{kind}_{recipient}_{subject}.log"


class EmailBackend(BaseEmailBackend):
    """Like Django's file backend (same format: the message, then a line of 79 dashes), but one
    named file per message instead of one file per connection."""

    def __init__(self, *args: Any, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file_path = Path(file_path or settings.EMAIL_FILE_PATH)
        self._lock = threading.RLock()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        with self._lock:
            self.file_path.mkdir(parents=True, exist_ok=True)
            for message in email_messages:
                if not message.recipients():
                    continue
                stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
                with (self.file_path / mail_file_name(message, stamp)).open("ab") as stream:
                    stream.write(message.message().as_bytes() + b"\n" + b"-" * 79 + b"\n")
                sent += 1
        return sent
