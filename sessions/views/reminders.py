"""Program admins: the reminder log."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts.permissions import AuthenticatedRequest, permission_required
from sessions import selectors
from sessions.models import Reminder

REMINDERS_PER_PAGE = 50


@permission_required("program.administer")
def reminder_log(request: AuthenticatedRequest) -> HttpResponse:
    """Program admins: every reminder recorded, sent, skipped or failed, newest due first."""
    status = request.GET.get("status", "")
    if status not in Reminder.Status.values:
        status = ""
    page = Paginator(selectors.reminder_log(status=status or None), REMINDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = selectors.reminder_status_counts()
    return render(
        request,
        "sessions/reminder_log.html",
        {
            "page": page,
            "status": status,
            "statuses": [(value, label, counts[value]) for value, label in Reminder.Status.choices],
        },
    )
