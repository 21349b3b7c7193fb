from django.contrib import admin

from notifications.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["kind", "to_address", "subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
