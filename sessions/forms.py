"""Forms of the sessions pages: the shape of the input only; the rules live in services."""

from datetime import date

from django import forms

from accounts.models import User
from accounts.text import SingleLineField
from sessions.models import WEEKDAYS, Attendance
from sessions.selectors import TIMES_OF_DAY
from subjects.models import Subject

CLASS_YEARS = [(1, "MS1"), (2, "MS2"), (3, "MS3"), (4, "MS4")]


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class DatesField(forms.CharField):
    """Dates separated by commas, spaces or new lines (YYYY-MM-DD)."""

    widget = forms.Textarea(attrs={"rows": 2, "placeholder": "2026-03-17, 2026-04-14"})

    def to_python(self, value) -> list[date]:
        value = super().to_python(value) or ""
        dates = []
        for part in value.replace(",", " ").split():
            try:
                dates.append(date.fromisoformat(part))
            except ValueError:
                raise forms.ValidationError(f"“{part}” is not a date (use YYYY-MM-DD).") from None
        return dates


class SeriesForm(forms.Form):
    subject = forms.ModelChoiceField(queryset=Subject.objects.active())
    title = SingleLineField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(widget=TimeInput, help_text="Local time; it stays the same across daylight saving.")
    duration_minutes = forms.IntegerField(label="Duration (minutes)", initial=90)
    seats = forms.IntegerField(initial=8)
    location = SingleLineField(label="Room", max_length=200, required=False)
    video_link = forms.URLField(max_length=500, required=False, assume_scheme="https")
    first_date = forms.DateField(widget=DateInput, label="First date of the term")
    last_date = forms.DateField(widget=DateInput, label="Last date of the term")
    skip_dates = DatesField(required=False, label="Dates to skip", help_text="Exam weeks, holidays.")
    allowed_class_years = forms.TypedMultipleChoiceField(
        choices=CLASS_YEARS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Open to",
        help_text="Leave empty for every class year below yours.",
    )
    matched_mentees_only = forms.BooleanField(required=False, label="Only my matched mentees")


class OccurrenceEditForm(forms.Form):
    date = forms.DateField(widget=DateInput)
    start_time = forms.TimeField(widget=TimeInput, help_text="Program local time.")
    duration_minutes = forms.IntegerField(label="Duration (minutes)")
    seats = forms.IntegerField()
    location = SingleLineField(label="Room", max_length=200, required=False)
    video_link = forms.URLField(max_length=500, required=False, assume_scheme="https")


class SeriesEditForm(forms.Form):
    from_date = forms.DateField(widget=DateInput, label="Apply from", help_text="This date and every later session.")
    title = SingleLineField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)
    start_time = forms.TimeField(widget=TimeInput)
    duration_minutes = forms.IntegerField(label="Duration (minutes)")
    seats = forms.IntegerField()
    location = SingleLineField(label="Room", max_length=200, required=False)
    video_link = forms.URLField(max_length=500, required=False, assume_scheme="https")


class CancelOccurrenceForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text="Booked mentees see it.")


class CancelSeriesForm(forms.Form):
    from_date = forms.DateField(widget=DateInput, label="Cancel from", help_text="This date and every later session.")
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text="Booked mentees see it.")


class BrowseForm(forms.Form):
    subject = forms.ModelChoiceField(queryset=Subject.objects.active(), required=False, empty_label="Any subject")
    mentor = forms.ModelChoiceField(
        queryset=User.objects.filter(is_mentor=True).order_by("first_name", "last_name"),
        required=False,
        empty_label="Any mentor",
    )
    weekday = forms.TypedChoiceField(choices=[("", "Any day"), *WEEKDAYS], coerce=int, required=False, empty_value=None)
    time_of_day = forms.ChoiceField(
        choices=[("", "Any time")] + [(k, k.capitalize()) for k in TIMES_OF_DAY], required=False
    )
    with_seats = forms.BooleanField(required=False, label="Only with seats left")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-check-input" if name == "with_seats" else "form-select form-select-sm"


class RecordForm(forms.Form):
    """Attendance for each booked mentee plus the outcome note."""

    walk_ins = forms.CharField(
        required=False,
        label="Walk-ins",
        help_text="Email addresses of mentees who came without a booking, separated by commas.",
        widget=forms.TextInput(attrs={"placeholder": "name@school.edu"}),
    )
    topics = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000)
    private_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=8000,
        label="Outcome notes (private)",
        help_text="Only you and the program admins can read these.",
    )
    follow_ups = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000)
    note_to_attendees = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
        help_text="Shared with the mentees who attended.",
    )

    def __init__(self, *args, roster=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = list(roster)
        for booking in self.roster:
            self.fields[f"attendance_{booking.mentee_id}"] = forms.ChoiceField(
                label=booking.mentee.display_name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
            )

    def attendance_fields(self):
        return [self[f"attendance_{b.mentee_id}"] for b in self.roster]

    def clean_walk_ins(self) -> list[User]:
        emails = [e.strip().lower() for e in self.cleaned_data["walk_ins"].replace(";", ",").split(",") if e.strip()]
        people = {u.email: u for u in User.objects.filter(email__in=emails)}
        unknown = [e for e in emails if e not in people]
        if unknown:
            raise forms.ValidationError(f"No student with the email {', '.join(unknown)}.")
        return [people[e] for e in emails]

    def statuses(self) -> dict[int, str]:
        return {b.mentee_id: self.cleaned_data[f"attendance_{b.mentee_id}"] for b in self.roster}


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=[(i, str(i)) for i in range(1, 6)], coerce=int, widget=forms.RadioSelect, label="Your rating (1 to 5)"
    )
    feedback = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
