from django.contrib import admin
from django.urls import include, path

from config import health, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("matching/", include("mentorship.urls")),
    path("subjects/", include("subjects.urls")),
    path("sessions/", include("sessions.urls")),
    path("audit/", include("audit.urls")),
    path("reports/", include("reports.urls")),
    path("program/roster/", include("roster.urls")),
    path("django-admin/", admin.site.urls),
]
