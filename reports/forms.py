from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User
from core import forms as shared_fields
from core.text import SingleLineField
from program.models import EARLIEST_DAY, LATEST_DAY, Exam
from reports.models import ExamResult
from reports.periods import current_term
from reports.selectors import person_name
from reports.selectors.impact_words import BAND_CHOICES
from reports.services import MAX_FILE_BYTES
from subjects.models import Subject

CLASS_YEARS = [("", "All class years"), *((str(y), f"MS{y}") for y in range(1, 5))]
MAX_RANGE = timedelta(days=3 * 366)
EARLIEST = date(2000, 1, 1)  # reports look back over past terms, not centuries


class MentorChoiceField(shared_fields.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_name(obj.first_name, obj.last_name, obj.email, obj.deleted_at)


# The mixin is a form for the type checker, a plain class at run time (no form of its own).
if TYPE_CHECKING:
    _FormBase = forms.Form
else:
    _FormBase = object


class InlineInputsMixin(_FormBase):
    """For a form shown in one row of inputs (the report's filters, outreach): Bootstrap's classes
    on every input, and is-invalid on the ones the bound data got wrong."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css


class ReportFilterForm(InlineInputsMixin, forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="To (included)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    subject = shared_fields.ModelChoiceField(
        Subject.objects.all(), required=False, empty_label="All subjects", widget=shared_fields.WrittenSelect
    )
    mentor = MentorChoiceField(
        # Only what the label reads: the whole user row (its JSON and dates) for 200 mentors on every view is not.
        User.objects.filter(review_series__isnull=False)
        .distinct()
        .order_by("first_name", "last_name", "pk")
        .only("pk", "first_name", "last_name", "email", "deleted_at"),
        required=False,
        empty_label="All mentors",
        widget=shared_fields.WrittenSelect,
    )
    class_year = forms.TypedChoiceField(
        label="Mentee class year", choices=CLASS_YEARS, coerce=int, required=False, empty_value=None,
        widget=shared_fields.WrittenSelect,
    )  # fmt: skip
    bands = forms.ChoiceField(
        label="Attendance bands (exams)", choices=[("", "Program default"), *BAND_CHOICES], required=False,
        widget=shared_fields.WrittenSelect,
    )  # fmt: skip

    @classmethod
    def from_query(cls, query: QueryDict) -> "ReportFilterForm":
        """Bound to the query string, the current term filling in missing dates."""
        term = current_term()
        data = query.copy()
        data.setdefault("start", term.start.isoformat())
        data.setdefault("end", term.end.isoformat())
        return cls(data)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start"), cleaned.get("end")
        latest = timezone.localdate() + timedelta(days=2 * 366)
        for name, day in (("start", start), ("end", end)):
            if day and not EARLIEST <= day <= latest:
                self.add_error(name, f"Choose a date between {EARLIEST:%d %B %Y} and {latest:%d %B %Y}.")
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end date is before the start date.")
            elif end - start > MAX_RANGE:
                self.add_error("end", "Choose a range of at most three years.")
        return cleaned


class ExamChoiceField(shared_fields.ModelChoiceField):
    def label_from_instance(self, obj: Exam) -> str:
        return f"{obj.name} ({obj.first_day:%d %b %Y}; {obj.scale_label()})"


class ExamUploadForm(forms.Form):
    exam = ExamChoiceField(
        Exam.objects.order_by("-first_day", "name"),
        required=False,
        empty_label="The file names its exams (columns exam name and exam date)",
        help_text="With an exam chosen the file needs the columns student email and score: a percent (0-100), "
        "a whole scaled score in the exam's range, or Pass/Fail for a pass/fail exam.",
    )
    file = forms.FileField(
        label="CSV file",
        help_text="One header row. Without a chosen exam: student email, exam name, exam date (YYYY-MM-DD), score.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:  # refused from its size, before it is read
            raise forms.ValidationError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it.")
        return upload


class OutreachForm(InlineInputsMixin, forms.Form):
    """Which exam, which subject, and the score below which a student struggled (GET: shape only)."""

    # Only exams with results can have students who struggled: the newest of those comes first.
    exam = ExamChoiceField(
        Exam.objects.filter(Exists(ExamResult.objects.filter(exam_id=OuterRef("pk")))).order_by("-first_day", "name"),
        empty_label=None,
    )
    subject = shared_fields.ModelChoiceField(Subject.objects.order_by("name"), empty_label=None)
    below = forms.DecimalField(
        label="Scored below", required=False, min_value=0, max_value=999, decimal_places=2,
        help_text="In the exam's units. Empty: the program's default share of the scale. Pass/fail exams: every fail.",
    )  # fmt: skip


class ResearchExportForm(forms.Form):
    first_day = forms.DateField(
        label="Exams sat from", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last_day = forms.DateField(
        label="Exams sat until (included)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    study = SingleLineField(
        label="Study and IRB approval",
        max_length=200,
        help_text="Written into the file's data-use statement, e.g. “Near-peer review and block scores, IRB #2026-0142”.",
    )
    confirm = forms.BooleanField(
        label="I confirm this export is for that IRB-approved study and will be kept under the data-use statement.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        first, last = self.cleaned_data.get("first_day"), self.cleaned_data.get("last_day")
        for name, day in (("first_day", first), ("last_day", last)):
            if day and not EARLIEST_DAY <= day <= LATEST_DAY:
                self.add_error(name, f"Choose a day between {EARLIEST_DAY.year} and {LATEST_DAY.year}.")
                first = last = None
        if first and last and last < first:
            self.add_error("last_day", "The last day is before the first day.")
        elif first and last and last - first > MAX_RANGE:
            self.add_error("last_day", "Choose a range of at most three years.")
        return self.cleaned_data
