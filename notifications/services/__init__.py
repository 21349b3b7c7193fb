"""The outbox: queueing and delivering email, claims, retries and the mail log (OutboundEmail).

Every email of the platform goes through queue_email(). A Celery task delivers it with
deliver(), which claims the row before sending, so no email is sent twice; failures are retried
on the schedule of retry_delay(). The outbox knows no other app: apps that need a say in
delivery (session reminders) answer its signals (notifications.signals).

The package: `queueing` writes the rows and publishes their tasks, `delivery` claims, sends,
settles and retries them; every public name is importable from notifications.services.
"""

from notifications.services.delivery import (
    MAX_ATTEMPTS,
    REQUEUE_AFTER,
    SETTLE_EVERY,
    claim_email,
    deliver,
    deliver_claimed,
    deliver_claimed_batch,
    mail_connection,
    publish_deliveries,
    requeue_after_reconnect,
    requeue_stalled_emails,
    retry_delay,
    stale_claim_after,
)
from notifications.services.queueing import (
    DELIVERY_BATCH,
    EmailDraft,
    queue_claimed_emails,
    queue_email,
    queue_many_emails,
    queue_templated_email,
    render_email,
    render_plain_text,
    user_zone,
)

__all__ = [
    "DELIVERY_BATCH",
    "EmailDraft",
    "MAX_ATTEMPTS",
    "REQUEUE_AFTER",
    "SETTLE_EVERY",
    "claim_email",
    "deliver",
    "deliver_claimed",
    "deliver_claimed_batch",
    "mail_connection",
    "publish_deliveries",
    "queue_claimed_emails",
    "queue_email",
    "queue_many_emails",
    "queue_templated_email",
    "render_email",
    "render_plain_text",
    "requeue_after_reconnect",
    "requeue_stalled_emails",
    "retry_delay",
    "stale_claim_after",
    "user_zone",
]
