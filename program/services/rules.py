"""Writes of the program app: the program's rules (each change logged with who and when)."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from core import locking
from core.errors import clean_or_refuse
from program.errors import InvalidRules, NotProgramAdmin
from program.models import MAX_HOLD_HOURS, MAX_LIMIT, ProgramRules, ProgramRulesChange

if TYPE_CHECKING:
    from accounts.models import User

RULE_LABELS = {
    "no_show_limit": "No-show limit per term",
    "late_cancellation_counts_as_no_show": "Late cancellations count as no-shows",
    "weekly_booking_cap": "Weekly booking cap",
    "waitlist_mode": "Waitlist mode",
    "offer_hold_hours": "Offer hold (hours)",
}


def shown_rule_value(name: str, value: object) -> str:
    """A rule's value as the change log says it: "yes"/"no", "off" for no limit, a mode's label."""
    if value is None:
        return "off"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "waitlist_mode":
        return str(dict(ProgramRules.WaitlistMode.choices).get(str(value), value))
    return str(value)


def rule_changes(before: ProgramRules, after: dict[str, Any]) -> dict[str, list[str]]:
    """What a save changes, by label: [old, new] as shown; unchanged rules are left out."""
    return {
        RULE_LABELS[name]: [shown_rule_value(name, getattr(before, name)), shown_rule_value(name, value)]
        for name, value in after.items()
        if getattr(before, name) != value
    }


def _check_limit(value: int | None, field: str, what: str) -> None:
    if value is not None and not 1 <= value <= MAX_LIMIT:
        raise InvalidRules(f"{what} must be between 1 and {MAX_LIMIT}, or empty for no limit.", field=field)


def update_rules(
    *,
    by: "User",
    no_show_limit: int | None,
    late_cancellation_counts_as_no_show: bool,
    weekly_booking_cap: int | None,
    waitlist_mode: str,
    offer_hold_hours: int,
    now: datetime | None = None,
) -> ProgramRules:
    """Save the program's rules and log what changed (ProgramRulesChange). Refused values raise
    InvalidRules (on their field) and nothing is saved. Offers already made keep their deadline."""
    now = now or timezone.now()
    if not by.is_program_admin:
        raise NotProgramAdmin("Only program admins can change the program's rules.")
    _check_limit(no_show_limit, "no_show_limit", "The no-show limit")
    _check_limit(weekly_booking_cap, "weekly_booking_cap", "The weekly booking cap")
    if offer_hold_hours is None or offer_hold_hours < 1:
        raise InvalidRules(
            f"Hold an offered seat for 1 to {MAX_HOLD_HOURS} hours: a hold of 0 gives nobody time to answer.",
            field="offer_hold_hours",
        )
    if offer_hold_hours > MAX_HOLD_HOURS:
        raise InvalidRules(
            f"Hold an offered seat for at most {MAX_HOLD_HOURS} hours (3 days): a longer hold keeps the seat "
            "empty while the rest of the waitlist waits.",
            field="offer_hold_hours",
        )
    if waitlist_mode not in ProgramRules.WaitlistMode.values:
        raise InvalidRules("Choose one of the waitlist modes.", field="waitlist_mode")
    new: dict[str, Any] = {
        "no_show_limit": no_show_limit,
        "late_cancellation_counts_as_no_show": late_cancellation_counts_as_no_show,
        "weekly_booking_cap": weekly_booking_cap,
        "waitlist_mode": waitlist_mode,
        "offer_hold_hours": offer_hold_hours,
    }
    with transaction.atomic():
        ProgramRules.current()
        rules = locking.lock(ProgramRules.objects.all(), 1)
        changes = rule_changes(rules, new)
        for name, value in new.items():
            setattr(rules, name, value)
        rules.updated_by = by
        clean_or_refuse(rules, InvalidRules)
        rules.save()
        if changes:
            ProgramRulesChange.objects.create(changed_by=by, changed_at=now, changes=changes)
    return rules
