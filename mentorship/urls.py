from django.urls import path

from mentorship import views

app_name = "matching"

urlpatterns = [
    path("", views.find_mentor, name="find"),
    path("request/<int:mentor_id>/", views.request_mentor, name="request"),
    path("requests/", views.mentee_requests, name="requests"),
    path("pairs/<int:pk>/accept/", views.accept, name="accept"),
    path("pairs/<int:pk>/decline/", views.decline, name="decline"),
    path("pairs/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("pairs/<int:pk>/end/", views.end, name="end"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/progress/", views.round_progress, name="round_progress"),
    path("rounds/<int:pk>/pairs/<int:mentee_id>/", views.round_pair, name="round_pair"),
    path("rounds/<int:pk>/commit/", views.commit, name="commit"),
]
