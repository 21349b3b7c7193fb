from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API for the school's systems"
