from django.contrib import admin
from django.http import HttpRequest

from mentorship.models import MatchingRound, Mentorship


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    """For looking things up; changes go through the pages (and their services)."""

    list_display = ["mentor", "mentee", "status", "requested_at", "round"]
    list_filter = ["status"]
    search_fields = ["mentor__email", "mentee__email"]
    raw_id_fields = ["mentor", "mentee", "ended_by", "round"]

    def has_change_permission(self, request: HttpRequest, obj: Mentorship | None = None) -> bool:
        return False


@admin.register(MatchingRound)
class MatchingRoundAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_by", "created_at", "status", "committed_at"]
    list_filter = ["status"]

    def has_change_permission(self, request: HttpRequest, obj: MatchingRound | None = None) -> bool:
        return False
