"""Every non-trivial read of the session survey.

For other apps (the mentor's teaching record, the impact report):
- `confidence_gain(*, mentor=None, subject=None, first_day, last_day) -> (average gain | None, n)`
- `confidence_gain_by_subject(...)` / `confidence_gain_by_mentor(...) -> list[GainRow]`
- `quotable_comments(*, mentor, first_day=None, last_day=None) -> list[str]`: free text the
  mentees allowed to be quoted in the mentor's record (no names).
A gain is confidence after (the survey) minus confidence before (booking or check-in), for
mentees who gave both, of non-cancelled sessions starting within the days (program zone).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Avg, Count, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from feedback.models import ConfidenceBefore, SurveyAnswer, SurveyQuestion, SurveyResponse
from reports.periods import day_bounds
from sessions.models import Attendance, Occurrence, Rating, ReviewSeries

if TYPE_CHECKING:
    from accounts.models import User
    from subjects.models import Subject


# ---------------------------------------------------------------------------
# Confidence gain
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class GainRow:
    label: str
    average_gain: float | None
    n: int


def _gains(
    *, first_day: date, last_day: date, mentor: "User | None" = None, subject: "Subject | None" = None
) -> "QuerySet[SurveyResponse]":
    start, end = day_bounds(first_day, last_day)
    before = ConfidenceBefore.objects.filter(occurrence=OuterRef("occurrence"), mentee=OuterRef("mentee")).values("score")[:1]
    responses = SurveyResponse.objects.filter(
        occurrence__starts_at__gte=start,
        occurrence__starts_at__lt=end,
        occurrence__status=Occurrence.Status.SCHEDULED,
        confidence_after__isnull=False,
    )
    if mentor is not None:
        responses = responses.filter(occurrence__series__mentor=mentor)
    if subject is not None:
        responses = responses.filter(occurrence__series__subject=subject)
    return (
        responses.annotate(before=Subquery(before))
        .filter(before__isnull=False)
        .annotate(gain=F("confidence_after") - F("before"))
    )


def confidence_gain(
    *, mentor: "User | None" = None, subject: "Subject | None" = None, first_day: date, last_day: date
) -> tuple[float | None, int]:
    """The average confidence gain (after minus before, on 1-5) and how many answers it is from."""
    result = _gains(first_day=first_day, last_day=last_day, mentor=mentor, subject=subject).aggregate(
        average=Avg("gain"), n=Count("pk")
    )
    n = result["n"] or 0
    return (float(result["average"]) if n else None), n


def _gain_rows(key: str, label: str, *, first_day: date, last_day: date) -> list[GainRow]:
    rows = (
        _gains(first_day=first_day, last_day=last_day)
        .order_by()
        .values(key, label)
        .annotate(average=Avg("gain"), n=Count("pk"))
        .order_by(label, key)
    )
    return [GainRow(label=r[label] or "(deleted account)", average_gain=float(r["average"]), n=r["n"]) for r in rows]


def confidence_gain_by_subject(*, first_day: date, last_day: date) -> list[GainRow]:
    return _gain_rows("occurrence__series__subject", "occurrence__series__subject__name", first_day=first_day, last_day=last_day)


def confidence_gain_by_mentor(*, first_day: date, last_day: date) -> list[GainRow]:
    rows = _gain_rows("occurrence__series__mentor", "occurrence__series__mentor__email", first_day=first_day, last_day=last_day)
    # Named as the site names people (display name), looked up once for all rows.
    from accounts.models import User

    names = {u.email: u.display_name for u in User.objects.filter(email__in=[r.label for r in rows])}
    return [GainRow(label=names.get(r.label, r.label), average_gain=r.average_gain, n=r.n) for r in rows]


def quotable_comments(*, mentor: "User", first_day: date | None = None, last_day: date | None = None) -> list[str]:
    """Free-text answers the mentees allowed to be quoted in `mentor`'s record, without names, sorted."""
    answers = SurveyAnswer.objects.filter(
        response__occurrence__series__mentor=mentor, response__allow_quote=True, question__kind=SurveyQuestion.Kind.TEXT
    ).exclude(text="")
    if first_day is not None and last_day is not None:
        start, end = day_bounds(first_day, last_day)
        answers = answers.filter(response__occurrence__starts_at__gte=start, response__occurrence__starts_at__lt=end)
    return sorted(answers.values_list("text", flat=True))


# ---------------------------------------------------------------------------
# The mentee's survey
# ---------------------------------------------------------------------------
def pending_surveys(*, mentee: "User", now: datetime | None = None) -> list[Occurrence]:
    """Sessions the mentee attended and has not answered yet, still open, most recent first."""
    now = now or timezone.now()
    open_since = now - timedelta(days=settings.FEEDBACK_OPEN_DAYS)
    attended = Attendance.objects.filter(mentee=mentee, status=Attendance.Status.ATTENDED).values("occurrence")
    return list(
        Occurrence.objects.scheduled()
        .filter(pk__in=attended, ends_at__gte=open_since, starts_at__lte=now)
        .exclude(ratings__mentee=mentee)
        .select_related("series", "series__subject")
        .order_by("-starts_at")[:10]
    )


def active_questions() -> list[SurveyQuestion]:
    return list(SurveyQuestion.objects.active())


def response_for(*, occurrence: Occurrence, mentee: "User") -> SurveyResponse | None:
    return (
        SurveyResponse.objects.filter(occurrence=occurrence, mentee=mentee)
        .select_related("rating")
        .prefetch_related("answers__question")
        .first()
    )


# ---------------------------------------------------------------------------
# A series' feedback: aggregates for its mentor, everything for program admins
# ---------------------------------------------------------------------------
@dataclass
class QuestionSummary:
    question: SurveyQuestion
    n: int = 0
    average: float | None = None  # Likert
    yes: int = 0  # yes/no
    comments: list[str] = field(default_factory=list)  # free text the mentees shared

    @property
    def yes_share(self) -> float | None:
        return self.yes / self.n if self.n else None


@dataclass
class SeriesFeedback:
    series: ReviewSeries
    responses: int
    min_answers: int
    average_rating: float | None = None
    ratings: int = 0
    gain: tuple[float | None, int] = (None, 0)
    questions: list[QuestionSummary] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.responses >= self.min_answers


def series_feedback(*, series: ReviewSeries, include_private: bool = False) -> SeriesFeedback:
    """Aggregates of the survey over all of a series' sessions, never per mentee.

    Below settings.FEEDBACK_MIN_ANSWERS responses nothing but the count is given (unless
    `include_private`: program admins). Free text appears only where the mentee shared it with
    the mentor (all of it with `include_private`), sorted so that order says nothing of who wrote it."""
    responses = SurveyResponse.objects.filter(occurrence__series=series, occurrence__status=Occurrence.Status.SCHEDULED)
    # Every answer has its Rating (older ratings from the one-question page too): count mentees who answered.
    count = Rating.objects.filter(occurrence__series=series, occurrence__status=Occurrence.Status.SCHEDULED).count()
    summary = SeriesFeedback(series=series, responses=count, min_answers=settings.FEEDBACK_MIN_ANSWERS)
    if not summary.shown and not include_private:
        return summary
    ratings = Rating.objects.filter(occurrence__series=series, occurrence__status=Occurrence.Status.SCHEDULED).aggregate(
        average=Avg("score"), n=Count("pk")
    )
    summary.average_rating = float(ratings["average"]) if ratings["n"] else None
    summary.ratings = ratings["n"]
    before = ConfidenceBefore.objects.filter(occurrence=OuterRef("occurrence"), mentee=OuterRef("mentee")).values("score")[:1]
    gains = (
        responses.filter(confidence_after__isnull=False)
        .annotate(before=Subquery(before))
        .filter(before__isnull=False)
        .aggregate(average=Avg(F("confidence_after") - F("before")), n=Count("pk"))
    )
    summary.gain = (float(gains["average"]) if gains["n"] else None, gains["n"])
    by_question: dict[int, QuestionSummary] = {}
    scores: dict[int, list[int]] = defaultdict(list)
    answers = SurveyAnswer.objects.filter(response__in=responses).select_related("question", "response")
    for answer in answers:
        item = by_question.setdefault(answer.question_id, QuestionSummary(question=answer.question))
        item.n += 1
        if answer.score is not None:
            scores[answer.question_id].append(answer.score)
        if answer.yes:
            item.yes += 1
        if answer.text and (include_private or answer.response.share_comments_with_mentor):
            item.comments.append(answer.text)
    for pk, item in by_question.items():
        if scores[pk]:
            item.average = sum(scores[pk]) / len(scores[pk])
        item.comments.sort()
    summary.questions = sorted(by_question.values(), key=lambda s: (s.question.is_retired, s.question.position, s.question.pk))
    return summary


def responses_with_names(*, series: ReviewSeries) -> "QuerySet[SurveyResponse]":
    """Every response of a series with who answered (program admins only; their reads are logged)."""
    before = ConfidenceBefore.objects.filter(occurrence=OuterRef("occurrence"), mentee=OuterRef("mentee")).values("score")[:1]
    return (
        SurveyResponse.objects.filter(occurrence__series=series)
        .annotate(confidence_before=Subquery(before))
        .select_related("mentee", "occurrence", "rating")
        .prefetch_related("answers__question")
        .order_by("-occurrence__starts_at", "mentee__email")
    )


def series_with_feedback_for(*, mentor: "User") -> "QuerySet[ReviewSeries]":
    """The mentor's series, each with its number of survey responses (the feedback index)."""
    return (
        ReviewSeries.objects.filter(mentor=mentor)
        .select_related("subject")
        .annotate(responses=Count("occurrences__survey_responses"))
        .order_by("-first_date", "pk")
    )
