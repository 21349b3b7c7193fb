from django.contrib import admin

from audit.admin import AuditedReadsAdmin
from reports.models import ExamImport, ExamResult


@admin.register(ExamImport)
class ExamImportAdmin(admin.ModelAdmin):
    list_display = ["pk", "filename", "uploaded_by", "status", "created_at", "rows_created", "rows_updated"]
    list_filter = ["status"]
    exclude = ["content"]


@admin.register(ExamResult)
class ExamResultAdmin(AuditedReadsAdmin):
    # Exam scores are education records: admins' reads are logged.
    audit_action = "exam_result.read"
    audit_student_field = "student"
    list_display = ["student", "exam", "score", "passed", "batch"]
    list_filter = ["exam__kind"]
    search_fields = ["student__email", "exam__name"]
    raw_id_fields = ["student", "batch"]
