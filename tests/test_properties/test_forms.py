"""Every form, and every form-backed view, under arbitrary input: never an exception or a 5xx,
and an invalid POST leaves the database as it was."""

import importlib
import inspect
from datetime import timedelta
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.class_year import graduation_year_for
from accounts.models import Invitation, MentorApplication, User
from api.models import ApiToken
from mentorship.models import MatchingRound, Mentorship
from reports.models import ExamImport, ExamResult
from sessions import selectors as session_selectors
from sessions.models import Attendance, Booking, Occurrence, OutcomeNote, Rating, ReviewSeries
from subjects.models import Subject
from tests.factories import (
    BookingFactory,
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
from tests.test_mentorship.support import mentee_wanting, mentor_teaching
from tests.test_properties.support import FEW, rolled_back

pytestmark = pytest.mark.django_db

NASTY = [
    "", " ", "\x00", "a\x00b", "0", "-1", "1.5", "99999999999999999999999", "-99999999999999999999", "1e400",
    "NaN", "inf", "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "10000-01-01", "25:61", "23:59:60",
    "12:00 pm", "https://", "javascript:alert(1)", "http://[::1", "a@b", "@", "<script>alert(1)</script>",
    "Ünïcödé ✓ 🙂", "\u202e", "\ud7ff", "x" * 5000, "mon,tue", "on", "true", "approve", "decline",
]
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(NASTY),
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
    return {
        "anatomy": anatomy,
        "admin": ProgramAdminFactory(),
        "mentor": mentor,
        "mentee": mentee,
        "ms3": MenteeFactory(graduation_year=graduation_year_for(3)),
        "newcomer": UserFactory(onboarded_at=None),
        "series": series,
        "occurrence": series.occurrences.order_by("starts_at").first(),
        "past": past,
        "pending": MentorshipFactory(mentor=mentor, mentee=mentee_wanting(anatomy)),
        "active": MentorshipFactory(mentor=mentor, mentee=mentee_wanting(biochem), status=Mentorship.Status.ACTIVE),
        "application": MentorApplicationFactory(),
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


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: cls.__name__)
def test_arbitrary_input_never_makes_a_form_raise(form_class, world):
    # Fields added in __init__ (wanted_1.., attendance_<id>) are fuzzed too.
    names = list(dict.fromkeys([*form_class.base_fields, *_bind(form_class, {}, world).fields]))
    known = _known_ids(world)

    @FEW
    @given(data=st.data())
    def check(data):
        payload = data.draw(post_data(names, known))
        raw = data.draw(st.one_of(st.none(), st.binary(max_size=200))) if "file" in names else None
        with rolled_back():
            form = _bind(form_class, payload, world, raw)
            if form.is_valid():
                assert isinstance(form.cleaned_data, dict)
            else:
                assert form.errors
            if hasattr(form, "class_year_hint"):
                form.class_year_hint()

    check()


# ---------------------------------------------------------------------------
# The HTTP level: each form-backed view, as a user allowed to use it
# ---------------------------------------------------------------------------
TRACKED = [User, Subject, ReviewSeries, Occurrence, Booking, Attendance, OutcomeNote, Rating, Mentorship,
           MentorApplication, Invitation, MatchingRound, ExamImport, ExamResult, ApiToken]

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
    ("api:tokens", "admin", "ApiTokenForm", None, "post"),  # a made token answers 201, not 200
]


# A request renders a whole page: fewer examples per view keep the 24 views within seconds each.
HTTP = settings(FEW, max_examples=max(5, FEW.max_examples // 3))


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TRACKED}


def test_every_form_is_posted_through_its_view():
    posted = {form for _, _, form, _, _ in FORM_VIEWS}
    assert posted == {cls.__name__ for cls in FORM_CLASSES}


@pytest.mark.parametrize(("view", "who", "form_name", "target", "method"), FORM_VIEWS, ids=[v[0] for v in FORM_VIEWS])
def test_arbitrary_posts_to_a_form_view_never_give_a_server_error_nor_half_saved_rows(
    client, world, view, who, form_name, target, method
):
    form_class = next(cls for cls in FORM_CLASSES if cls.__name__ == form_name)
    url = reverse(view, args=[world[target].pk] if target else [])
    names = list(dict.fromkeys([*form_class.base_fields, *_bind(form_class, {}, world).fields]))
    known = _known_ids(world)
    client.force_login(world[who])

    @HTTP
    @given(data=st.data())
    def check(data):
        payload = data.draw(post_data(names, known))
        with rolled_back():
            before = _counts()
            if method == "get":
                response = client.get(url, payload)
            else:
                if form_name == "ExamUploadForm":
                    raw = data.draw(st.binary(max_size=200))
                    payload["file"] = SimpleUploadedFile(data.draw(st.sampled_from(["a.csv", "\x00.csv", "é" * 300])), raw)
                response = client.post(url, payload)
            assert response.status_code < 500
            if response.status_code == 200 and method == "post":
                assert _counts() == before, "an invalid post saved rows"

    check()
