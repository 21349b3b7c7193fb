"""Template tags that let other apps' pages show the survey's parts with one include line
(the dashboard panel, a session's page, the impact report's section) and no change to their views."""

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from feedback import selectors
from feedback.models import CONFIDENCE_CHOICES, ConfidenceBefore, SurveyResponse
from sessions.models import Attendance, Booking, Occurrence, Rating

register = template.Library()


@register.simple_tag
def pending_surveys_for(user: Any) -> list[Occurrence]:
    return selectors.pending_surveys(mentee=user) if getattr(user, "is_mentee", False) else []


@dataclass
class FeedbackPrompt:
    survey_url: str = ""
    answered: bool = False
    ask_confidence: bool = False
    confidence: int | None = None
    choices: list[tuple[int, str]] = field(default_factory=lambda: list(CONFIDENCE_CHOICES))


@register.simple_tag
def feedback_prompt(occurrence: Occurrence, user: Any) -> FeedbackPrompt:
    """What a session's page offers this mentee: confidence before (booked, not started), the survey (attended)."""
    prompt = FeedbackPrompt()
    if not getattr(user, "is_mentee", False) or occurrence.is_cancelled:
        return prompt
    now = timezone.now()
    if not occurrence.has_started(now) and Booking.objects.booked().filter(occurrence=occurrence, mentee=user).exists():
        prompt.ask_confidence = True
        prompt.confidence = (
            ConfidenceBefore.objects.filter(occurrence=occurrence, mentee=user).values_list("score", flat=True).first()
        )
    if Attendance.objects.filter(occurrence=occurrence, mentee=user, status=Attendance.Status.ATTENDED).exists():
        prompt.survey_url = reverse("feedback:survey", args=[occurrence.pk])
        prompt.answered = (
            SurveyResponse.objects.filter(occurrence=occurrence, mentee=user).exists()
            or Rating.objects.filter(occurrence=occurrence, mentee=user).exists()
        )
    return prompt


@dataclass
class GainTable:
    caption: str
    label: str
    rows: list[selectors.GainRow]


@dataclass
class GainReport:
    overall: tuple[float | None, int]
    tables: list[GainTable]
    min_group: int


@register.simple_tag
def confidence_gain_report(filters: Any) -> GainReport:
    """The impact report's confidence section for its filters (dates; subject and mentor when set).

    Kept as long as the report's own figures (REPORT_CACHE_SECONDS), so a cached report reads no figures."""
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:
        return _confidence_gain_report(filters)
    key = f"report-confidence:{filters.start}:{filters.end}:{filters.subject_id}:{filters.mentor_id}:{filters.class_year}"
    found = cache.get(key)
    if found is None:
        found = _confidence_gain_report(filters)
        cache.set(key, found, seconds)
    return found


def _confidence_gain_report(filters: Any) -> GainReport:
    from accounts.models import User
    from subjects.models import Subject

    mentor = User.objects.filter(pk=filters.mentor_id).first() if filters.mentor_id else None
    subject = Subject.objects.filter(pk=filters.subject_id).first() if filters.subject_id else None
    days = {"first_day": filters.start, "last_day": filters.end}
    return GainReport(
        overall=selectors.confidence_gain(mentor=mentor, subject=subject, **days),
        tables=[
            GainTable("Confidence gain by subject", "Subject", selectors.confidence_gain_by_subject(**days)),
            GainTable("Confidence gain by mentor", "Mentor", selectors.confidence_gain_by_mentor(**days)),
        ],
        min_group=settings.REPORT_MIN_GROUP_SIZE,
    )


@register.filter
def signed(value: float | None) -> str:
    """A gain with its sign and two decimals: +0.67, -2.00; "" for no value."""
    return "" if value is None else f"{value:+.2f}"
