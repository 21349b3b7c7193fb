"""Forms check the shape of input; the rules (valid graduation years, eligibility) live in services."""

import zoneinfo
from typing import Any, cast

from allauth.account.forms import LoginForm
from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField, BoundWidget

from accounts.availability import PARTS_OF_DAY, SLOT_CHOICES, WEEKDAYS
from accounts.class_year import class_year_for, valid_graduation_years
from accounts.models import User
from accounts.permissions import password_sign_in_allowed
from accounts.preferences import EMAIL_CATEGORIES
from accounts.services import MAX_WANTED_SUBJECTS, ProfileFields
from core import forms as shared_fields
from core.text import SingleLineField
from subjects.models import Subject

ORDINALS = ["1st", "2nd", "3rd", "4th", "5th"]


def time_zone_choices() -> list[tuple[str, str]]:
    return [("", f"The program's time zone ({settings.TIME_ZONE})")] + [
        (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()) if "/" in name
    ]


class ProfileForm(forms.Form):
    """Who the person is: names, graduation year, time zone, bio, availability, subjects wanted."""

    first_name = SingleLineField(max_length=150)
    last_name = SingleLineField(max_length=150)
    graduation_year = forms.IntegerField(
        label="Expected graduation year",
        error_messages={"required": "Give your expected graduation year: it decides your class year."},
        help_text="Your class year (MS1..MS4) is worked out from this every year.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    time_zone = forms.ChoiceField(choices=time_zone_choices, required=False)
    specialty_interest = SingleLineField(
        max_length=100, required=False, label="Specialty interest (optional)", help_text="e.g. Pediatrics"
    )
    bio = forms.CharField(
        max_length=1000, required=False, label="Short bio", widget=forms.Textarea(attrs={"rows": 3})
    )
    availability = forms.MultipleChoiceField(
        choices=SLOT_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        label="When are you usually free?",
    )

    def __init__(self, *args: Any, student: bool = True, wants_help: bool = True, **kwargs: Any) -> None:
        """`student`: the graduation year is required (staff, e.g. program admins, may leave it empty);
        `wants_help`: the ranked "subjects you want help in" are part of the form (mentees)."""
        super().__init__(*args, **kwargs)
        self.fields["graduation_year"].required = student
        self.wants_help = wants_help
        years = valid_graduation_years()
        self.fields["graduation_year"].widget.attrs.update({"placeholder": f"{years.start} to {years.stop - 1}"})
        self.fields["graduation_year"].help_text = (
            f"Your class year is worked out from this every year: {years.stop - 1} makes you MS1 now, "
            f"{years.start} MS4."
        )
        subjects = Subject.objects.active().order_by("name")
        for i in range(MAX_WANTED_SUBJECTS if wants_help else 0):
            self.fields[f"wanted_{i + 1}"] = shared_fields.ModelChoiceField(
                queryset=subjects, required=False, label=f"{ORDINALS[i]} choice", empty_label="—"
            )

    @property
    def wanted_fields(self) -> list[BoundField]:
        return [self[f"wanted_{i + 1}"] for i in range(MAX_WANTED_SUBJECTS if self.wants_help else 0)]

    def availability_rows(self) -> list[tuple[str, list[BoundWidget]]]:
        """The availability checkboxes as a weekday x part-of-day grid."""
        boxes = list(self["availability"])
        per_day = len(PARTS_OF_DAY)
        return [(label, boxes[i * per_day:(i + 1) * per_day]) for i, (_code, label) in enumerate(WEEKDAYS)]

    parts_of_day = PARTS_OF_DAY

    def class_year_hint(self) -> str:
        value = self["graduation_year"].value()
        try:
            year = class_year_for(int(value))
        except (TypeError, ValueError):
            return ""
        return f"That makes you MS{year} this academic year." if year else ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        picks = [cleaned.get(f"wanted_{i + 1}") for i in range(MAX_WANTED_SUBJECTS if self.wants_help else 0)]
        chosen: list[Subject] = [s for s in picks if s]
        duplicates = {s.name for s in chosen if chosen.count(s) > 1}
        if duplicates:
            self.add_error(None, f"You chose {', '.join(sorted(duplicates))} more than once.")
        cleaned["wanted_subjects"] = list(dict.fromkeys(chosen))
        return cleaned

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "graduation_year": user.graduation_year,
            "time_zone": user.time_zone,
            "specialty_interest": user.specialty_interest,
            "bio": user.bio,
            "availability": list(user.availability),
        }
        for wanted in user.wanted_subjects.select_related("subject")[:MAX_WANTED_SUBJECTS]:
            initial[f"wanted_{wanted.rank}"] = wanted.subject
        return initial

    def profile_data(self) -> ProfileFields:
        c = self.cleaned_data
        data: ProfileFields = {
            "first_name": c["first_name"],
            "last_name": c["last_name"],
            "graduation_year": c["graduation_year"],
            "time_zone": c["time_zone"],
            "bio": c["bio"],
            "specialty_interest": c["specialty_interest"],
            "availability": c["availability"],
        }
        if self.wants_help:  # otherwise the form has no such fields: keep what is saved
            data["wanted_subjects"] = c["wanted_subjects"]
        return data


class MentorApplicationForm(forms.Form):
    subjects = shared_fields.ModelMultipleChoiceField(
        queryset=Subject.objects.none(), widget=forms.CheckboxSelectMultiple, label="Subjects you can teach"
    )
    motivation = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), label="Why do you want to mentor?"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["subjects"]).queryset = Subject.objects.active().order_by("name")


class OnboardingForm(ProfileForm):
    is_mentee = forms.BooleanField(required=False, label="I want help: mentee")
    wants_to_mentor = forms.BooleanField(
        required=False, label="I want to mentor (MS3/MS4; the program office approves mentors)"
    )
    offered_subjects = shared_fields.ModelMultipleChoiceField(
        queryset=Subject.objects.none(), widget=forms.CheckboxSelectMultiple, required=False,
        label="Subjects you can teach (mentors)",
    )
    motivation = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        label="Why do you want to mentor? (mentors)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = cast(forms.ModelMultipleChoiceField, self.fields["offered_subjects"])
        offered.queryset = Subject.objects.active().order_by("name")
        eligible = " and ".join(f"MS{y}" for y in settings.MENTOR_ELIGIBLE_YEARS)
        self.fields["wants_to_mentor"].label = f"I want to mentor ({eligible}; the program office approves mentors)"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("wants_to_mentor"):
            if not cleaned.get("offered_subjects"):
                self.add_error("offered_subjects", "Choose the subjects you can teach.")
            if not (cleaned.get("motivation") or "").strip():
                self.add_error("motivation", "Tell the program office why you want to mentor.")
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")], widget=forms.RadioSelect
    )
    message = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        label="Message to the applicant", help_text="Sent by email. Required when declining.",
    )


class ClassYearForm(forms.Form):
    class_year = forms.TypedChoiceField(
        choices=[("", "Not a current student")] + [(str(y), f"MS{y}") for y in range(1, 5)],
        coerce=int, empty_value=None, required=False, label="Class year",
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address to invite")


class PreferencesForm(forms.Form):
    reminder_offsets_hours = forms.CharField(
        required=False,
        label="Reminders before a session (hours)",
        help_text="Comma-separated, e.g. 24, 1. Leave empty for no reminders.",
    )
    wanted_emails = forms.MultipleChoiceField(
        choices=EMAIL_CATEGORIES, required=False, widget=forms.CheckboxSelectMultiple, label="Emails I want"
    )
    email_opt_out = forms.BooleanField(
        required=False,
        label="No non-essential email at all",
        help_text="Account emails (sign-in, password, mentor decisions) still arrive.",
    )

    def clean_reminder_offsets_hours(self) -> list[int]:
        raw = self.cleaned_data["reminder_offsets_hours"]
        parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
        try:
            return [int(p) for p in parts]
        except ValueError as exc:
            raise forms.ValidationError("Enter whole numbers of hours separated by commas, e.g. 24, 1.") from exc

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        return {
            "reminder_offsets_hours": ", ".join(str(h) for h in user.reminder_offsets_hours),
            "wanted_emails": [key for key, _ in EMAIL_CATEGORIES if key not in user.muted_email_categories],
            "email_opt_out": user.email_opt_out,
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, label="Your password, to confirm")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class SchoolLoginForm(LoginForm):
    """allauth's sign-in form; with SSO_ONLY only the break-glass accounts may use a password."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        user = getattr(self, "user", None)
        if user is not None and not password_sign_in_allowed(user):
            raise forms.ValidationError(
                f"Students sign in with {settings.SSO_SCHOOL_NAME}: use the “Sign in with "
                f"{settings.SSO_SCHOOL_NAME}” button above."
            )
        return cleaned
