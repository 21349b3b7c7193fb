"""Which non-essential emails a user wants.

Other apps ask `wants_email(user, "reminders")` before queueing a non-essential email.
Account mail (verification, password reset, mentor decisions, security notices) is essential
and ignores these preferences.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User

EMAIL_CATEGORIES = [
    ("reminders", "Reminders before sessions I booked or run"),
    ("bookings", "Booking confirmations, cancellations and waitlist news"),
    ("matching", "Mentorship requests and matches"),
    ("notes", "Nudges to write session notes (mentors)"),
    ("digests", "Weekly digests"),
    ("announcements", "Announcements from the program office and my mentors"),
]
EMAIL_CATEGORY_KEYS = [key for key, _ in EMAIL_CATEGORIES]


def wants_email(user: "User", category: str) -> bool:
    """True if `user` should get a non-essential email of `category` (one of EMAIL_CATEGORY_KEYS)."""
    if category not in EMAIL_CATEGORY_KEYS:
        raise ValueError(f"unknown email category {category!r}")
    if not user.is_active or user.deleted_at is not None or user.email_opt_out:
        return False
    return category not in (user.muted_email_categories or [])
