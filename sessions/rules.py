"""Who may do what with review sessions. Views ask through accounts.permissions.can/require."""

from typing import TYPE_CHECKING

from accounts.permissions import rule
from sessions.models import Attendance, Booking, Occurrence, ReviewSeries

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def _series(obj: ReviewSeries | Occurrence) -> ReviewSeries:
    return obj if isinstance(obj, ReviewSeries) else obj.series


@rule("sessions.publish")
def publish(user: "User", obj: object | None = None) -> bool:
    """Approved mentors only."""
    return user.is_mentor


@rule("sessions.edit_series")
def edit_series(user: "User", obj: ReviewSeries | Occurrence) -> bool:
    """Only the series' own mentor edits or cancels it (or one of its occurrences)."""
    return user.is_mentor and _series(obj).mentor_id == user.pk


@rule("sessions.record")
def record(user: "User", obj: Occurrence) -> bool:
    """Attendance and notes: the occurrence's mentor."""
    return obj.series.mentor_id == user.pk


@rule("sessions.read_private_notes")
def read_private_notes(user: "User", obj: Occurrence) -> bool:
    """Outcome notes, follow-ups, attendance and ratings: the mentor who runs it and program admins."""
    return user.is_program_admin or obj.series.mentor_id == user.pk


@rule("sessions.view_roster")
def view_roster(user: "User", obj: Occurrence) -> bool:
    return user.is_program_admin or obj.series.mentor_id == user.pk


@rule("sessions.read_shared_note")
def read_shared_note(user: "User", obj: Occurrence) -> bool:
    """The note to attendees: those who came, plus the mentor and admins."""
    if read_private_notes(user, obj):
        return True
    return Attendance.objects.filter(occurrence=obj, mentee=user, status=Attendance.Status.ATTENDED).exists()


@rule("sessions.see_video_link")
def see_video_link(user: "User | AnonymousUser", obj: ReviewSeries | Occurrence) -> bool:
    """A session's video link: its mentor, program admins, and whoever may book it (for a
    matched-only series, the mentor's matched mentees). Pages, emails and .ics files all ask
    here, through Occurrence.video_link_for."""
    if not user.is_authenticated or not user.is_active:
        return False
    series = _series(obj)
    if user.is_program_admin or series.mentor_id == user.pk:
        return True
    from sessions.errors import NotEligibleToBook
    from sessions.services import check_eligible

    try:
        check_eligible(series=series, mentee=user)
    except NotEligibleToBook:
        return False
    return True


@rule("sessions.book")
def book(user: "User", obj: object | None = None) -> bool:
    return user.is_mentee


@rule("sessions.manage_booking")
def manage_booking(user: "User", obj: Booking) -> bool:
    """A mentee sees and changes only their own bookings and waitlist places."""
    return obj.mentee_id == user.pk


@rule("sessions.download_ics")
def download_ics(user: "User", obj: Occurrence) -> bool:
    """The mentor, admins, and anyone who holds or held a seat in it."""
    return view_roster(user, obj) or obj.bookings.filter(mentee=user).exists()
