"""Who may do what with the program's calendar and announcements (accounts.permissions asks here).

The calendar pages and the announcement log use "program.administer" (accounts/rules.py)."""

from accounts.models import User
from accounts.permissions import rule
from program.models import Announcement


@rule("program.announce")
def announce(user: User, obj: object | None = None) -> bool:
    """Program admins write to any audience; approved mentors to their own series' booked mentees."""
    return user.is_program_admin or user.is_mentor


@rule("program.view_announcement")
def view_announcement(user: User, obj: Announcement) -> bool:
    """An announcement and its recipients: program admins, and the mentor who wrote it."""
    return user.is_program_admin or obj.sender_id == user.pk
