from django.conf import settings
from django.db import models


class AccessEvent(models.Model):
    """A read of an education record (outcome notes, attendance, exam scores) by someone other
    than its owner: who read what, about whom, when. Rows are never edited or deleted by the app."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=60, help_text="What was read, e.g. outcome_note.read.")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Whose record it is, when it is one student's.",
    )
    path = models.CharField(max_length=300, blank=True)
    api_token = models.CharField(
        max_length=100, blank=True, help_text="The API token's name, when the read came through the API (api app)."
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.object_type}#{self.object_id} at {self.at:%Y-%m-%d %H:%M}"
