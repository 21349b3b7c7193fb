from django import forms

from core.text import SingleLineField
from feedback.models import CONFIDENCE_CHOICES


class CheckInForm(forms.Form):
    code = SingleLineField(
        max_length=12,
        label="Code on the mentor's screen",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )
    confidence = forms.TypedChoiceField(
        choices=[("", "Skip"), *CONFIDENCE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        label="How confident are you in today's topic? (optional)",
    )

    def __init__(self, *args: object, ask_confidence: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not ask_confidence:
            del self.fields["confidence"]
