from django.conf import settings


def program(request) -> dict:
    return {
        "program_name": settings.PROGRAM_NAME,
        "sso_only": settings.SSO_ONLY,
        "sso_help_contact": settings.SSO_HELP_CONTACT,
    }
