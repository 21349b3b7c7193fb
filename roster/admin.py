from django.contrib import admin

from roster.models import RosterEntry, RosterImport


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["pk", "filename", "source", "status", "created_at", "rows_created", "rows_updated"]
    list_filter = ["status", "source"]
    exclude = ["content"]
    readonly_fields = [f for f in ("uploaded_by", "status", "progress", "error", "finished_at")]


@admin.register(RosterEntry)
class RosterEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "student_id", "cohort", "invited_at", "deactivated_at"]
    search_fields = ["user__email", "student_id", "cohort"]
    raw_id_fields = ["user", "last_import"]
    exclude = ["welcome_token"]
