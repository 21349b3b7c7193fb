from django import forms

from subjects.models import Subject


class SubjectForm(forms.Form):
    name = forms.CharField(label="Subject name", max_length=80)
    category = forms.ChoiceField(label="Category", choices=Subject.Category.choices)


class RenameSubjectForm(forms.Form):
    name = forms.CharField(label="New name", max_length=80)
