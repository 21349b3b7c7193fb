from django.urls import path

from program.views import announcements, calendar, rules

app_name = "program"

urlpatterns = [
    path("rules/", rules.rules, name="rules"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/terms/new/", calendar.term_form, name="term_new"),
    path("calendar/terms/<int:pk>/", calendar.term_form, name="term_edit"),
    path("calendar/holidays/new/", calendar.holiday_form, name="holiday_new"),
    path("calendar/holidays/<int:pk>/", calendar.holiday_form, name="holiday_edit"),
    path("calendar/holidays/<int:pk>/sessions/", calendar.holiday_sessions, name="holiday_sessions"),
    path("calendar/exams/new/", calendar.exam_form, name="exam_new"),
    path("calendar/exams/<int:pk>/", calendar.exam_form, name="exam_edit"),
    path("calendar/<str:kind>/<int:pk>/delete/", calendar.delete, name="calendar_delete"),
    path("calendar/import/", calendar.calendar_import, name="calendar_import"),
    path("calendar/import/<int:pk>/", calendar.calendar_import_preview, name="calendar_import_preview"),
    path("announcements/", announcements.announcement_list, name="announcements"),
    path("announcements/new/", announcements.announcement_new, name="announcement_new"),
    path("announcements/<int:pk>/", announcements.announcement_detail, name="announcement"),
]
