"""Forms of the matching pages: shape only; the services decide what is allowed."""

from django import forms

from core import forms as shared_fields
from subjects.models import Subject


class MentorshipRequestForm(forms.Form):
    message = forms.CharField(
        label="Message to the mentor",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: what you would like help with.",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class StartRoundForm(forms.Form):
    subject = shared_fields.ModelChoiceField(
        queryset=Subject.objects.active(), required=False, empty_label="All subjects", label="Subject"
    )
    class_year = forms.TypedChoiceField(
        choices=[("", "All years"), (1, "MS1"), (2, "MS2"), (3, "MS3"), (4, "MS4")],
        coerce=int, empty_value=None, required=False, label="Class year",
    )
