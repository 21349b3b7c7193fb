from django.urls import path

from program import views

app_name = "program"

urlpatterns = [
    path("rules/", views.rules, name="rules"),
]
