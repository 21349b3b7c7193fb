"""Per-integration API tokens (docs/api.md). The secret is shown once; only its SHA-256 is kept."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.text import validate_single_line


class ApiToken(models.Model):
    """One integration's key to /api/v1/: a name, what it may do, and the hash of its secret.

    The token a client sends is `<prefix>.<secret>`: the prefix finds the row, the SHA-256 of the whole
    token is compared in constant time (api.services.authenticate)."""

    class Access(models.TextChoices):
        READ = "read", "Read"
        READ_WRITE = "read_write", "Read and write"

    name = models.CharField(max_length=100, validators=[validate_single_line], help_text="Which system uses it, e.g. “Advising (Starfish)”.")
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.READ)
    education_records = models.BooleanField(
        default=False, help_text="May read students' bookings and attendance (FERPA education records)."
    )
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 (hex) of the whole token.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["revoked_at", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(access__in=["read", "read_write"]), name="api_token_access_known"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.access == self.Access.READ_WRITE

    @property
    def scopes(self) -> list[str]:
        """The scope names docs/api.md uses: read, write, education_records."""
        return ["read"] + (["write"] if self.can_write else []) + (["education_records"] if self.education_records else [])
