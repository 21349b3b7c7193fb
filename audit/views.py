from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts.permissions import AuthenticatedRequest, permission_required
from audit.http import education_record_page
from audit.models import AccessEvent
from audit.selectors import access_events


@education_record_page
@permission_required("program.administer")
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    student = request.GET.get("student", "")
    action = request.GET.get("action", "")
    page = Paginator(access_events(student_email=student, action=action), 50).get_page(request.GET.get("page"))
    actions = AccessEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    return render(
        request, "audit/access_log.html", {"page": page, "student": student, "action": action, "actions": actions}
    )
