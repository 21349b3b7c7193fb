from django.contrib import admin

from reports.models import ExamImport, ExamResult


@admin.register(ExamImport)
class ExamImportAdmin(admin.ModelAdmin):
    list_display = ["pk", "filename", "uploaded_by", "status", "created_at", "rows_created", "rows_updated"]
    list_filter = ["status"]
    exclude = ["content"]


@admin.register(ExamResult)
class ExamResultAdmin(admin.ModelAdmin):
    list_display = ["student", "exam_name", "exam_date", "score", "batch"]
    list_filter = ["exam_name"]
    search_fields = ["student__email", "exam_name"]
    raw_id_fields = ["student", "batch"]
