"""The survey's part of a user's data export and of account deletion (accounts.services.privacy_modules).

Deletion keeps the numbers the program's aggregates need (ratings, Likert and yes/no answers,
confidence) and removes what the person wrote: free-text answers go, and so do their consents
to share and quote (nothing of theirs is quoted any more).
"""

from typing import TYPE_CHECKING, Any

from django.db import transaction

from feedback.models import ConfidenceBefore, SurveyAnswer, SurveyResponse

if TYPE_CHECKING:
    from accounts.models import User


def export_user_data(user: "User") -> dict[str, list[dict[str, Any]]]:
    responses = SurveyResponse.objects.filter(mentee=user).select_related("occurrence__series", "rating")
    return {
        "survey_answers": [
            {
                "session": r.occurrence.series.title,
                "starts_at": r.occurrence.starts_at.isoformat(),
                "rating": r.rating.score,
                "confidence_after": r.confidence_after,
                "share_comments_with_mentor": r.share_comments_with_mentor,
                "allow_quote": r.allow_quote,
                "submitted_at": r.submitted_at.isoformat(),
                "answers": [
                    {"question": a.question.text, "score": a.score, "yes": a.yes, "text": a.text}
                    for a in r.answers.select_related("question")
                ],
            }
            for r in responses
        ],
        "confidence_before": [
            {"session": c.occurrence.series.title, "score": c.score, "source": c.source, "given_at": c.given_at.isoformat()}
            for c in ConfidenceBefore.objects.filter(mentee=user).select_related("occurrence__series")
        ],
    }


def erase_user_data(user: "User") -> None:
    with transaction.atomic():
        SurveyAnswer.objects.filter(response__mentee=user).exclude(text="").delete()
        SurveyResponse.objects.filter(mentee=user).update(share_comments_with_mentor=False, allow_quote=False)
