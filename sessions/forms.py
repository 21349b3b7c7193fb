"""Forms of the sessions pages: the shape of the input only; the rules live in services."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User, display_name_for
from core import forms as shared_fields
from core.text import SingleLineField
from program.models import Term
from program.selectors import dates_for_term, terms_to_publish_in
from sessions.models import (
    MAX_DURATION_MINUTES,
    MAX_SEATS,
    MAX_SERIES_DAYS,
    PLANNING_HORIZON,
    WEEKDAYS,
    Attendance,
    Booking,
)
from sessions.selectors import TIMES_OF_DAY
from subjects.models import Subject

CLASS_YEARS = [(1, "MS1"), (2, "MS2"), (3, "MS3"), (4, "MS4")]


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


MAX_SKIP_DATES = 60


def term_date_range() -> tuple[date, date]:
    """The dates a mentor can name: from a year back (cancel from...) to two years ahead."""
    today = timezone.localdate()
    return today - timedelta(days=366), today + PLANNING_HORIZON


def check_term_date(value: date) -> None:
    first, last = term_date_range()
    if value < first:
        raise forms.ValidationError(
            f"{value:%d %B %Y} is too far in the past: choose a date from {first:%d %B %Y} on.", code="out_of_range"
        )
    if value > last:
        raise forms.ValidationError(f"Choose a date up to {last:%d %B %Y} (two years ahead).", code="out_of_range")


class TermDateField(forms.DateField):
    """A date of the program's calendar, within term_date_range() (9999-12-31 used to answer 500)."""

    widget = DateInput
    default_validators = [check_term_date]


def duration_field(**kwargs: Any) -> forms.IntegerField:
    message = f"The duration must be between 1 and {MAX_DURATION_MINUTES} minutes (8 hours)."
    return forms.IntegerField(
        label="Duration (minutes)", min_value=1, max_value=MAX_DURATION_MINUTES,
        help_text=f"At most {MAX_DURATION_MINUTES} minutes (8 hours).",
        error_messages={"min_value": message, "max_value": message}, **kwargs
    )


def seats_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1, max_value=MAX_SEATS, help_text=f"1 to {MAX_SEATS}.",
        error_messages={"min_value": "A session needs at least one seat.",
                        "max_value": f"A session can have at most {MAX_SEATS} seats."},
        **kwargs,
    )


def notes_field(label: str, *, rows: int = 2, max_length: int = 4000, help_text: str = "") -> forms.CharField:
    """An optional free-text box of the attendance and notes form."""
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": rows}), required=False, max_length=max_length, label=label,
        help_text=help_text,
    )


class DatesInput(forms.Textarea):
    """A list of dates typed as YYYY-MM-DD; static/js/forms.js adds a date picker with "Add date"
    beside it (data-date-adder). The example dates lie in the coming weeks, not in the past."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"rows": 2, "data-date-adder": "", **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        today = timezone.localdate()
        first, last = term_date_range()
        attrs = {
            "placeholder": f"e.g. {today + timedelta(weeks=3):%Y-%m-%d}, {today + timedelta(weeks=7):%Y-%m-%d}",
            "data-min": first.isoformat(), "data-max": last.isoformat(), **(attrs or {}),
        }
        return super().get_context(name, value, attrs)


class DatesField(forms.Field):
    """Dates separated by commas, spaces or new lines (YYYY-MM-DD)."""

    widget = DatesInput

    def to_python(self, value: object) -> list[date]:
        text = "" if value in self.empty_values else str(value)
        dates = []
        for part in text.replace(",", " ").split():
            try:
                dates.append(date.fromisoformat(part))
            except ValueError:
                raise forms.ValidationError(f"“{part}” is not a date (use YYYY-MM-DD).") from None
        if len(dates) > MAX_SKIP_DATES:
            raise forms.ValidationError(f"Give at most {MAX_SKIP_DATES} dates.")
        for day in dates:
            check_term_date(day)
        return dates


class SeriesForm(forms.Form):
    term = shared_fields.ModelChoiceField(
        queryset=Term.objects.none(),
        required=False,
        empty_label="No term: I give the dates",
        help_text="Fills the first and last date and the dates to skip (holidays, block exam days on the weekday) "
        "from the academic calendar; you can still change them. Dates left empty are filled when you publish.",
    )
    subject = shared_fields.ModelChoiceField(queryset=Subject.objects.active())
    title = SingleLineField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(widget=TimeInput, help_text="Local time; it stays the same across daylight saving.")
    duration_minutes = duration_field(initial=90)
    seats = seats_field(initial=8)
    location = SingleLineField(label="Room", max_length=200, required=False)
    video_link = forms.URLField(max_length=500, required=False, assume_scheme="https")
    first_date = TermDateField(label="First date of the term", required=False)
    last_date = TermDateField(label="Last date of the term", required=False, help_text="At most a year after the first date.")
    skip_dates = DatesField(
        required=False, label="Dates to skip",
        help_text="Exam weeks, holidays: pick each date and press Add date, or type them as YYYY-MM-DD, separated by commas.",
    )
    allowed_class_years = forms.TypedMultipleChoiceField(
        choices=CLASS_YEARS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Open to",
        help_text="Leave empty for every class year below yours.",
    )
    matched_mentees_only = forms.BooleanField(required=False, label="Only my matched mentees")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms_to_publish_in(timezone.localdate())  # type: ignore[attr-defined]

    @classmethod
    def initial_filled_from_term(cls, data: "QueryDict") -> dict[str, Any]:
        """The typed values, with the dates of the chosen term put in (the "Fill from term" button)."""
        initial: dict[str, Any] = {k: data.getlist(k) if k == "allowed_class_years" else data.get(k) for k in data}
        initial.pop("csrfmiddlewaretoken", None)
        form = cls(data)
        try:
            term = form.fields["term"].clean(data.get("term"))
        except ValidationError:  # no term, or one that cannot be published in: the typed values stay
            term = None
        if term is not None:
            weekday = data.get("weekday", "")
            day = int(weekday) if weekday in {str(n) for n in range(7)} else None
            dates = dates_for_term(term, weekday=day, today=timezone.localdate())
            initial.update(first_date=dates.first_date, last_date=dates.last_date,
                           skip_dates=", ".join(d.isoformat() for d in dates.skip_dates))  # fmt: skip
        return initial

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        term = cleaned.get("term")
        if term is not None and "weekday" in cleaned:
            # Dates left empty come from the term (the same as "Fill from term", for pages without JS).
            dates = dates_for_term(term, weekday=cleaned["weekday"], today=timezone.localdate())
            if not cleaned.get("first_date") and "first_date" not in self.errors:
                cleaned["first_date"] = dates.first_date
            if not cleaned.get("last_date") and "last_date" not in self.errors:
                cleaned["last_date"] = dates.last_date
            if not self.data.get("skip_dates", "").strip() and "skip_dates" not in self.errors:
                cleaned["skip_dates"] = dates.skip_dates
        for name in ("first_date", "last_date"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, "Give the date, or pick a term to fill it from the calendar.")
        first, last = cleaned.get("first_date"), cleaned.get("last_date")
        if first and last:
            if last < first:
                self.add_error("last_date", "The last date is before the first date.")
            elif (last - first).days > MAX_SERIES_DAYS:
                self.add_error("last_date", "A series can run for at most a year; publish a new one next term.")
        return cleaned


class OccurrenceEditForm(forms.Form):
    date = TermDateField()
    start_time = forms.TimeField(widget=TimeInput, help_text="Program local time.")
    duration_minutes = duration_field()
    seats = seats_field()
    location = SingleLineField(label="Room", max_length=200, required=False)
    video_link = forms.URLField(max_length=500, required=False, assume_scheme="https")


class SeriesEditForm(forms.Form):
    from_date = TermDateField(label="Apply from", help_text="This date and every later session.")
    title = SingleLineField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)
    start_time = forms.TimeField(widget=TimeInput)
    duration_minutes = duration_field()
    seats = seats_field()
    location = SingleLineField(label="Room", max_length=200, required=False)
    video_link = forms.URLField(max_length=500, required=False, assume_scheme="https")


class CancelOccurrenceForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text="Booked mentees see it.")


class CancelSeriesForm(forms.Form):
    from_date = TermDateField(label="Cancel from", help_text="This date and every later session.")
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text="Booked mentees see it.")


class BrowseForm(forms.Form):
    subject = shared_fields.ModelChoiceField(
        queryset=Subject.objects.active(), required=False, empty_label="Any subject", widget=shared_fields.WrittenSelect
    )
    mentor = shared_fields.ModelChoiceField(
        queryset=User.objects.filter(is_mentor=True).order_by("first_name", "last_name"),
        required=False,
        empty_label="Any mentor",
        widget=shared_fields.WrittenSelect,
    )
    weekday = forms.TypedChoiceField(
        choices=[("", "Any day"), *WEEKDAYS], coerce=int, required=False, empty_value=None, widget=shared_fields.WrittenSelect
    )
    time_of_day = forms.ChoiceField(
        choices=[("", "Any time")] + [(k, k.capitalize()) for k in TIMES_OF_DAY], required=False,
        widget=shared_fields.WrittenSelect,
    )  # fmt: skip
    with_seats = forms.BooleanField(required=False, label="Only with seats left")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-check-input" if name == "with_seats" else "form-select form-select-sm"
        # The options from three columns rather than 200 User rows, handed to the widget as they are
        # (flat pairs, no normalising pass); the field's queryset still validates a choice.
        mentor = self.fields["mentor"]
        assert isinstance(mentor, forms.ModelChoiceField)
        names = mentor.queryset.values_list("pk", "first_name", "last_name", "email")  # type: ignore[union-attr]
        mentor.widget.choices = [("", mentor.empty_label), *((pk, display_name_for(*name)) for pk, *name in names)]


class RecordForm(forms.Form):
    """Attendance for each booked mentee plus the outcome note."""

    walk_ins = forms.CharField(
        required=False,
        label="Walk-ins",
        help_text="Email addresses of mentees who came without a booking, separated by commas.",
        widget=forms.TextInput(attrs={"placeholder": "name@school.edu"}),
    )
    topics = notes_field("Topics covered — only you and program admins")
    private_notes = notes_field(
        "Outcome notes — only you and program admins", rows=4, max_length=8000, help_text="Up to 8,000 characters."
    )
    follow_ups = notes_field("Follow-ups — only you and program admins")
    note_to_attendees = notes_field(
        "Note to attendees — shared with attendees",
        help_text="The mentees who attended read it on their sessions page.",
    )

    def __init__(self, *args: Any, roster: Iterable[Booking] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roster = list(roster)
        for booking in self.roster:
            self.fields[f"attendance_{booking.mentee_id}"] = forms.ChoiceField(
                label=booking.mentee.display_name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
            )

    def attendance_fields(self) -> list[forms.BoundField]:
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


class ClearNoShowsForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Note (why they are cleared; kept with your name)",
    )
