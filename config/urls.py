from django.contrib import admin
from django.urls import include, path

from api import urls as api_urls
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
    path("feedback/", include("feedback.urls")),
    path("checkin/", include("checkin.urls")),
    path("audit/", include("audit.urls")),
    path("reports/", include("reports.urls")),
    path("program/roster/", include("roster.urls")),
    path("program/", include("program.urls")),
    path("teaching/", include("teaching.urls")),
    path("", include("api.page_urls")),
    path("api/v1/", include((api_urls.urlpatterns, "api-v1"), namespace="api-v1")),
    path("django-admin/", admin.site.urls),
]
