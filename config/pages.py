from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.permissions import AuthenticatedRequest
from program.selectors import review_before_next_exam


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "review_before_exam": review_before_next_exam(request.user) if request.user.is_mentee else None,
    }
    return render(request, "dashboard.html", context)
