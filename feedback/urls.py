from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("o/<int:pk>/", views.survey, name="survey"),
    path("o/<int:pk>/confidence/", views.confidence, name="confidence"),
    path("mine/", views.mine, name="mine"),
    path("series/<int:pk>/", views.series_feedback, name="series"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:pk>/move/", views.move_question, name="move_question"),
    path("questions/<int:pk>/remove/", views.remove_question, name="remove_question"),
    path("questions/<int:pk>/restore/", views.restore_question, name="restore_question"),
]
