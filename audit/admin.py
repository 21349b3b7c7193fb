from django.contrib import admin

from audit.models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "api_token", "action", "object_type", "object_id", "student"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor__email", "student__email"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedReadsAdmin(admin.ModelAdmin):
    """A ModelAdmin for education records: a program admin's read of a record, or of a list of them, is logged.

    Set `audit_action` (e.g. "outcome_note.read") and `audit_student_field` (the FK naming the student)."""

    audit_action = ""
    audit_student_field = ""

    def _action(self) -> str:
        return self.audit_action or f"{self.model._meta.model_name}.read"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            from audit.services import record_access

            obj = self.get_object(request, object_id)
            student = getattr(obj, self.audit_student_field) if self.audit_student_field else None
            record_access(actor=request.user, action=f"{self._action()} (admin)", obj=obj, student=student, request=request)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            from audit.services import record_access

            record_access(
                actor=request.user, action=f"{self._action()} (admin list)",
                object_type=self.model._meta.label_lower, request=request,
            )  # fmt: skip
        return response
