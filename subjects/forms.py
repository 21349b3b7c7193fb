from django import forms

from core.text import SingleLineField
from subjects.models import Subject


class SubjectForm(forms.Form):
    name = SingleLineField(label="Subject name", max_length=80)
    category = forms.ChoiceField(label="Category", choices=Subject.Category.choices)


class RenameSubjectForm(forms.Form):
    name = SingleLineField(label="New name", max_length=80)
