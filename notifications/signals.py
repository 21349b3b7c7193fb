"""How the apps that queue email hear about it, without the outbox knowing them.

- `before_delivery` is sent before each delivery attempt with `email`. A receiver returns a
  reason (a sentence for the admins' log) when the email must not go out any more, else "":
  the outbox then skips it. (sessions.reminders: the session was cancelled, moved, started...)
- `email_settled` is sent inside the transaction that settles emails for good, with `email_ids`,
  `status` (an OutboundEmail.Status: sent, skipped, failed or uncertain), `reason` and `at`.
  A receiver updates its own records in the same transaction (sessions.reminders: the Reminder).
"""

from django.dispatch import Signal

before_delivery = Signal()
email_settled = Signal()
