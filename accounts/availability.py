"""Rough weekly availability: a weekday x part-of-day grid, stored as slot codes ("tue-evening")."""

WEEKDAYS = [
    ("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday"), ("thu", "Thursday"),
    ("fri", "Friday"), ("sat", "Saturday"), ("sun", "Sunday"),
]
PARTS_OF_DAY = [("morning", "morning"), ("afternoon", "afternoon"), ("evening", "evening")]

SLOT_CHOICES = [
    (f"{day}-{part}", f"{day_label} {part_label}")
    for day, day_label in WEEKDAYS
    for part, part_label in PARTS_OF_DAY
]
SLOT_LABELS = dict(SLOT_CHOICES)


def describe_slots(slots: list[str] | set[str]) -> str:
    """"Tuesday evening, Thursday evening" in grid order."""
    return ", ".join(label for code, label in SLOT_CHOICES if code in set(slots))
