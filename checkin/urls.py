from django.urls import path

from checkin import views

app_name = "checkin"

urlpatterns = [
    path("", views.enter_code, name="enter"),
    path("o/<int:pk>/", views.check_in, name="occurrence"),
    path("o/<int:pk>/present/", views.present, name="present"),
]
