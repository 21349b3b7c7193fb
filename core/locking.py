"""The one way to lock rows for a read-modify-write (pretix's locking.py is the model).

- Only inside `transaction.atomic()`: a lock outside a transaction would be released at once, so
  it is refused loudly.
- One mode, FOR NO KEY UPDATE (on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers
  anyway). It serialises every locker of the row, but not the inserts whose foreign keys point at
  it (those take KEY SHARE): booking a seat, requesting a mentor or committing a round inserts
  rows that reference the locked user or session, and FOR UPDATE would make such transactions
  wait on each other and deadlock.
- A fixed order: rows of one model in primary-key order; across models, the caller locks in the
  order of LOCK_ORDER, so two workflows can never wait on each other in a cycle.
- Only the model's own row is locked (`of=("self",)`), never the rows it is joined to.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.db import models, transaction
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=models.Model)

# Across models, lock in this order (a workflow may skip any of them).
LOCK_ORDER = (
    "review_sessions.ReviewSeries",
    "review_sessions.Occurrence",
    "accounts.User",
    "mentorship.MatchingRound",
    "mentorship.Mentorship",
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


def lock_all(queryset: "models.QuerySet[M]", pks: Iterable[object]) -> dict[object, M]:
    """Lock the rows `pks` of `queryset` in primary-key order; returns them by primary key."""
    _require_transaction(queryset.db)
    rows = queryset.select_for_update(no_key=True, of=("self",)).filter(pk__in=list(pks)).order_by("pk")
    return {row.pk: row for row in rows}
