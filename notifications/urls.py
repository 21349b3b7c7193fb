from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("reminders/", views.reminder_log, name="reminder_log"),
]
