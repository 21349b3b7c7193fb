"""Every figure of the impact report, by concern; import them from here.

`filters` holds ReportFilters and the definitions every figure shares (read its docstring for
how each figure is counted); `activity`, `demand`, `mentors`, `matching` and `exams` hold the
figures; `impact` the exam estimates (adjusted effects) and `outreach` the post-exam outreach lists; `summary` the tiles at the top (this period beside the previous one). Each function runs a fixed number of queries, whatever the size of the data.
"""

from reports.selectors import outreach
from reports.selectors.activity import (
    ActivityFacts,
    SessionFacts,
    activity_summary,
    fill_rate_by_subject,
    weekly_trends,
)
from reports.selectors.demand import subject_coverage, waitlist_by_slot, waitlist_by_subject
from reports.selectors.exams import exam_outcomes
from reports.selectors.filters import EXAM_GROUPS, ReportFilters, person_name
from reports.selectors.impact import (
    ExamAnalysis,
    ExamEffect,
    ExamSection,
    exam_effects,
    exam_sections,
    headline_effect,
    subject_effects,
)
from reports.selectors.matching import matching_summary
from reports.selectors.mentors import mentor_activity
from reports.selectors.summary import (
    SummaryFigure,
    TermSummary,
    previous_filters,
    term_summary,
    weeks_worth_showing,
)

__all__ = [
    "EXAM_GROUPS",
    "ActivityFacts",
    "ExamAnalysis",
    "ExamEffect",
    "ExamSection",
    "exam_effects",
    "exam_sections",
    "headline_effect",
    "outreach",
    "subject_effects",
    "ReportFilters",
    "SessionFacts",
    "SummaryFigure",
    "TermSummary",
    "activity_summary",
    "exam_outcomes",
    "fill_rate_by_subject",
    "matching_summary",
    "mentor_activity",
    "person_name",
    "previous_filters",
    "subject_coverage",
    "term_summary",
    "waitlist_by_slot",
    "waitlist_by_subject",
    "weekly_trends",
    "weeks_worth_showing",
]
