from audit.models import AccessEvent


def record_access(
    *, actor, action: str, obj=None, object_type: str = "", student=None, request=None, api_token: str = ""
) -> AccessEvent:
    """Log that `actor` read an education record. Call it from the view that shows the record.

    A read through the API has no person as actor: `api_token` names the integration's token."""
    return AccessEvent.objects.create(
        actor=actor,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        student=student,
        path=request.get_full_path()[:300] if request is not None else "",
        api_token=api_token[:100],
    )
