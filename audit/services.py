from django.db.models import Model
from django.http import HttpRequest

from accounts.models import User
from audit.models import AccessEvent


def record_access(
    *,
    actor: User | None,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    student: User | None = None,
    request: HttpRequest | None = None,
    api_token: str = "",
) -> AccessEvent:
    """Log that `actor` read an education record. Call it from the view that shows the record.

    A read through the API has no person as actor: `api_token` names the integration's token.
    A read of no single object (an export) names it with `object_type` and, optionally, `object_id`."""
    return AccessEvent.objects.create(
        actor=actor,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else object_id[:40],
        student=student,
        path=request.get_full_path()[:300] if request is not None else "",
        api_token=api_token[:100],
    )
