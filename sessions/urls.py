from django.urls import path

from sessions import attendance_views, views

app_name = "sessions"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("mine/", views.my_sessions, name="mine"),
    path("my-week/", views.my_week, name="my_week"),
    path("new/", views.series_new, name="series_new"),
    path("series/<int:pk>/", views.series_detail, name="series"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:pk>/cancel/", views.series_cancel, name="series_cancel"),
    path("series/<int:pk>/book/", views.book_series, name="book_series"),
    path("o/<int:pk>/", views.occurrence_detail, name="occurrence"),
    path("o/<int:pk>/book/", views.book, name="book"),
    path("o/<int:pk>/waitlist/", views.join_waitlist, name="join_waitlist"),
    path("o/<int:pk>/edit/", views.occurrence_edit, name="occurrence_edit"),
    path("o/<int:pk>/cancel/", views.occurrence_cancel, name="occurrence_cancel"),
    path("o/<int:pk>/record/", views.record, name="record"),
    path("o/<int:pk>/rate/", views.rate, name="rate"),
    path("o/<int:pk>/session.ics", views.occurrence_ics, name="occurrence_ics"),
    path("bookings/<int:pk>/cancel/", views.cancel_booking, name="cancel_booking"),
    path("bookings/<int:pk>/cancel/confirm/", views.confirm_cancel_booking, name="confirm_cancel_booking"),
    path("standing/<int:pk>/end/", views.end_standing_booking, name="end_standing"),
    path("waitlist/<int:pk>/leave/", views.leave_waitlist, name="leave_waitlist"),
    path("waitlist/<int:pk>/offer/", attendance_views.offer, name="offer"),
    path("waitlist/<int:pk>/offer/accept/", attendance_views.accept_offer, name="accept_offer"),
    path("waitlist/<int:pk>/offer/decline/", attendance_views.decline_offer, name="decline_offer"),
    path("attendance-rules/", attendance_views.attendance_rules, name="attendance_rules"),
    path("attendance-rules/<int:pk>/clear/", attendance_views.clear_no_shows, name="clear_no_shows"),
    path("reminders/", views.reminder_log, name="reminder_log"),
    path("calendar/reset/", views.reset_calendar_token, name="reset_calendar"),
    path("calendar/<slug:token>.ics", views.calendar_feed, name="feed"),
]
