from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import Invitation, MentorApplication, SignInRefusal, User
from accounts.services import delete_account


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
        ("Preferences", {"fields": ["reminder_offsets_hours", "muted_email_categories", "email_opt_out"]}),
        ("Django", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("History", {"fields": ["date_joined", "last_login", "onboarded_at", "deleted_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["anonymise"]

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Deleting the row would take the person's sessions, hours and attendance out of the
        # program's reports; accounts are anonymised instead (the action below).
        return False

    @admin.action(description="Delete personal data (anonymise, keep counts)")
    def anonymise(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            delete_account(user=user)
        self.message_user(request, f"Anonymised {queryset.count()} account(s).")


@admin.register(MentorApplication)
class MentorApplicationAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "created_at", "decided_at"]
    list_filter = ["status"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "invited_by", "created_at", "accepted_at"]
    search_fields = ["email"]
    readonly_fields = ["token"]


# The admin site signs in through allauth (rate limits, verified email, MFA), never its own form.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]  # replaced on purpose, see above


@admin.register(SignInRefusal)
class SignInRefusalAdmin(admin.ModelAdmin):
    """Refused school sign-ins (docs/sso.md): read-only, for the program office and IT."""

    list_display = ["at", "provider", "reason", "ip_address"]
    list_filter = ["reason", "provider"]
    readonly_fields = ["at", "provider", "reason", "detail", "ip_address"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SignInRefusal | None = None) -> bool:
        return False
