"""The one way to lock rows for a read-modify-write (pretix's locking.py is the model).

- Only inside `transaction.atomic()`: a lock outside a transaction would be released at once, so
  it is refused loudly.
- One mode, FOR NO KEY UPDATE (on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers
  anyway). It serialises every locker of the row, but not the inserts whose foreign keys point at
  it (those take KEY SHARE): booking a seat, requesting a mentor or committing a round inserts
  rows that reference the locked user or session, and FOR UPDATE would make such transactions
  wait on each other and deadlock.
- A fixed order: rows of one model in primary-key order; across models, in the order of
  LOCK_ORDER (user rows last), so two workflows can never wait on each other in a cycle.
- Only the model's own row is locked (`of=("self",)`), never the rows it is joined to.

Claiming queued work (the outbox, reminders) is another pattern: `select_for_update(skip_locked=True)`
takes whatever rows nobody else holds, and never waits.
"""

from typing import TypeVar

from django.db import models, transaction
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=models.Model)

# Across models, lock in this order (a workflow may skip any of them).
LOCK_ORDER = (
    "program.ProgramRules",
    "program.CalendarImport",
    "program.Announcement",
    "mentorship.MatchingRound",
    "mentorship.Mentorship",
    "accounts.MentorApplication",
    "reports.ExamImport",
    "subjects.Subject",
    "review_sessions.Occurrence",
    "review_sessions.ReviewSeries",
    "review_sessions.Booking",
    "review_sessions.OutcomeNote",
    "accounts.User",
)


def _require_transaction(using: str | None) -> None:
    if not transaction.get_connection(using).in_atomic_block:
        raise TransactionManagementError("core.locking must run inside transaction.atomic()")


def lock(queryset: "models.QuerySet[M]", pk: object) -> M:
    """Lock and return the row `pk` of `queryset` (which may carry select_related for the caller).

    Raises the model's DoesNotExist when there is no such row.
    """
    _require_transaction(queryset.db)
    return queryset.select_for_update(no_key=True, of=("self",)).get(pk=pk)


def lock_first(queryset: "models.QuerySet[M]") -> M | None:
    """Lock and return the first row of `queryset` (in primary-key order), or None if it has none."""
    _require_transaction(queryset.db)
    return queryset.select_for_update(no_key=True, of=("self",)).order_by("pk").first()


def lock_rows(queryset: "models.QuerySet[M]") -> list[M]:
    """Lock every row of `queryset`, in primary-key order, and return them in that order."""
    _require_transaction(queryset.db)
    return list(queryset.select_for_update(no_key=True, of=("self",)).order_by("pk"))
