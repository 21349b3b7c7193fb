"""Forms of the program's pages: the shape of the input; the calendar's rules live in program.services."""

import re
import secrets
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet

from core import forms as shared_fields
from core.text import SingleLineField
from program.models import (
    EARLIEST_DAY,
    LATEST_DAY,
    NAME_MAX_LENGTH,
    SCALED_SCORE_MAX,
    Announcement,
    Exam,
    ProgramRules,
    Term,
)
from sessions.models import ReviewSeries
from subjects.models import Subject

if TYPE_CHECKING:
    from sessions.models import Occurrence

CLASS_YEARS = [(1, "MS1"), (2, "MS2"), (3, "MS3"), (4, "MS4")]


class DateInput(forms.DateInput):
    input_type = "date"


def check_calendar_day(value: date) -> None:
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise forms.ValidationError(
            f"Give a date between {EARLIEST_DAY:%Y} and {LATEST_DAY:%Y}.", code="out_of_range"
        )


class CalendarDayField(forms.DateField):
    """A day of the academic calendar, between EARLIEST_DAY and LATEST_DAY (no year 9999)."""

    widget = DateInput
    default_validators = [check_calendar_day]


class HolidayForm(forms.Form):
    name = SingleLineField(max_length=NAME_MAX_LENGTH)
    first_day = CalendarDayField()
    last_day = CalendarDayField(help_text="The same as the first day for a single day.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", f"The last day ({last:%d %B %Y}) is before the first day ({first:%d %B %Y}).")
        return cleaned


class TermForm(HolidayForm):
    name = SingleLineField(max_length=80, help_text="For example “Spring 2027”.")


class ExamForm(HolidayForm):
    kind = forms.ChoiceField(choices=Exam.Kind.choices, initial=Exam.Kind.BLOCK,
                             help_text="Block exams are the calendar's exam blocks: new series skip their days.")
    scale = forms.ChoiceField(choices=Exam.Scale.choices, initial=Exam.Scale.PERCENT)
    scale_min = forms.IntegerField(required=False, min_value=0, max_value=SCALED_SCORE_MAX, label="Lowest score",
                                   help_text="Scaled scores only (e.g. 1).")
    scale_max = forms.IntegerField(required=False, min_value=1, max_value=SCALED_SCORE_MAX, label="Highest score",
                                   help_text=f"Scaled scores only (e.g. 300; at most {SCALED_SCORE_MAX}).")
    subjects = shared_fields.ModelMultipleChoiceField(
        queryset=Subject.objects.active(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="What the exam covers: mentees see review sessions in these subjects before it.",
    )  # fmt: skip

    field_order = ["name", "kind", "scale", "scale_min", "scale_max", "first_day", "last_day", "subjects"]


class CalendarUploadForm(forms.Form):
    file = forms.FileField(label="iCalendar file (.ics)", help_text="Exported from the school's calendar; at most 2 MB.")


class CancelHolidaySessionsForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Booked mentees see it in their email.")
    occurrences = forms.TypedMultipleChoiceField(coerce=int, widget=forms.CheckboxSelectMultiple,
                                                 label="Sessions to cancel")

    def __init__(self, *args: Any, sessions: Sequence["Occurrence"] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(occ.pk, f"{occ.series.title} ({occ.series.mentor.display_name})") for occ in sessions]
        field = self.fields["occurrences"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices
        field.initial = [pk for pk, _ in choices]


FORM_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


class AnnouncementForm(forms.Form):
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    audience = forms.ChoiceField(choices=Announcement.Audience.choices, widget=forms.RadioSelect)
    class_year = forms.TypedChoiceField(choices=[("", "—"), *CLASS_YEARS], coerce=int, required=False,
                                        empty_value=None, help_text="For “One class year”.")
    subject = shared_fields.ModelChoiceField(queryset=Subject.objects.active(), required=False,
                                             help_text="For “Attendees of a subject's sessions”.")
    term = shared_fields.ModelChoiceField(queryset=Term.objects.all(), required=False,
                                          help_text="For “Attendees of a subject's sessions”; empty: the current term.")
    series = shared_fields.ModelChoiceField(queryset=ReviewSeries.objects.none(), required=False,
                                            help_text="For “One series' booked mentees”.")
    title = SingleLineField(max_length=150, label="Subject line")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=5000, label="Message")
    essential = forms.BooleanField(
        required=False, label="Essential (sent also to people who opted out of non-essential email; logged)",
    )

    def __init__(
        self, *args: Any, series_choices: "QuerySet[ReviewSeries] | None" = None, admin: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        series = self.fields["series"]
        assert isinstance(series, forms.ModelChoiceField)
        series.queryset = series_choices if series_choices is not None else ReviewSeries.objects.none()
        if not self.is_bound and not self.initial.get("form_key"):
            self.initial["form_key"] = secrets.token_urlsafe(24)
        # `admin=False` (a mentor) offers only their own series; the service checks the sender either way.
        if not admin:
            for name in ("class_year", "subject", "term", "essential"):
                del self.fields[name]
            audience = self.fields["audience"]
            assert isinstance(audience, forms.ChoiceField)
            audience.choices = [(Announcement.Audience.SERIES, Announcement.Audience.SERIES.label)]
            audience.initial = Announcement.Audience.SERIES

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        audience = cleaned.get("audience")
        if audience == Announcement.Audience.CLASS_YEAR and not cleaned.get("class_year"):
            self.add_error("class_year", "Choose the class year.")
        if audience == Announcement.Audience.SUBJECT_TERM and not cleaned.get("subject"):
            self.add_error("subject", "Choose the subject.")
        if audience == Announcement.Audience.SERIES and not cleaned.get("series"):
            self.add_error("series", "Choose the series.")
        return cleaned

    def clean_form_key(self) -> str:
        """The draft's idempotency key, as the page made it (token_urlsafe); anything else (a post
        made by hand) gets a fresh key, so the draft is kept and only a resubmit of it is not merged."""
        key = self.cleaned_data["form_key"]
        return key if FORM_KEY.fullmatch(key) else secrets.token_urlsafe(24)


class ProgramRulesForm(forms.Form):
    no_show_limit = forms.IntegerField(
        required=False,
        label="No-show limit per term",
        help_text="After this many no-shows in a term, new bookings are refused until an admin clears them. "
        "Excused absences never count. Empty: off.",
    )
    late_cancellation_counts_as_no_show = forms.BooleanField(
        required=False, label="Late cancellations count as no-shows"
    )
    weekly_booking_cap = forms.IntegerField(
        required=False,
        label="Weekly booking cap",
        help_text="Most sessions one mentee may have booked in one week (Monday to Sunday). Empty: no cap.",
    )
    waitlist_mode = forms.ChoiceField(choices=ProgramRules.WaitlistMode.choices, widget=forms.RadioSelect)
    offer_hold_hours = forms.IntegerField(
        label="Offer hold (hours)",
        help_text="In offer mode, how long a freed seat is held for the first in line (1 to 72); "
        "shortened automatically close to the start.",
    )

    @classmethod
    def for_rules(cls, rules: ProgramRules) -> "ProgramRulesForm":
        return cls(
            initial={
                "no_show_limit": rules.no_show_limit,
                "late_cancellation_counts_as_no_show": rules.late_cancellation_counts_as_no_show,
                "weekly_booking_cap": rules.weekly_booking_cap,
                "waitlist_mode": rules.waitlist_mode,
                "offer_hold_hours": rules.offer_hold_hours,
            }
        )
