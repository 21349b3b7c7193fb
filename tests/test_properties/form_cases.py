"""What the form property tests share: the inputs they draw from, every form class of the project,
a valid post per form-backed view, the views with who posts to them, and how a page shows a refusal."""

import importlib
import inspect
from datetime import date, timedelta
from pathlib import Path

from django import forms
from django.apps import apps
from django.contrib.messages import ERROR, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st

from accounts.class_year import graduation_year_for
from accounts.models import Invitation, MentorApplication, User
from api.models import ApiToken
from checkin.models import CheckIn
from feedback.models import ConfidenceBefore, SurveyQuestion, SurveyResponse
from mentorship.models import MatchingRound, Mentorship
from program.models import Announcement, Exam, Holiday, Term
from reports.models import ExamImport, ExamResult
from roster.models import RosterEntry, RosterImport
from sessions import selectors as session_selectors
from sessions.models import Attendance, Booking, Occurrence, OutcomeNote, Rating, ReviewSeries
from subjects.models import Subject
from teaching.models import Endorsement, ExperienceEntry, Requirement, RequirementCompletion
from tests.factories import (
    PASSWORD,
    MenteeFactory,
)
from tests.test_properties.support import FEW

NASTY = [
    "", " ", "\x00", "a\x00b", "0", "-1", "1.5", "99999999999999999999999", "-99999999999999999999", "1e400",
    "NaN", "inf", "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "10000-01-01", "25:61", "23:59:60",
    "12:00 pm", "https://", "javascript:alert(1)", "http://[::1", "a@b", "@", "<script>alert(1)</script>",
    "Ünïcödé ✓ 🙂", "\u202e", "\ud7ff", "x" * 5000, "mon,tue", "on", "true", "approve", "decline",
]
# What a careless or hostile user types into a number, date or time box (issue 11, item 11).
EXTREMES = [
    "100000000000000", "32767", "32768", "2147483648", "-2147483649", "9223372036854775808", "0", "-1",
    "481", "201", "9999-12-31", "0001-01-01", "9999-12-31 23:30", "23:30", "23:59:59.999999", "00:00",
]
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(NASTY),
    st.sampled_from(EXTREMES),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(str),
    st.times().map(str),
)


def post_data(names: list[str], known: list[str] = ()):
    """Arbitrary POST data for these field names (each absent, one value or several) plus stray keys."""
    value = st.one_of(values, st.sampled_from(list(known))) if known else values
    return st.fixed_dictionaries(
        {},
        optional={name: st.lists(value, min_size=1, max_size=3) for name in names}
        | {"next": st.lists(st.sampled_from(["//evil.example", "/dashboard/", "https://evil.example", "\x00"]), max_size=1),
           "csrfmiddlewaretoken": st.lists(values, max_size=1)},
    )


PROJECT = Path(__file__).resolve().parents[2]


def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in one of the project's apps (forms.py or views.py)."""
    found = []
    for config in apps.get_app_configs():
        if not config.path.startswith(str(PROJECT)) or ".venv" in config.path:
            continue
        for module_name in ("forms", "views"):
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found.append(cls)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__name__}")


FORM_CLASSES = _form_classes()


def known_ids(world) -> list[str]:
    ids = [str(obj.pk) for obj in world.values() if hasattr(obj, "pk")]
    return ids + [str(v) for v in range(1, 6)] + ["approve", "decline", "attended", "absent", "anatomy_review"]


def bind(cls, data: dict, world, raw_file: bytes | None = None):
    kwargs = {}
    if cls.__name__ == "DeleteAccountForm":
        kwargs["user"] = world["mentee"]
    if cls.__name__ == "RecordForm":
        kwargs["roster"] = session_selectors.roster(world["past"])
    if cls.__name__ == "SurveyForm":
        kwargs["questions"] = list(SurveyQuestion.objects.active())
    files = {"file": SimpleUploadedFile("upload.csv", raw_file or b"")} if raw_file is not None else None
    query = QueryDict(mutable=True)
    for name, items in data.items():
        query.setlist(name, items)
    return cls(query, files, **kwargs)


def _half_year_of(occurrence) -> str:
    """The endorse form's term value for the half-year term (reports.periods) an occurrence is in."""
    from reports.periods import term_containing

    term = term_containing(timezone.localdate(occurrence.starts_at))
    return f"{term.start}..{term.end}"


def _outreach_exam() -> Exam:
    exam, made = Exam.objects.get_or_create(name="Block 2", first_day=date(2026, 3, 16), defaults={"last_day": date(2026, 3, 16)})
    if made:  # outreach offers only exams someone has sat
        ExamResult.objects.create(student=MenteeFactory(), exam=exam, score=55, imported_at=timezone.now())
    return exam


def valid_payloads(world) -> dict[str, dict[str, list[str]]]:
    """Per form-backed view, a post its form and its service accept (the other side of the fuzzing)."""
    occurrence, mentee = world["occurrence"], world["mentee"]
    local = timezone.localtime(occurrence.starts_at)
    first = timezone.localdate() + timedelta(days=2)
    payloads = {
        "accounts:onboarding": {"first_name": "Ada", "last_name": "Lovelace",
                                "graduation_year": str(graduation_year_for(1)), "is_mentee": "on"},
        "accounts:profile": {"first_name": "Ada", "last_name": "Lovelace", "graduation_year": str(graduation_year_for(1))},
        "accounts:preferences": {"reminder_offsets_hours": "24, 1"},
        "accounts:delete": {"password": PASSWORD},
        "accounts:mentor_apply": {"subjects": str(world["anatomy"].pk), "motivation": "I like teaching anatomy."},
        "accounts:application_detail": {"decision": "approve"},
        "accounts:correct_class_year": {"class_year": "2"},
        "accounts:invitations": {"email": "new.student@school.edu"},
        "matching:end": {"reason": "Exams are over."},
        "subjects:list": {"name": "Histology", "category": "preclinical"},
        "subjects:rename": {"name": "Gross anatomy"},
        "sessions:series_new": {
            "subject": str(world["anatomy"].pk), "title": "Histology review", "weekday": str(first.weekday()),
            "start_time": "07:00", "duration_minutes": "60", "seats": "8", "location": "Room 2",
            "first_date": first.isoformat(), "last_date": (first + timedelta(weeks=3)).isoformat(),
        },
        "sessions:series_edit": {
            "from_date": occurrence.series_date.isoformat(), "title": "Anatomy review", "start_time": "18:00",
            "duration_minutes": "60", "seats": "8", "location": "Room 3",
        },
        "sessions:series_cancel": {"from_date": occurrence.series_date.isoformat(), "reason": "Exam week."},
        "sessions:occurrence_edit": {
            "date": local.date().isoformat(), "start_time": local.strftime("%H:%M"), "duration_minutes": "60",
            "seats": "8", "location": "Room 4",
        },
        "sessions:occurrence_cancel": {"reason": "I am ill."},
        "sessions:record": {f"attendance_{mentee.pk}": "attended", "topics": "Brachial plexus"},
        "sessions:browse": {"weekday": "1"},
        "reports:report": {"start": (timezone.localdate() - timedelta(days=30)).isoformat(),
                           "end": timezone.localdate().isoformat()},
        "reports:exam_import": {},
        "reports:exam_outreach": {"exam": str(_outreach_exam().pk), "subject": str(world["anatomy"].pk), "below": "70"},
        "reports:research_export": {"first_day": "2026-01-01", "last_day": "2026-06-30", "study": "IRB #1", "confirm": "on"},
        "roster:detail": {"deactivate_count": ""},
        "program:rules": {"no_show_limit": "3", "weekly_booking_cap": "", "waitlist_mode": "offer", "offer_hold_hours": "4"},
        "sessions:clear_no_shows": {"note": "Documented illness."},
        "teaching:save_experience": {"text": "Led weekly anatomy reviews for first-year students."},
        "teaching:endorse": {"term": _half_year_of(world["past"]), "note": "Well prepared"},
        "teaching:requirements": {"name": "Tutor orientation", "valid_for_months": "12", "active": "on"},
        "teaching:confirm_requirement": {"completed_on": timezone.localdate().isoformat()},
        "program:term_new": {"name": "Spring 2030", "first_day": "2030-01-07", "last_day": "2030-05-03"},
        "program:holiday_new": {"name": "Spring break", "first_day": "2030-03-11", "last_day": "2030-03-15"},
        "program:exam_new": {"name": "Block 2", "kind": "block", "scale": "percent", "first_day": "2030-03-19",
                             "last_day": "2030-03-19"},
        "program:announcement_new": {"form_key": "fuzz", "audience": "mentees", "title": "Room change",
                                     "body": "We meet in Lab B."},
        "feedback:questions": {"text": "Was the pace right?", "kind": "yes_no"},
    }
    return {view: {name: [value] for name, value in payload.items()} for view, payload in payloads.items()}


# Views whose accepted post creates a row of this model (the others change rows or only read).
CREATES = {
    "accounts:mentor_apply": MentorApplication, "accounts:invitations": Invitation,
    "subjects:list": Subject, "sessions:series_new": ReviewSeries, "sessions:record": Attendance,
    "reports:exam_import": ExamImport, "teaching:endorse": Endorsement, "teaching:requirements": Requirement,
    "program:term_new": Term, "program:announcement_new": Announcement,
    "feedback:questions": SurveyQuestion,
}


def broken_post(valid: dict, names: list[str], known: list[str] = ()):
    """A valid post with some of its fields (none, one or a few) replaced or removed, or arbitrary data."""
    value = st.one_of(values, st.sampled_from(list(known))) if known else values

    @st.composite
    def mutate(draw):
        data = dict(valid)
        for name in draw(st.sets(st.sampled_from(names), max_size=3)):
            data[name] = draw(st.lists(value, max_size=2))
            if not data[name]:
                del data[name]
        return data

    return st.one_of(mutate(), post_data(names, known)) if valid else post_data(names, known)


# Views whose form takes any input (an optional free-text reason): nothing there to refuse.
ACCEPTS_ANYTHING = {
    "matching:end": "the reason is optional text", "matching:decline": "the reason is optional text",
    "matching:request": "the message is optional text (the service may still refuse)",
}

# Views that take numbers or dates, and the text boxes among their fields that hold numbers or dates.
EXTREME_TARGETS = {
    "accounts:onboarding": [], "accounts:profile": [], "accounts:preferences": ["reminder_offsets_hours"],
    "sessions:series_new": ["skip_dates"], "sessions:series_edit": [], "sessions:series_cancel": [],
    "sessions:occurrence_edit": [], "reports:report": [], "roster:detail": [], "program:rules": [],
    "teaching:requirements": [], "teaching:confirm_requirement": [],
    "program:term_new": [], "program:holiday_new": [], "program:exam_new": [],
    "reports:exam_outreach": ["below"],
    "reports:research_export": [],
}


# The rows an invalid post must leave as they were.
TRACKED = [User, Subject, ReviewSeries, Occurrence, Booking, Attendance, OutcomeNote, Rating, Mentorship,
           MentorApplication, Invitation, MatchingRound, ExamImport, ExamResult, RosterImport, RosterEntry, ApiToken,
           Endorsement, Requirement, RequirementCompletion, ExperienceEntry,
           Term, Holiday, Announcement, SurveyQuestion, SurveyResponse, ConfidenceBefore, CheckIn]

# (view name, who posts, form class name, the URL's object from the world or None, method)
FORM_VIEWS = [
    ("accounts:onboarding", "newcomer", "OnboardingForm", None, "post"),
    ("accounts:profile", "mentee", "ProfileForm", None, "post"),
    ("accounts:preferences", "mentee", "PreferencesForm", None, "post"),
    ("accounts:delete", "mentee", "DeleteAccountForm", None, "post"),
    ("accounts:mentor_apply", "ms3", "MentorApplicationForm", None, "post"),
    ("accounts:application_detail", "admin", "DecisionForm", "application", "post"),
    ("accounts:correct_class_year", "admin", "ClassYearForm", "mentee", "post"),
    ("accounts:invitations", "admin", "InvitationForm", None, "post"),
    ("matching:request", "mentee", "MentorshipRequestForm", "mentor", "post"),
    ("matching:decline", "mentor", "ReasonForm", "pending", "post"),
    ("matching:end", "mentor", "ReasonForm", "active", "post"),
    ("matching:rounds", "admin", "StartRoundForm", None, "post"),
    ("subjects:list", "admin", "SubjectForm", None, "post"),
    ("subjects:rename", "admin", "RenameSubjectForm", "anatomy", "post"),
    ("sessions:series_new", "mentor", "SeriesForm", None, "post"),
    ("sessions:series_edit", "mentor", "SeriesEditForm", "series", "post"),
    ("sessions:series_cancel", "mentor", "CancelSeriesForm", "series", "post"),
    ("sessions:occurrence_edit", "mentor", "OccurrenceEditForm", "occurrence", "post"),
    ("sessions:occurrence_cancel", "mentor", "CancelOccurrenceForm", "occurrence", "post"),
    ("sessions:record", "mentor", "RecordForm", "past", "post"),
    ("sessions:rate", "mentee", "RatingForm", "past", "post"),
    ("sessions:browse", "mentee", "BrowseForm", None, "get"),
    ("reports:report", "admin", "ReportFilterForm", None, "get"),
    ("reports:exam_import", "admin", "ExamUploadForm", None, "post"),
    ("reports:exam_outreach", "admin", "OutreachForm", None, "get"),
    ("reports:research_export", "admin", "ResearchExportForm", None, "post"),  # accepted: a zip download
    ("roster:upload", "admin", "RosterUploadForm", None, "post"),
    ("roster:detail", "admin", "RosterConfirmForm", "roster_import", "post"),
    ("account_login", None, "SchoolLoginForm", None, "post"),  # allauth's sign-in, as nobody yet
    ("api:tokens", "admin", "ApiTokenForm", None, "post"),  # a made token answers 201, not 200
    ("program:rules", "admin", "ProgramRulesForm", None, "post"),
    ("sessions:clear_no_shows", "admin", "ClearNoShowsForm", "no_show_mentee", "post"),
    ("teaching:save_experience", "mentor", "ExperienceForm", None, "post"),
    ("teaching:endorse", "admin", "EndorseForm", "mentor", "post"),
    ("teaching:requirements", "admin", "RequirementForm", None, "post"),
    ("teaching:confirm_requirement", "mentor", "CompletionForm", "requirement", "post"),
    ("program:term_new", "admin", "TermForm", None, "post"),
    ("program:holiday_new", "admin", "HolidayForm", None, "post"),
    ("program:exam_new", "admin", "ExamForm", None, "post"),
    ("program:calendar_import", "admin", "CalendarUploadForm", None, "post"),
    ("program:holiday_sessions", "admin", "CancelHolidaySessionsForm", "holiday", "post"),
    ("program:announcement_new", "admin", "AnnouncementForm", None, "post"),
    ("feedback:survey", "mentee", "SurveyForm", "past", "post"),
    ("feedback:confidence", "mentee", "ConfidenceForm", "occurrence", "post"),
    ("feedback:questions", "admin", "QuestionForm", None, "post"),
    ("checkin:occurrence", "mentee", "CheckInForm", "occurrence", "post"),
]


# A request renders a whole page: fewer examples per view keep the 24 views within seconds each.
HTTP = settings(FEW, max_examples=max(5, FEW.max_examples // 3))


VIEW_OF_FORM = {form: view for view, _, form, _, _ in FORM_VIEWS}  # form class name -> view name


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TRACKED}


def refusal_is_shown(response) -> bool:
    """The page says what was wrong: a form with errors, or an error message."""
    contexts = response.context if isinstance(response.context, list) else [response.context] if response.context else []
    shown_forms = [v for c in contexts for v in c.flatten().values() if isinstance(v, forms.BaseForm)]
    if any(form.errors for form in shown_forms):
        return True
    return any(m.level >= ERROR for m in get_messages(response.wsgi_request))


def why(response) -> str:
    contexts = response.context if isinstance(response.context, list) else [response.context] if response.context else []
    errors = [v.errors for c in contexts for v in c.flatten().values() if isinstance(v, forms.BaseForm)]
    return f"{response.status_code} {errors} {[str(m) for m in get_messages(response.wsgi_request)]}"


def exam_file(world) -> bytes:
    return f"email,exam,date,score\n{world['mentee'].email},Block 1,2026-01-12,81\n".encode()


TYPED_FIELDS = (forms.IntegerField, forms.DateField, forms.TimeField, forms.DecimalField, forms.FloatField)
