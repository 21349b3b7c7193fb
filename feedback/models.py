"""The session survey a program configures, the mentees' answers, and confidence before and after.

- The survey's first, built-in question is the 1-5 rating, stored as it always was in
  `sessions.models.Rating` (existing ratings kept; other reports read it). A `SurveyResponse`
  points at that Rating and holds the rest: confidence after, consents, and one `SurveyAnswer`
  per configured question.
- `SurveyQuestion`: Likert 1-5, yes/no or free text, ordered by `position`. A question with
  answers is retired (never deleted, PROTECT), so old answers keep their question.
- `ConfidenceBefore`: the mentee's confidence in the session's topic (1-5) given when booking
  or at check-in; the survey asks again (`SurveyResponse.confidence_after`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.text import validate_single_line

QUESTION_MAX_LENGTH = 200
ANSWER_TEXT_MAX_LENGTH = 2000
ONE_TO_FIVE = Q(score__gte=1, score__lte=5)
CONFIDENCE_CHOICES = [
    (1, "1 – not at all confident"), (2, "2"), (3, "3 – somewhat"), (4, "4"), (5, "5 – very confident"),
]  # fmt: skip


class SurveyQuestionQuerySet(models.QuerySet["SurveyQuestion"]):
    def active(self) -> "SurveyQuestionQuerySet":
        return self.filter(retired_at__isnull=True)


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Scale 1 to 5"
        YES_NO = "yes_no", "Yes or no"
        TEXT = "text", "Free text"

    text = models.CharField(max_length=QUESTION_MAX_LENGTH, validators=[validate_single_line])
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = SurveyQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["likert", "yes_no", "text"]), name="survey_question_kind_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="survey_question_has_text"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class SurveyResponse(models.Model):
    """One mentee's answers about one occurrence they attended: once, editable for a while."""

    occurrence = models.ForeignKey("review_sessions.Occurrence", on_delete=models.CASCADE, related_name="survey_responses")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses")
    rating = models.OneToOneField("review_sessions.Rating", on_delete=models.CASCADE, related_name="survey_response")
    confidence_after = models.PositiveSmallIntegerField(null=True, blank=True)
    # Consents: free text reaches the mentor (anonymously) / may be quoted in the mentor's teaching record.
    share_comments_with_mentor = models.BooleanField(default=False)
    allow_quote = models.BooleanField(default=False)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "mentee"], name="survey_response_once_per_mentee"),
            models.CheckConstraint(
                condition=Q(confidence_after__isnull=True) | Q(confidence_after__gte=1, confidence_after__lte=5),
                name="survey_confidence_after_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(allow_quote=False) | Q(share_comments_with_mentor=True), name="survey_quote_needs_sharing"
            ),
            models.CheckConstraint(condition=Q(updated_at__gte=models.F("submitted_at")), name="survey_updated_after_submit"),
        ]

    def __str__(self) -> str:
        return f"Survey of {self.mentee_id} about occurrence {self.occurrence_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # Likert 1-5
    yes = models.BooleanField(null=True, blank=True)
    text = models.TextField(max_length=ANSWER_TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once_per_question"),
            models.CheckConstraint(condition=Q(score__isnull=True) | ONE_TO_FIVE, name="survey_answer_score_1_to_5"),
            # Exactly one kind of answer is filled in.
            models.CheckConstraint(
                condition=Q(score__isnull=False, yes__isnull=True, text="")
                | Q(score__isnull=True, yes__isnull=False, text="")
                | (Q(score__isnull=True, yes__isnull=True) & ~Q(text="")),
                name="survey_answer_one_value",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class ConfidenceBefore(models.Model):
    class Source(models.TextChoices):
        BOOKING = "booking", "When booking"
        CHECK_IN = "check_in", "At check-in"

    occurrence = models.ForeignKey("review_sessions.Occurrence", on_delete=models.CASCADE, related_name="confidence_before")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="confidence_before")
    score = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.BOOKING)
    given_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "mentee"], name="confidence_before_once_per_mentee"),
            models.CheckConstraint(condition=ONE_TO_FIVE, name="confidence_before_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} confident {self.score}/5 before occurrence {self.occurrence_id}"
