from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("program/api-tokens/", views.tokens, name="tokens"),
    path("program/api-tokens/<int:pk>/revoke/", views.revoke, name="revoke_token"),
]
