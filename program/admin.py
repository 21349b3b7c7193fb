from django.contrib import admin

from program.models import Exam, Holiday, ProgramRules, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "first_day", "last_day"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["name", "first_day", "last_day"]


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "scale", "first_day", "last_day"]
    list_filter = ["kind", "scale"]


@admin.register(ProgramRules)
class ProgramRulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "no_show_limit", "weekly_booking_cap", "waitlist_mode", "offer_hold_hours"]
