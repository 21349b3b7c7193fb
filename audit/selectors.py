from django.db.models import QuerySet

from audit.models import AccessEvent


def access_events(*, student_email: str = "", action: str = "") -> QuerySet[AccessEvent]:
    events = AccessEvent.objects.select_related("actor", "student")
    if student_email:
        events = events.filter(student__email__iexact=student_email.strip())
    if action:
        events = events.filter(action=action)
    return events
