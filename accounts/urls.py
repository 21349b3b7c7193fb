from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("onboarding/", views.onboarding, name="onboarding"),
    path("profile/", views.profile, name="profile"),
    path("profile/notifications/", views.preferences, name="preferences"),
    path("profile/privacy/", views.privacy, name="privacy"),
    path("profile/privacy/export.json", views.export_data, name="export"),
    path("profile/privacy/delete/", views.delete_account, name="delete"),
    path("mentor/apply/", views.mentor_apply, name="mentor_apply"),
    path("program/mentor-applications/", views.applications, name="applications"),
    path("program/mentor-applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("program/people/", views.people, name="people"),
    path("program/people/<int:pk>/class-year/", views.correct_class_year, name="correct_class_year"),
    path("program/invitations/", views.invitations, name="invitations"),
    path("invite/<slug:token>/", views.accept_invitation, name="accept_invitation"),
]
