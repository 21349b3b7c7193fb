from django.conf import settings
from django.http import HttpRequest


def program(request: HttpRequest) -> dict[str, object]:
    return {
        "program_name": settings.PROGRAM_NAME,
        "sso_only": settings.SSO_ONLY,
        "sso_help_contact": settings.SSO_HELP_CONTACT,
    }
