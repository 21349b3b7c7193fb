from django.conf import settings
from django.http import HttpRequest


def program(request: HttpRequest) -> dict[str, str]:
    return {"program_name": settings.PROGRAM_NAME}
