from django.contrib import admin

from audit.admin import AuditedReadsAdmin
from sessions.models import (
    Attendance,
    Booking,
    NoteRevision,
    Occurrence,
    OutcomeNote,
    Rating,
    Reminder,
    ReviewSeries,
    StandingBooking,
    WaitlistEntry,
)


@admin.register(ReviewSeries)
class ReviewSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "mentor", "subject", "weekday", "start_time", "first_date", "last_date", "status"]
    list_filter = ["status", "subject", "weekday"]
    search_fields = ["title", "mentor__email"]
    raw_id_fields = ["mentor"]


@admin.register(Occurrence)
class OccurrenceAdmin(admin.ModelAdmin):
    list_display = ["series", "starts_at", "seats", "status"]
    list_filter = ["status"]
    date_hierarchy = "starts_at"
    list_select_related = ["series"]
    raw_id_fields = ["series"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["mentee", "occurrence", "status", "source", "late_cancel", "created_at"]
    list_filter = ["status", "source", "late_cancel"]
    raw_id_fields = ["occurrence", "mentee", "standing_booking"]


admin.site.register(StandingBooking, raw_id_fields=["series", "mentee"])
admin.site.register(WaitlistEntry, raw_id_fields=["occurrence", "mentee"], list_display=["mentee", "occurrence", "status"])
# Attendance, outcome notes and ratings are education records: admins' reads of them are logged.
admin.site.register(
    Attendance, AuditedReadsAdmin, raw_id_fields=["occurrence", "mentee", "recorded_by"],
    audit_action="attendance.read", audit_student_field="mentee",
)
admin.site.register(OutcomeNote, AuditedReadsAdmin, raw_id_fields=["occurrence", "mentor"], audit_action="outcome_note.read")
admin.site.register(NoteRevision, AuditedReadsAdmin, raw_id_fields=["note", "editor"], audit_action="outcome_note.read")
admin.site.register(
    Rating, AuditedReadsAdmin, raw_id_fields=["occurrence", "mentee"], audit_action="rating.read", audit_student_field="mentee"
)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "occurrence", "due_at", "status", "sent_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["occurrence", "recipient", "email"]
    readonly_fields = [f.name for f in Reminder._meta.fields]
