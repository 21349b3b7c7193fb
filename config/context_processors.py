from django.conf import settings


def program(request) -> dict:
    return {"program_name": settings.PROGRAM_NAME}
