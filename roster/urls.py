from django.urls import path

from roster import views

app_name = "roster"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("sample.csv", views.sample, name="sample"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("welcome/<str:token>/", views.welcome, name="welcome"),
]
