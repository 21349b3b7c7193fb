"""The estimate: how mentees' exam results relate to the review sessions they attended before.

For each exam (first day in the report's range) and for a subject's exams together, a student's
*attendance* is the number of held sessions in the exam's subjects (every subject if the exam has
none) they attended before the exam's first day began (program time zone). Students are grouped
into attendance bands (REPORT_ATTENDANCE_BANDS, default "0,1-3,4+"); each band is compared with the
first band. Figures (the method is in docs/impact.md and on the page):

- Unadjusted: the difference in mean score (pass rate) between the band and the first band.
- Adjusted: OLS of the score on band indicators, the student's score on the previous exam of the
  same kind (the latest earlier exam of that kind with results) and class-year indicators; for a
  pass/fail exam, logistic regression and the average marginal effect in percentage points.
- Dose-response: the same model with the attendance count instead of bands (per session).
- Change from the previous exam (difference in differences): OLS of (score - previous score) on an
  attended-any-session indicator and class year: attenders' mean change minus non-attenders'.

Bands with fewer than REPORT_MIN_GROUP_SIZE students are hidden and their students left out of
every model, so no figure can be traced to a small group. Nothing here is causal: the sentences
say so, and warn when n is small or the interval includes 0.
"""

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from statistics import fmean, pstdev
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, FilteredRelation, FloatField, Q
from django.db.models.functions import Cast

from core.queries import value_rows
from program.models import Exam
from reports.estimate import Design, Fitted, Unfittable, difference_in_proportions, logit_marginal_effects, ols
from reports.models import ExamResult
from reports.periods import day_bounds
from reports.selectors.bitmaps import sessions_attended_before
from reports.selectors.filters import ATTENDED, SCHEDULED, ReportFilters
from reports.selectors.impact_words import (
    SMALL_SAMPLE,
    Band,
    band_words,
    caveat,
    parse_bands,
    sentence,
    warning,
)
from reports.selectors.outreach import OutreachSummary, outreach_summary
from reports.tally import keeps_mentee_bitmaps
from sessions.models import Attendance
from subjects.models import Subject

__all__ = [
    "SMALL_SAMPLE", "Band", "BandComparison", "BandCount", "EffectFigure", "ExamAnalysis", "ExamEffect",
    "ExamSection", "StudentRow", "analyse", "exam_sections", "band_words", "exam_effects", "exam_student_rows", "headline_effect", "parse_bands", "shared_exam_analyses",
    "subject_effects",
]  # fmt: skip


class StudentRow(NamedTuple):
    """One student's result on an exam, with what the estimate needs about them (a NamedTuple:
    an exam of a whole class is thousands of them per report, made at a third of a dataclass's cost)."""

    student_id: int
    graduation_year: int | None
    sessions: int
    outcome: float  # the score, or 1.0 / 0.0 for pass / fail
    previous: float | None  # the score (or 1/0) on the previous exam of the same kind
    group: str = ""  # the exam, when several exams are pooled (fixed effects)


@dataclass(frozen=True)
class BandCount:
    band: Band
    students: int | None  # None when hidden (fewer than REPORT_MIN_GROUP_SIZE)
    average: float | None  # mean score, or pass rate in percent
    hidden: bool


@dataclass(frozen=True)
class EffectFigure:
    """One estimate with its interval and plain-words reading, or why there is none (`message`)."""

    label: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    unit: str
    sentence: str
    warning: str
    message: str = ""

    @property
    def shown(self) -> bool:
        return self.estimate is not None


@dataclass(frozen=True)
class BandComparison:
    band: Band
    unadjusted: EffectFigure
    adjusted: EffectFigure | None  # None when there is no previous exam to adjust for


@dataclass(frozen=True)
class ExamAnalysis:
    """Everything the report shows for one exam, or for one subject's exams pooled (`subject`)."""

    title: str
    exam: Exam | None
    subject: Subject | None
    previous_exam: Exam | None
    pass_fail: bool
    unit: str
    bands: tuple[BandCount, ...]
    comparisons: tuple[BandComparison, ...]
    dose: EffectFigure | None
    change: EffectFigure | None
    messages: tuple[str, ...]
    students: int


@dataclass(frozen=True)
class ExamEffect:
    """The headline figure for a summary: the top attendance band vs the first, adjusted."""

    exam: Exam
    estimate: float
    ci_low: float
    ci_high: float
    n: int
    unit: str  # "points" or "percentage points"
    sentence: str
    caveat: str
    band: str  # the band compared with the first, e.g. "4+"


def _figure(
    label: str, fitted: Fitted | Unfittable, *, unit: str, words: str, adjusted: bool,
    directions: tuple[str, str] = ("higher", "lower"),
) -> EffectFigure:  # fmt: skip
    if isinstance(fitted, Unfittable):
        return EffectFigure(label, None, None, None, None, unit, "", "", message=fitted.reason)
    return EffectFigure(
        label, fitted.estimate, fitted.ci_low, fitted.ci_high, fitted.n, unit,
        sentence(words, fitted, unit, adjusted=adjusted, directions=directions), warning(fitted),
    )  # fmt: skip


def previous_exam_of(exam: Exam) -> Exam | None:
    """The latest exam of the same kind before `exam` that has results."""
    return (
        Exam.objects.with_results()
        .filter(kind=exam.kind, first_day__lt=exam.first_day)
        .order_by("-first_day", "-pk")
        .first()
    )


def _value(score: Decimal | float | None, passed: bool | None) -> float:
    """A result as the models read it: the score, or 1.0 / 0.0 for pass / fail."""
    if passed is not None:
        return 1.0 if passed else 0.0
    assert score is not None  # the exam_result_score_or_pass constraint
    return float(score)


def exam_student_rows(
    exam: Exam, previous: Exam | None, *, subject_ids: Sequence[int] | None = None, graduation_year: int | None = None
) -> list[StudentRow]:
    """The exam's students (deleted accounts left out) with their previous result and attendance
    before it (one query, and the tally's bitmaps or a count of attendance).

    Plain value rows and subqueries, never model instances or lists of ids: an exam of a whole
    class is thousands of results, read up to twice per report (its section and the headline)."""
    results = ExamResult.objects.filter(exam=exam, student__deleted_at__isnull=True)
    if graduation_year is not None:
        results = results.filter(student__graduation_year=graduation_year)
    students = results.order_by().values("student_id")
    # Scores as floats from the database (the nearest double either way, read faster than decimals).
    results = results.annotate(score_value=Cast("score", FloatField()))
    columns = ["student_id", "student__graduation_year", "score_value", "passed"]
    if previous is not None:  # the previous result of the same student, joined: at most one (one per exam)
        on_previous = Q(student__exam_results__exam=previous)
        results = results.annotate(previous=FilteredRelation("student__exam_results", condition=on_previous))
        results = results.annotate(previous_score=Cast("previous__score", FloatField()))
        columns += ["previous_score", "previous__passed"]
    # In result order (the model's ordering within one exam), as the estimates have always read them.
    read = value_rows(results.values_list(*columns).order_by("pk"))
    rows = [row[:4] for row in read]
    earlier: dict[int, float] = {}
    if previous is not None:
        earlier = {row[0]: _value(row[4], row[5]) for row in read if row[4] is not None or row[5] is not None}
    before = day_bounds(exam.first_day, exam.first_day)[0]
    if keeps_mentee_bitmaps():  # from the tally's per-session bitmaps, without a scan of attendance
        counts = sessions_attended_before([before], subject_ids=subject_ids)[0]
    else:
        attendance = Attendance.objects.filter(
            status=ATTENDED, occurrence__status=SCHEDULED, mentee_id__in=students, occurrence__starts_at__lt=before
        )
        if subject_ids is not None:
            attendance = attendance.filter(occurrence__series__subject_id__in=subject_ids)
        counts = dict(attendance.values("mentee_id").annotate(n=Count("id")).values_list("mentee_id", "n").order_by())
    group = str(exam.pk)
    return [
        StudentRow(student, year, counts.get(student, 0), _value(score, passed), earlier.get(student), group=group)
        for student, year, score, passed in rows
    ]


def _indicators(values: Sequence[object], prefix: str) -> dict[str, list[float]]:
    """Indicator columns for every value but the most common (the reference)."""
    levels = sorted({v for v in values}, key=str)
    if len(levels) < 2:
        return {}
    reference = max(levels, key=lambda v: (sum(1 for x in values if x == v), str(v)))
    return {f"{prefix}{level}": [1.0 if v == level else 0.0 for v in values] for level in levels if level != reference}


def analyse(
    rows: Sequence[StudentRow], bands: Sequence[Band], *, title: str, pass_fail: bool, unit: str,
    exam: Exam | None = None, subject: Subject | None = None, previous_exam: Exam | None = None,
    has_previous: bool = True,
) -> ExamAnalysis:  # fmt: skip
    """The figures for these students. Pure: no queries (tests call it with planted data)."""
    minimum = settings.REPORT_MIN_GROUP_SIZE
    messages: list[str] = []
    if not has_previous:
        messages.append(
            "There is no previous exam of the same kind to adjust for, so only the unadjusted difference is shown: "
            "it mixes any effect of the sessions with who chose to attend."
        )
    by_band: dict[Band, list[StudentRow]] = defaultdict(list)
    band_of: dict[int, Band] = {}  # sessions attended -> its band, looked up once per count
    for row in rows:
        band = band_of.get(row.sessions)
        if band is None:
            band = band_of[row.sessions] = next(b for b in bands if b.holds(row.sessions))
        by_band[band].append(row)
    counts = []
    for band in bands:
        members = by_band[band]
        hidden = len(members) < minimum
        average = None if hidden or not members else fmean(r.outcome for r in members) * (100 if pass_fail else 1)
        counts.append(BandCount(band, None if hidden else len(members), average, hidden))
    visible = [b for b in bands if len(by_band[b]) >= minimum]
    if any(len(by_band[b]) for b in bands if b not in visible):
        messages.append(
            f"Bands with fewer than {minimum} students are hidden and left out of every estimate below."
        )
    kept = [r for b in visible for r in by_band[b]]
    reference = bands[0]
    base = ExamAnalysis(title, exam, subject, previous_exam, pass_fail, unit, tuple(counts), (), None, None, (), len(rows))
    if sum(1 for b in bands if by_band[b]) < 2:
        messages.append("Every student is in one attendance band, so there is nothing to compare: no estimate.")
        return _with(base, messages=messages)
    if reference not in visible:
        messages.append(
            f"Too few students attended {band_words(reference)} (fewer than {minimum}) to compare with: no estimate."
        )
        return _with(base, messages=messages)
    if len(visible) < 2:
        messages.append(
            "Every student shown is in one attendance band, so there is nothing to compare: no estimate."
        )
        return _with(base, messages=messages)
    compared = [b for b in visible if b != reference]
    band_cols = {b.key: [1.0 if b.holds(r.sessions) else 0.0 for r in kept] for b in compared}
    groups = _indicators([r.group for r in kept], "exam ")

    def fit(design: Design, terms: list[str]) -> dict[str, Fitted] | Unfittable:
        if pass_fail:
            return logit_marginal_effects(design, terms, exclusive=list(band_cols))
        return ols(design, terms)

    unadjusted: Mapping[str, Fitted | Unfittable] | Unfittable = fit(
        Design.of({**band_cols, **groups}, [r.outcome for r in kept]), list(band_cols)
    )
    if pass_fail and not groups:
        unadjusted = {
            b.key: difference_in_proportions(
                [r.outcome == 1 for r in by_band[b]], [r.outcome == 1 for r in by_band[reference]]
            )
            for b in compared
        }
    with_previous = [r for r in kept if r.previous is not None]
    adjusted: dict[str, Fitted] | Unfittable | None = None
    dose: Fitted | Unfittable | None = None
    change: Fitted | Unfittable | None = None
    if has_previous and len(with_previous) < len(kept):
        messages.append(
            f"{len(kept) - len(with_previous)} of {len(kept)} students have no result on the previous exam and are "
            "left out of the adjusted figures."
        )
    if has_previous:
        covariates: dict[str, Sequence[float]] = {
            "previous": [r.previous or 0.0 for r in with_previous],
            **_indicators([r.graduation_year for r in with_previous], "class of "),
            **_indicators([r.group for r in with_previous], "exam "),
        }
        bands_prev = {b.key: [1.0 if b.holds(r.sessions) else 0.0 for r in with_previous] for b in compared}
        outcome = [r.outcome for r in with_previous]
        adjusted = fit(Design.of({**bands_prev, **covariates}, outcome), list(bands_prev))
        dose_fit = fit(Design.of({"sessions": [r.sessions for r in with_previous], **covariates}, outcome), ["sessions"])
        dose = dose_fit if isinstance(dose_fit, Unfittable) else dose_fit["sessions"]
        if not pass_fail:
            rest = {k: v for k, v in covariates.items() if k != "previous"}
            attended = [1.0 if r.sessions > 0 else 0.0 for r in with_previous]
            gains = [r.outcome - (r.previous or 0.0) for r in with_previous]
            did = ols(Design.of({"attended": attended, **rest}, gains), ["attended"])
            change = did if isinstance(did, Unfittable) else did["attended"]
    comparisons = []
    for band in compared:
        raw = unadjusted if isinstance(unadjusted, Unfittable) else unadjusted[band.key]
        raw_words = _versus(band, reference, adjusted=False, pass_fail=pass_fail)
        adj_figure = None
        if adjusted is not None:
            adj = adjusted if isinstance(adjusted, Unfittable) else adjusted[band.key]
            adj_figure = _figure(f"{band.label} vs {reference.label}, adjusted", adj, unit=unit, adjusted=True,
                                 words=_versus(band, reference, adjusted=True, pass_fail=pass_fail))  # fmt: skip
        raw_figure = _figure(f"{band.label} vs {reference.label}, unadjusted", raw, unit=unit, words=raw_words,
                             adjusted=False)  # fmt: skip
        comparisons.append(BandComparison(band, raw_figure, adj_figure))
    dose_figure = None
    if dose is not None:
        per = "a pass probability" if pass_fail else "a score"
        dose_figure = _figure("Per session attended, adjusted", dose, unit=unit, adjusted=True,
                              words=f"Each additional session attended went with {per} {{amount}} {{direction}}, "
                              "among students with the same previous score")  # fmt: skip
    change_figure = None
    if change is not None:
        change_figure = _figure("Change from the previous exam, attenders vs non-attenders", change, unit=unit,
                                adjusted=True, directions=("more", "less"),
                                words="From the previous exam, students who attended at least one session gained "
                                "{amount} {direction} than students who attended none")  # fmt: skip
    return _with(base, messages=messages, comparisons=tuple(comparisons), dose=dose_figure, change=change_figure)


def _versus(band: Band, reference: Band, *, adjusted: bool, pass_fail: bool) -> str:
    who = f"Students who attended {band_words(band)}"
    what = "had a pass rate {amount} {direction}" if pass_fail else "scored {amount} {direction}"
    than = "than non-attenders" if reference.high == 0 else f"than students who attended {band_words(reference)}"
    if adjusted:
        than += " with the same previous score"
    return f"{who} {what} {than}"


def _with(base: ExamAnalysis, *, messages: Sequence[str], **changes: object) -> ExamAnalysis:
    return replace(base, messages=tuple(messages), **changes)  # type: ignore[arg-type]


def unit_of(exam: Exam) -> str:
    return "percentage points" if exam.is_pass_fail else "points"


@dataclass
class _SharedReads:
    analyses: dict[tuple, ExamAnalysis] = field(default_factory=dict)  # (exam, bands, class year) -> analysis
    exams: dict[tuple, list[Exam]] = field(default_factory=dict)  # (first day, last day, subject) -> exams


_shared: ContextVar[_SharedReads | None] = ContextVar("shared_exam_analyses", default=None)


@contextmanager
def shared_exam_analyses() -> Iterator[None]:
    """Within this block each exam is analysed once per set of bands and class year: the report's
    headline (this period and the previous) and its exam sections read the same analyses (and
    the same lists of exams in a range)."""
    token = _shared.set(_shared.get() or _SharedReads())
    try:
        yield
    finally:
        _shared.reset(token)


def analyse_exam(exam: Exam, bands: Sequence[Band], f: ReportFilters | None = None) -> ExamAnalysis:
    shared = _shared.get()
    if shared is None:
        return _analyse_exam(exam, bands, f)
    key = (exam.pk, tuple(bands), f.graduation_year if f else None)
    if key not in shared.analyses:
        shared.analyses[key] = _analyse_exam(exam, bands, f)
    return shared.analyses[key]


def _analyse_exam(exam: Exam, bands: Sequence[Band], f: ReportFilters | None) -> ExamAnalysis:
    previous = previous_exam_of(exam)
    subject_ids = [s.pk for s in exam.subjects.all()] or None
    rows = exam_student_rows(exam, previous, subject_ids=subject_ids,
                             graduation_year=f.graduation_year if f else None)  # fmt: skip
    return analyse(rows, bands, title=str(exam), pass_fail=exam.is_pass_fail, unit=unit_of(exam), exam=exam,
                   previous_exam=previous, has_previous=previous is not None)  # fmt: skip


def _standardised(rows: list[StudentRow]) -> list[StudentRow]:
    """Scores and previous scores as z-scores within the exam, so different scales can be pooled."""
    if len(rows) < 2:
        return []
    mean, sd = fmean(r.outcome for r in rows), pstdev(r.outcome for r in rows)
    prev = [r.previous for r in rows if r.previous is not None]
    pmean, psd = (fmean(prev), pstdev(prev)) if len(prev) > 1 else (0.0, 0.0)
    if not sd:
        return []
    return [
        StudentRow(r.student_id, r.graduation_year, r.sessions, (r.outcome - mean) / sd,
                   (r.previous - pmean) / psd if r.previous is not None and psd else None, r.group)  # fmt: skip
        for r in rows
    ]


def analyse_subject(subject: Subject, exams: Sequence[Exam], bands: Sequence[Band], f: ReportFilters | None = None) -> ExamAnalysis:
    """A subject's scored exams together: attendance in that subject only, scores standardised within
    each exam (unit: standard deviations) and an indicator per exam."""
    rows: list[StudentRow] = []
    any_previous = False
    for exam in exams:
        previous = previous_exam_of(exam)
        any_previous = any_previous or previous is not None
        rows += _standardised(exam_student_rows(exam, previous, subject_ids=[subject.pk],
                                                graduation_year=f.graduation_year if f else None))  # fmt: skip
    return analyse(rows, bands, title=f"{subject.name}: {len(exams)} exams together", pass_fail=False,
                   unit="standard deviations", subject=subject, has_previous=any_previous)  # fmt: skip


def _exams_in(f: ReportFilters) -> list[Exam]:
    shared = _shared.get()
    if shared is None:
        return _read_exams_in(f)
    key = (f.start, f.end, f.subject_id)
    if key not in shared.exams:
        shared.exams[key] = _read_exams_in(f)
    return shared.exams[key]


def _read_exams_in(f: ReportFilters) -> list[Exam]:
    exams = Exam.objects.with_results().filter(first_day__gte=f.start, first_day__lte=f.end)
    if f.subject_id:
        exams = exams.filter(subjects__id=f.subject_id)  # one row per exam: (exam, subject) is unique
    return list(exams.prefetch_related("subjects").order_by("first_day", "name", "pk"))


def exam_effects(f: ReportFilters, bands: Sequence[Band] | None = None) -> list[ExamAnalysis]:
    """Every exam in the range (first day in it) with results, latest last (a few queries per exam)."""
    chosen = tuple(bands or parse_bands(settings.REPORT_ATTENDANCE_BANDS))
    return [analyse_exam(exam, chosen, f) for exam in _exams_in(f)]


def subject_effects(f: ReportFilters, bands: Sequence[Band] | None = None) -> list[ExamAnalysis]:
    """For each subject with two or more scored exams in the range: those exams together."""
    chosen = tuple(bands or parse_bands(settings.REPORT_ATTENDANCE_BANDS))
    by_subject: dict[Subject, list[Exam]] = defaultdict(list)
    for exam in _exams_in(f):
        if not exam.is_pass_fail:
            for subject in exam.subjects.all():
                by_subject[subject].append(exam)
    return [
        analyse_subject(subject, exams, chosen, f)
        for subject, exams in sorted(by_subject.items(), key=lambda item: item[0].name)
        if len(exams) >= 2 and (not f.subject_id or subject.pk == f.subject_id)
    ]


@dataclass(frozen=True)
class ExamSection:
    """One exam's (or subject's) figures on the report, with its outreach so far (exams only)."""

    analysis: ExamAnalysis
    outreach: OutreachSummary | None


def exam_sections(f: ReportFilters, bands: Sequence[Band] | None = None) -> list[ExamSection]:
    """The report's exam estimates: each exam in the range, then each subject's exams together."""
    sections = [ExamSection(a, outreach_summary(a.exam) if a.exam else None) for a in exam_effects(f, bands)]
    return sections + [ExamSection(a, None) for a in subject_effects(f, bands)]


def headline(analysis: ExamAnalysis) -> ExamEffect | None:
    """The adjusted comparison of the highest shown band with the first, if it could be computed."""
    if analysis.exam is None:
        return None
    for comparison in reversed(analysis.comparisons):
        figure = comparison.adjusted
        if figure is not None and figure.shown:
            assert figure.estimate is not None and figure.ci_low is not None
            assert figure.ci_high is not None and figure.n is not None
            return ExamEffect(
                exam=analysis.exam, estimate=figure.estimate, ci_low=figure.ci_low, ci_high=figure.ci_high,
                n=figure.n, unit=figure.unit, sentence=figure.sentence, caveat=caveat(), band=comparison.band.label,
            )  # fmt: skip
    return None


def headline_effect(*, first_day: date, last_day: date) -> ExamEffect | None:
    """The latest exam (first day in the period) with an adjusted estimate: its highest attendance
    band vs no attendance, adjusted for the previous exam. None when no exam has one."""
    f = ReportFilters(start=first_day, end=last_day)
    bands = tuple(parse_bands(settings.REPORT_ATTENDANCE_BANDS))
    for exam in reversed(_exams_in(f)):
        effect = headline(analyse_exam(exam, bands))
        if effect is not None:
            return effect
    return None
