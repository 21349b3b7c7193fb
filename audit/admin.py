from typing import Any, cast

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from accounts.models import User
from audit.models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "api_token", "action", "object_type", "object_id", "student"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor__email", "student__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessEvent | None = None) -> bool:
        return False


def _staff(request: HttpRequest) -> User:
    # The admin site lets in only signed-in, active staff, so its request.user is always a User.
    return cast(User, request.user)


class AuditedReadsAdmin(admin.ModelAdmin):
    """A ModelAdmin for education records: a program admin's read of a record, or of a list of them, is logged.

    Set `audit_action` (e.g. "outcome_note.read") and `audit_student_field` (the FK naming the student)."""

    audit_action = ""
    audit_student_field = ""

    def _action(self) -> str:
        return self.audit_action or f"{self.model._meta.model_name}.read"

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            from audit.services import record_access

            obj: Model | None = self.get_object(request, object_id)
            student = getattr(obj, self.audit_student_field) if self.audit_student_field else None
            record_access(actor=_staff(request), action=f"{self._action()} (admin)", obj=obj, student=student, request=request)
        return response

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            from audit.services import record_access

            record_access(
                actor=_staff(request), action=f"{self._action()} (admin list)",
                object_type=self.model._meta.label_lower, request=request,
            )  # fmt: skip
        return response
