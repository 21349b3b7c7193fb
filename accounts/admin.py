from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import MentorApplication, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "graduation_year", "is_mentee", "is_mentor", "is_program_admin"]
    list_filter = ["is_mentee", "is_mentor", "is_program_admin", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "graduation_year", "time_zone", "bio", "specialty_interest"]}),
        ("Roles", {"fields": ["is_mentee", "is_mentor", "is_program_admin", "mentor_capacity"]}),
        ("Django", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(MentorApplication)
class MentorApplicationAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "created_at", "decided_at"]
    list_filter = ["status"]
