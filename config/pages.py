from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.permissions import AuthenticatedRequest
from program.selectors import review_before_next_exam


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    # Who mentors whom, from the program's settings: "Senior students (MS3 and MS4) ...".
    mentor_years = " and ".join(f"MS{year}" for year in sorted(settings.MENTOR_ELIGIBLE_YEARS))
    return render(request, "home.html", {"mentor_years": mentor_years})


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "review_before_exam": review_before_next_exam(request.user) if request.user.is_mentee else None,
    }
    return render(request, "dashboard.html", context)
