from typing import Any

from django import forms

from core.text import SingleLineField
from teaching.models import ERAS_DESCRIPTION_LIMIT, MAX_VALIDITY_MONTHS, NOTE_MAX_LENGTH


class EndorseForm(forms.Form):
    term = SingleLineField(widget=forms.HiddenInput, help_text="first_day..last_day")
    note = SingleLineField(
        required=False, max_length=NOTE_MAX_LENGTH,
        label="Note (optional)", help_text="Shown on the certificate.",
    )  # fmt: skip

    def clean_term(self) -> tuple:
        from datetime import date

        first, _, last = self.cleaned_data["term"].partition("..")
        try:
            return date.fromisoformat(first), date.fromisoformat(last)
        except ValueError as exc:
            raise forms.ValidationError("Choose a term from the list.") from exc


class BrowserCountedText(forms.CharField):
    """Text whose line breaks count one character each, as the browser's counter and maxlength count
    them (a browser sends each as CR LF)."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n")


class ExperienceForm(forms.Form):
    text = BrowserCountedText(
        label="Experience description",
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": ERAS_DESCRIPTION_LIMIT, "data-counter": "experience-count"}),
        max_length=ERAS_DESCRIPTION_LIMIT,
        help_text=f"At most {ERAS_DESCRIPTION_LIMIT} characters, the MyERAS limit for an experience description.",
    )


class RequirementForm(forms.Form):
    name = SingleLineField(max_length=120)
    description = SingleLineField(max_length=300, required=False)
    valid_for_months = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_VALIDITY_MONTHS, label="Valid for (months)",
        help_text="Empty: a completion never expires.",
    )  # fmt: skip
    active = forms.BooleanField(required=False, initial=True, label="Required before publishing")


class CompletionForm(forms.Form):
    completed_on = forms.DateField(label="Completed on", widget=forms.DateInput(attrs={"type": "date"}))
