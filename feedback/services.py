"""Every write of the session survey: configure its questions, answer it, give confidence before.

The survey's first question is the built-in 1-5 rating, kept in sessions.models.Rating; the
other answers are this app's rows. Each service owns its transaction and raises feedback.errors.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core import locking
from core.errors import clean_or_refuse
from feedback.errors import ConfidenceClosed, InvalidAnswer, SurveyClosed
from feedback.models import ANSWER_TEXT_MAX_LENGTH, ConfidenceBefore, SurveyAnswer, SurveyQuestion, SurveyResponse
from sessions.models import Attendance, Booking, Occurrence, Rating

if TYPE_CHECKING:
    from accounts.models import User

AnswerValue = int | bool | str | None


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _check_score(value: object, field: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidAnswer(f"Choose {what} from 1 to 5.", field=field)
    return value


# ---------------------------------------------------------------------------
# Program admins: the questions
# ---------------------------------------------------------------------------
def add_question(*, text: str, kind: str) -> SurveyQuestion:
    """Add a question at the end of the survey."""
    text = text.strip()
    if not text:
        raise InvalidAnswer("Write the question.", field="text")
    if kind not in SurveyQuestion.Kind.values:
        raise InvalidAnswer("Choose the kind of answer.", field="kind")
    with transaction.atomic():
        last = SurveyQuestion.objects.aggregate(m=Max("position"))["m"]
        question = SurveyQuestion(text=text, kind=kind, position=(last or 0) + 1)
        clean_or_refuse(question)
        question.save()
    return question


def move_question(*, question: SurveyQuestion, up: bool) -> SurveyQuestion:
    """Swap an active question with its neighbour above (up) or below; at either end nothing moves."""
    with transaction.atomic():
        questions = locking.lock_rows(SurveyQuestion.objects.active())
        ordered = sorted(questions, key=lambda q: (q.position, q.pk))
        index = next((i for i, q in enumerate(ordered) if q.pk == question.pk), None)
        if index is None:
            raise InvalidAnswer("A retired question has no place in the survey.")
        other = index - 1 if up else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
            for position, q in enumerate(ordered, start=1):
                if q.position != position:
                    q.position = position
                    q.save(update_fields=["position"])
        return next(q for q in ordered if q.pk == question.pk)


def remove_question(*, question: SurveyQuestion, now: datetime | None = None) -> bool:
    """Remove a question from the survey. Without answers it is deleted (returns False); with
    answers it is retired (returns True): the answers stay, with their question, for the admins."""
    with transaction.atomic():
        question = locking.lock(SurveyQuestion.objects.all(), question.pk)
        if question.answers.exists():
            if question.retired_at is None:
                question.retired_at = _now(now)
                question.save(update_fields=["retired_at"])
            return True
        question.delete()
        return False


def restore_question(*, question: SurveyQuestion) -> SurveyQuestion:
    """Put a retired question back at the end of the survey."""
    with transaction.atomic():
        question = locking.lock(SurveyQuestion.objects.all(), question.pk)
        last = SurveyQuestion.objects.active().aggregate(m=Max("position"))["m"]
        question.retired_at = None
        question.position = (last or 0) + 1
        question.save(update_fields=["retired_at", "position"])
    return question


# ---------------------------------------------------------------------------
# Mentees: the survey
# ---------------------------------------------------------------------------
def survey_editable_until(response: SurveyResponse | None, rating: Rating | None, occurrence: Occurrence) -> datetime:
    """Until when the mentee may send (first answer) or change (after) their survey."""
    if response is not None:
        return response.submitted_at + timedelta(days=settings.FEEDBACK_EDITABLE_DAYS)
    if rating is not None:  # rated on the old one-question page: editable from then
        return rating.created_at + timedelta(days=settings.FEEDBACK_EDITABLE_DAYS)
    return occurrence.ends_at + timedelta(days=settings.FEEDBACK_OPEN_DAYS)


def check_survey_open(*, occurrence: Occurrence, mentee: "User", now: datetime | None = None) -> None:
    """Raise SurveyClosed unless `mentee` may answer or edit the survey of `occurrence` now."""
    now = _now(now)
    if occurrence.is_cancelled:
        raise SurveyClosed("This session was cancelled; there is nothing to rate.")
    attended = Attendance.objects.filter(occurrence=occurrence, mentee=mentee, status=Attendance.Status.ATTENDED)
    if not attended.exists():
        raise SurveyClosed("Only mentees the mentor marked as attended can answer this session's survey.")
    response = SurveyResponse.objects.filter(occurrence=occurrence, mentee=mentee).first()
    rating = Rating.objects.filter(occurrence=occurrence, mentee=mentee).first()
    until = survey_editable_until(response, rating, occurrence)
    if now > until:
        local = timezone.localtime(until)
        if response is not None or rating is not None:
            raise SurveyClosed(
                f"Your answers could be changed for {settings.FEEDBACK_EDITABLE_DAYS} days, until "
                f"{local:%d %b %Y %H:%M} ({local.tzname()}); they are kept as sent."
            )
        raise SurveyClosed(
            f"The survey was open for {settings.FEEDBACK_OPEN_DAYS} days after the session, until "
            f"{local:%d %b %Y %H:%M} ({local.tzname()})."
        )


def _clean_answer(question: SurveyQuestion, value: AnswerValue) -> dict[str, object] | None:
    """The answer's fields, or None when the question was left blank (every question but the rating is optional)."""
    field = f"question_{question.pk}"
    if value is None or value == "":
        return None
    if question.kind == SurveyQuestion.Kind.LIKERT:
        return {"score": _check_score(value, field, "an answer"), "yes": None, "text": ""}
    if question.kind == SurveyQuestion.Kind.YES_NO:
        if not isinstance(value, bool):
            raise InvalidAnswer("Answer yes or no.", field=field)
        return {"score": None, "yes": value, "text": ""}
    text = str(value).strip()
    if len(text) > ANSWER_TEXT_MAX_LENGTH:
        raise InvalidAnswer(f"Keep your answer under {ANSWER_TEXT_MAX_LENGTH} characters.", field=field)
    return {"score": None, "yes": None, "text": text} if text else None


def submit_survey(
    *,
    occurrence: Occurrence,
    mentee: "User",
    rating: int,
    confidence_after: int | None = None,
    answers: Mapping[int, AnswerValue] | None = None,
    share_comments_with_mentor: bool = False,
    allow_quote: bool = False,
    now: datetime | None = None,
) -> SurveyResponse:
    """Answer (or, within the editable window, change) the survey of an attended session.

    `rating` is the built-in question (stored in sessions.Rating); `answers` maps active question
    ids to values (int 1-5, bool, or text; None or "" = left blank). Answers to questions retired
    since are kept untouched. Quoting needs sharing. Nothing is saved if anything is refused.
    """
    now = _now(now)
    answers = dict(answers or {})
    rating = _check_score(rating, "rating", "a rating")
    if confidence_after is not None:
        confidence_after = _check_score(confidence_after, "confidence_after", "your confidence")
    if allow_quote and not share_comments_with_mentor:
        raise InvalidAnswer(
            "To let your comments be quoted in the mentor's record, also let the mentor read them.",
            field="allow_quote",
        )
    questions = {q.pk: q for q in SurveyQuestion.objects.active()}
    unknown = set(answers) - set(questions)
    if unknown:
        raise InvalidAnswer("The survey changed while you answered it; please check your answers and send again.")
    cleaned = {pk: _clean_answer(questions[pk], value) for pk, value in answers.items()}
    try:
        with transaction.atomic():
            check_survey_open(occurrence=occurrence, mentee=mentee, now=now)
            response = locking.lock_first(SurveyResponse.objects.filter(occurrence=occurrence, mentee=mentee))
            stored = Rating.objects.select_for_update().filter(occurrence=occurrence, mentee=mentee).first()
            if stored is None:
                stored = Rating.objects.create(occurrence=occurrence, mentee=mentee, score=rating, created_at=now)
            elif stored.score != rating:
                stored.score = rating
                stored.save(update_fields=["score"])
            if response is None:
                response = SurveyResponse(occurrence=occurrence, mentee=mentee, rating=stored, submitted_at=now)
            response.confidence_after = confidence_after
            response.share_comments_with_mentor = share_comments_with_mentor
            response.allow_quote = allow_quote
            response.updated_at = now
            response.full_clean(validate_constraints=False)
            response.save()
            for pk, fields in cleaned.items():
                if fields is None:
                    SurveyAnswer.objects.filter(response=response, question_id=pk).delete()
                else:
                    SurveyAnswer.objects.update_or_create(response=response, question_id=pk, defaults=fields)
    except IntegrityError:
        # Two sends at once: the unique constraints kept the first.
        raise SurveyClosed("Your answers were just sent from another window; reload to see them.") from None
    return response


# ---------------------------------------------------------------------------
# Mentees: confidence before the session
# ---------------------------------------------------------------------------
def give_confidence_before(
    *,
    occurrence: Occurrence,
    mentee: "User",
    score: int,
    source: str = ConfidenceBefore.Source.BOOKING,
    now: datetime | None = None,
) -> ConfidenceBefore:
    """A booked (or checked-in) mentee rates their confidence in the session's topic, 1-5, until it starts.

    Given again before the start, it replaces the first answer. Optional: a missing rating just
    leaves the mentee out of the confidence gain."""
    now = _now(now)
    score = _check_score(score, "score", "your confidence")
    if occurrence.is_cancelled:
        raise ConfidenceClosed("This session was cancelled.")
    if source == ConfidenceBefore.Source.BOOKING:
        if occurrence.has_started(now):
            raise ConfidenceClosed("Confidence before the session can be given until it starts.")
        if not Booking.objects.booked().filter(occurrence=occurrence, mentee=mentee).exists():
            raise ConfidenceClosed("Book a seat first; then tell us how confident you are in the topic.")
    with transaction.atomic():
        record, _ = ConfidenceBefore.objects.update_or_create(
            occurrence=occurrence, mentee=mentee, defaults={"score": score, "source": source, "given_at": now}
        )
    return record
