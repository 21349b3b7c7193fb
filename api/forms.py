from django import forms

from api.models import ApiToken
from core.text import SingleLineField


class ApiTokenForm(forms.Form):
    name = SingleLineField(max_length=100, help_text="The system that will use it, e.g. “Advising (Starfish)”.")
    access = forms.ChoiceField(
        choices=ApiToken.Access.choices, initial=ApiToken.Access.READ, widget=forms.RadioSelect,
        help_text="Read: sessions, occurrences and program figures. Read and write: also roster upserts (create and update students).",
    )  # fmt: skip
    education_records = forms.BooleanField(
        required=False, label="May read students' bookings and attendance (education records)",
        help_text="Only for a system with a legitimate educational interest, such as advising; every read is logged.",
    )  # fmt: skip
