"""Every form, and every form-backed view, under arbitrary input: never an exception or a 5xx,
an invalid POST leaves the database as it was and says why, and a valid one is accepted.

The test client re-raises a view's exception by default, so a `status != 500` assertion alone
proves nothing: the HTTP tests switch that off and assert the status the user gets. Strategies
start from a valid post per view and break a few fields (extreme numbers and dates included), so
both sides are exercised and the run asserts that some posts were accepted and others refused."""

import importlib
import inspect
from datetime import date, timedelta
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import ERROR, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given, settings
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
    BookingFactory,
    HolidayFactory,
    MenteeFactory,
    MentorApplicationFactory,
    MentorshipFactory,
    OccurrenceFactory,
    ProgramAdminFactory,
    ReviewSeriesFactory,
    SubjectFactory,
    UserFactory,
    published_series,
)
from tests.factories_program import missed
from tests.test_mentorship.support import mentee_wanting, mentor_teaching
from tests.test_properties.support import FEW, rolled_back

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def world():
    """A small program: subjects, an admin, a mentor with a series and a past session, mentees."""
    anatomy, biochem = SubjectFactory(name="Anatomy"), SubjectFactory(name="Biochemistry")
    mentor = mentor_teaching(anatomy, biochem, capacity=2)
    mentee = mentee_wanting(anatomy, biochem)
    series = published_series(mentor=mentor, subject=anatomy)
    past = OccurrenceFactory(
        series=ReviewSeriesFactory(mentor=mentor, subject=anatomy),
        starts_at=timezone.now() - timedelta(hours=3),
    )
    BookingFactory(occurrence=past, mentee=mentee)
    requirement = Requirement.objects.create(name="FERPA training")  # done by the mentor: publishing stays open
    RequirementCompletion.objects.create(requirement=requirement, mentor=mentor, completed_on=timezone.localdate(),
                                         recorded_by=mentor, recorded_at=timezone.now())  # fmt: skip
    return {
        "requirement": requirement,
        "anatomy": anatomy,
        "admin": ProgramAdminFactory(),
        "mentor": mentor,
        "mentee": mentee,
        "ms3": MenteeFactory(graduation_year=graduation_year_for(3)),
        "biochem": biochem,
        "newcomer": UserFactory(onboarded_at=None),
        "no_show_mentee": missed(MenteeFactory()).mentee,  # one no-show this term, for the Clear form
        "series": series,
        "occurrence": series.occurrences.order_by("starts_at").first(),
        "past": past,
        "pending": MentorshipFactory(mentor=mentor, mentee=mentee_wanting(anatomy)),
        "active": MentorshipFactory(mentor=mentor, mentee=mentee_wanting(biochem), status=Mentorship.Status.ACTIVE),
        "application": MentorApplicationFactory(),
        "holiday": HolidayFactory(first_day=timezone.localdate() + timedelta(days=3),
                                  last_day=timezone.localdate() + timedelta(days=10)),
        "likert_question": SurveyQuestion.objects.create(text="Was it clear?", kind="likert", position=1),
        "text_question": SurveyQuestion.objects.create(text="What should change?", kind="text", position=2),
        "roster_import": RosterImport.objects.create(
            filename="roster.csv", full_roster=False,
            content=f"email,given name,surname,graduation year,roles\nnew@school.edu,New,Student,{graduation_year_for(1)},mentee\n",
        ),  # fmt: skip
    }


def _known_ids(world) -> list[str]:
    ids = [str(obj.pk) for obj in world.values() if hasattr(obj, "pk")]
    return ids + [str(v) for v in range(1, 6)] + ["approve", "decline", "attended", "absent", "anatomy_review"]


def _bind(cls, data: dict, world, raw_file: bytes | None = None):
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


def test_every_form_of_the_project_is_covered():
    names = {cls.__name__ for cls in FORM_CLASSES}
    # A guard against discovery silently finding nothing; new forms join the property test by themselves.
    assert {"ProfileForm", "OnboardingForm", "SeriesForm", "RecordForm", "ReportFilterForm", "SubjectForm",
            "MentorshipRequestForm", "ExamUploadForm"} <= names


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


def _valid_payloads(world) -> dict[str, dict[str, list[str]]]:
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


VIEW_OF_FORM = {}  # filled below from FORM_VIEWS: form class name -> view name

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


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: cls.__name__)
def test_arbitrary_input_never_makes_a_form_raise(form_class, world):
    # Fields added in __init__ (wanted_1.., attendance_<id>) are fuzzed too.
    names = list(dict.fromkeys([*form_class.base_fields, *_bind(form_class, {}, world).fields]))
    known = _known_ids(world)
    valid = _valid_payloads(world).get(VIEW_OF_FORM[form_class.__name__], {})
    outcomes = {"valid": 0, "invalid": 0}

    @FEW
    @given(data=st.data())
    def check(data):
        payload = data.draw(broken_post(valid, names, known))
        raw = data.draw(st.one_of(st.none(), st.binary(max_size=200))) if "file" in names else None
        with rolled_back():
            form = _bind(form_class, payload, world, raw)
            if form.is_valid():
                outcome = "valid"
                # Every field has its cleaned value (a clean_<field>() or clean() that drops one breaks views).
                assert set(form.fields) <= set(form.cleaned_data), set(form.fields) - set(form.cleaned_data)
            else:
                outcome = "invalid"
                # Each error belongs to a field of the form (or the whole form) and says something.
                assert set(form.errors) <= {*form.fields, "__all__"}
                assert all(message.strip() for errors in form.errors.values() for message in errors)
            outcomes[outcome] += 1
            event(outcome)
            if hasattr(form, "class_year_hint"):
                form.class_year_hint()

    check()
    if VIEW_OF_FORM[form_class.__name__] not in ACCEPTS_ANYTHING:
        assert outcomes["invalid"], "no example was refused"
    if valid and form_class.__name__ not in {"ExamUploadForm"}:
        assert outcomes["valid"] or _bind(form_class, valid, world).is_valid(), outcomes


# ---------------------------------------------------------------------------
# The HTTP level: each form-backed view, as a user allowed to use it
# ---------------------------------------------------------------------------
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


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TRACKED}


def test_every_form_is_posted_through_its_view():
    posted = {form for _, _, form, _, _ in FORM_VIEWS}
    assert posted == {cls.__name__ for cls in FORM_CLASSES}


def _refusal_is_shown(response) -> bool:
    """The page says what was wrong: a form with errors, or an error message."""
    contexts = response.context if isinstance(response.context, list) else [response.context] if response.context else []
    shown_forms = [v for c in contexts for v in c.flatten().values() if isinstance(v, forms.BaseForm)]
    if any(form.errors for form in shown_forms):
        return True
    return any(m.level >= ERROR for m in get_messages(response.wsgi_request))


def _why(response) -> str:
    contexts = response.context if isinstance(response.context, list) else [response.context] if response.context else []
    errors = [v.errors for c in contexts for v in c.flatten().values() if isinstance(v, forms.BaseForm)]
    return f"{response.status_code} {errors} {[str(m) for m in get_messages(response.wsgi_request)]}"


def _exam_file(world) -> bytes:
    return f"email,exam,date,score\n{world['mentee'].email},Block 1,2026-01-12,81\n".encode()


@pytest.mark.parametrize(("view", "who", "form_name", "target", "method"), FORM_VIEWS, ids=[v[0] for v in FORM_VIEWS])
def test_arbitrary_posts_to_a_form_view_never_give_a_server_error_nor_half_saved_rows(
    client, world, view, who, form_name, target, method
):
    form_class = next(cls for cls in FORM_CLASSES if cls.__name__ == form_name)
    url = reverse(view, args=[world[target].pk] if target else [])
    names = list(dict.fromkeys([*form_class.base_fields, *_bind(form_class, {}, world).fields]))
    known = _known_ids(world)
    valid = _valid_payloads(world).get(view, {})
    client.raise_request_exception = False  # a server error must show up as the 500 a user gets
    outcomes = {"accepted": 0, "refused": 0, "created": 0}

    def send(payload: dict, file_name: str = "a.csv", raw: bytes | None = None):
        if who:
            client.force_login(world[who])  # an accepted delete_account signs the user out
        if method == "get":
            return client.get(url, payload)
        if form_name == "ExamUploadForm":
            payload = {**payload, "file": SimpleUploadedFile(file_name, _exam_file(world) if raw is None else raw)}
        return client.post(url, payload)

    def judge(response, before: dict[str, int], model, touched: bool = True) -> str:
        assert response.status_code in (200, 302, 400), f"{response.status_code} for {view}"
        download = response.status_code == 200 and response.has_header("Content-Disposition")
        accepted = not _refusal_is_shown(response) and (response.status_code == 302 or method == "get" or download)
        if accepted:
            outcomes["accepted"] += 1
            if model is not None and model.objects.count() > before[model.__name__]:
                outcomes["created"] += 1
        else:
            outcomes["refused"] += 1
            # An empty post (no field of the form) shows the empty form again, as a GET does.
            assert _refusal_is_shown(response) or not touched, f"{view} refused a post without saying why"
            if method == "post":
                assert _counts() == before, "an invalid post saved rows"
        return "accepted" if accepted else "refused"

    # The unbroken post first: the fuzzing below must be able to tell accepted from refused.
    if valid:
        with rolled_back():
            before = _counts()
            response = send(dict(valid))
            judge(response, before, CREATES.get(view))
        assert outcomes["accepted"] == 1, f"the valid post to {view} was refused: {_why(response)}"

    @HTTP
    @given(data=st.data())
    def check(data):
        payload = data.draw(broken_post(valid, names, known))
        raw = data.draw(st.one_of(st.none(), st.binary(max_size=200))) if form_name == "ExamUploadForm" else None
        file_name = data.draw(st.sampled_from(["a.csv", "\x00.csv", "é" * 300])) if raw is not None else "a.csv"
        with rolled_back():
            before = _counts()
            touched = bool(set(payload) & set(names)) or form_name == "ExamUploadForm"
            event(judge(send(payload, file_name, raw), before, CREATES.get(view), touched))

    check()
    if view not in ACCEPTS_ANYTHING:
        assert outcomes["refused"], f"no post to {view} was refused: the fuzzing reached no invalid input"
    if view in CREATES:
        assert outcomes["created"], f"no accepted post to {view} created a {CREATES[view].__name__}"


TYPED_FIELDS = (forms.IntegerField, forms.DateField, forms.TimeField, forms.DecimalField, forms.FloatField)


@pytest.mark.parametrize(
    ("view", "who", "form_name", "target", "method"),
    [v for v in FORM_VIEWS if v[0] in EXTREME_TARGETS],
    ids=[v[0] for v in FORM_VIEWS if v[0] in EXTREME_TARGETS],
)
def test_extreme_numbers_and_dates_are_refused_with_a_message_and_what_was_typed_is_kept(
    client, world, view, who, form_name, target, method
):
    """Issue 11, item 11: a duration of 10^14 minutes, a move to 9999-12-31 23:30, a series ending in
    9999 answered 500. Every number, date and time box gets extreme values on top of a valid post."""
    form_class = next(cls for cls in FORM_CLASSES if cls.__name__ == form_name)
    url = reverse(view, args=[world[target].pk] if target else [])
    typed = [n for n, f in form_class.base_fields.items() if isinstance(f, TYPED_FIELDS) or n in EXTREME_TARGETS[view]]
    valid = _valid_payloads(world)[view]
    client.raise_request_exception = False
    client.force_login(world[who])
    refused = 0

    @settings(FEW, max_examples=max(10, FEW.max_examples // 2))
    @given(extremes=st.dictionaries(st.sampled_from(typed), st.sampled_from(EXTREMES), min_size=1, max_size=3))
    def check(extremes):
        nonlocal refused
        payload = {**valid, **{name: [value] for name, value in extremes.items()}}
        with rolled_back():
            before = _counts()
            response = client.get(url, payload) if method == "get" else client.post(url, payload)
            assert response.status_code in (200, 302, 400), f"{response.status_code} for {extremes}"
            if _refusal_is_shown(response):
                refused += 1
                event("refused")
                assert _counts() == before
                if response.status_code != 302:
                    form = next(v for c in (response.context if isinstance(response.context, list) else [response.context])
                                for v in c.flatten().values() if isinstance(v, form_class))
                    for name, value in extremes.items():
                        assert form[name].value() in (value, [value]), f"{name}: typed {value!r}, shown {form[name].value()!r}"
            else:
                event("accepted")

    check()
    assert refused, f"no extreme value was refused by {view}"


def test_every_form_view_that_takes_numbers_or_dates_gets_extreme_values():
    takes = {view for view, _, form, _, _ in FORM_VIEWS
             if any(isinstance(f, TYPED_FIELDS) for f in next(c for c in FORM_CLASSES if c.__name__ == form).base_fields.values())}
    assert takes <= set(EXTREME_TARGETS), takes - set(EXTREME_TARGETS)
    assert {"sessions:series_new", "sessions:occurrence_edit", "reports:report"} <= takes


VIEW_OF_FORM.update({form: view for view, _, form, _, _ in FORM_VIEWS})
