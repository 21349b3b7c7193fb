from django.urls import path

from subjects import views

app_name = "subjects"

urlpatterns = [
    path("", views.subject_list, name="list"),
    path("<int:pk>/rename/", views.rename, name="rename"),
    path("<int:pk>/retire/", views.retire, name="retire"),
]
