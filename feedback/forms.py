"""Forms of the session survey: shape only; the rules are the services'."""

from typing import Any

from django import forms

from core.text import SingleLineField
from feedback.models import ANSWER_TEXT_MAX_LENGTH, CONFIDENCE_CHOICES, QUESTION_MAX_LENGTH, SurveyQuestion

ONE_TO_FIVE = [(i, str(i)) for i in range(1, 6)]


class QuestionForm(forms.Form):
    text = SingleLineField(max_length=QUESTION_MAX_LENGTH, label="Question")
    kind = forms.ChoiceField(choices=SurveyQuestion.Kind.choices, label="Answer")


class ConfidenceForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=CONFIDENCE_CHOICES, coerce=int, widget=forms.RadioSelect, label="How confident are you in this topic now?"
    )


class SurveyForm(forms.Form):
    """The built-in rating, confidence after, one field per active question, and the two consents."""

    rating = forms.TypedChoiceField(
        choices=ONE_TO_FIVE, coerce=int, widget=forms.RadioSelect, label="How would you rate this session? (1 to 5)"
    )
    confidence_after = forms.TypedChoiceField(
        choices=[("", "Skip"), *CONFIDENCE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        label="How confident are you in the topic now?",
    )
    share_comments_with_mentor = forms.BooleanField(
        required=False,
        label="Let the mentor read my comments (without my name)",
        help_text="Program admins read every answer. The mentor sees only totals, and your comments if you tick this.",
    )
    allow_quote = forms.BooleanField(
        required=False,
        label="My comments may be quoted (without my name) in the mentor's teaching record",
    )

    def __init__(self, *args: Any, questions: list[SurveyQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            name = f"question_{q.pk}"
            if q.kind == SurveyQuestion.Kind.LIKERT:
                self.fields[name] = forms.TypedChoiceField(
                    choices=[("", "Skip"), *ONE_TO_FIVE], coerce=int, empty_value=None, required=False,
                    widget=forms.RadioSelect, label=q.text,
                )  # fmt: skip
            elif q.kind == SurveyQuestion.Kind.YES_NO:
                self.fields[name] = forms.TypedChoiceField(
                    choices=[("", "Skip"), ("yes", "Yes"), ("no", "No")], coerce=lambda v: v == "yes",
                    empty_value=None, required=False, widget=forms.RadioSelect, label=q.text,
                )  # fmt: skip
            else:
                self.fields[name] = forms.CharField(
                    required=False, max_length=ANSWER_TEXT_MAX_LENGTH, label=q.text,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )  # fmt: skip

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"question_{q.pk}"] for q in self.questions]

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"question_{q.pk}") for q in self.questions}
