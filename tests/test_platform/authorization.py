"""What the authorization matrix checks (tests/test_platform/test_authorization_matrix.py): every
URL's expected answer per role (MATRIX), the URLs the resolver knows, and the one "world" of
objects the object URLs are filled from. The CSRF and no-store tests walk the same URLs."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.class_year import graduation_year_for
from api.services import create_token
from feedback.models import SurveyQuestion
from mentorship.models import MatchingRound
from program.models import Announcement, CalendarImport, ProgramRules
from reports.models import ExamImport
from roster.models import RosterEntry, RosterImport
from tests.factories import (
    AttendanceFactory,
    BookingFactory,
    ExamFactory,
    HolidayFactory,
    InvitationFactory,
    MenteeFactory,
    MentorApplicationFactory,
    MentorFactory,
    MentorshipFactory,
    OccurrenceFactory,
    OutcomeNoteFactory,
    ProgramAdminFactory,
    StandingBookingFactory,
    SubjectFactory,
    TermFactory,
    UserFactory,
    WaitlistEntryFactory,
    published_series,
)
from tests.test_program.ical_samples import SCHOOL_CALENDAR

ROLES = ("anonymous", "mentee", "other_mentee", "mentor", "other_mentor", "admin")
WITHOUT_MFA = "admin_without_mfa"  # a program admin (and Django staff) with no authenticator yet
ALL_ROLES = (*ROLES, WITHOUT_MFA)
LOGIN = "login"  # a redirect to the sign-in page
MFA = "mfa"  # a redirect to exactly the TOTP setup page

# Shorthands, in ROLES order.
PUBLIC = (200, 200, 200, 200, 200, 200)
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)
POST_ONLY = (LOGIN, 405, 405, 405, 405, 405)
ADMIN_ONLY = (LOGIN, 403, 403, 403, 403, 200)
ADMIN_POST_ONLY = (LOGIN, 403, 403, 403, 403, 405)
MENTOR_OWNER_ONLY = (LOGIN, 403, 403, 200, 403, 403)  # the series' mentor
MENTORS = (LOGIN, 403, 403, 200, 200, 403)  # any approved mentor
MENTEES = (LOGIN, 200, 200, 403, 403, 403)  # any mentee


def no_kwargs(w):
    return {}


# The only platform URLs a program admin without MFA may open, and what they answer; every other
# URL sends them to set up TOTP before its view runs (accounts.middleware.AccountGateMiddleware).
NEEDS_NO_MFA = {
    "healthz": 200,  # shows nothing of anyone's
    "sessions:feed": 200,  # the token is the key, not the signed-in user
    # The API reads no session cookie: its token is the key (tests/test_api), its docs show no one's data.
    "api-v1:api-root": 302, "api-v1:openapi-json": 200, "api-v1:openapi-view": 200,
    "api-v1:sessions": 401, "api-v1:session": 401, "api-v1:occurrences": 401, "api-v1:occurrence": 401,
    "api-v1:student_bookings": 401, "api-v1:student_attendance": 401, "api-v1:figures": 401,
    "api-v1:roster": 405,
    "teaching:verify": 200,  # the certificate's token is the key; it shows only the certificate
}  # fmt: skip
# The API answers a signed-in browser as it answers anyone without a token: 401.
API_TOKEN_ONLY = (401, 401, 401, 401, 401, 401)


def expected_for(name: str, role: str, expected: tuple) -> int | str:
    if role == WITHOUT_MFA:
        return NEEDS_NO_MFA.get(name, MFA)
    return expected[ROLES.index(role)]


def _occurrence(w):
    return {"pk": w["occurrence"].pk}


def _past(w):
    return {"pk": w["past"].pk}


def _series(w):
    return {"pk": w["series"].pk}


def _round(w):
    return {"pk": w["round"].pk}


# url name -> (kwargs builder, expected status per role).
MATRIX = {
    "home": (no_kwargs, (200, 302, 302, 302, 302, 302)),  # signed in: on to the dashboard
    "dashboard": (no_kwargs, SIGNED_IN),
    "healthz": (no_kwargs, PUBLIC),
    # accounts
    "accounts:onboarding": (no_kwargs, (LOGIN, 302, 302, 302, 302, 302)),  # already onboarded: on to the profile
    "accounts:profile": (no_kwargs, SIGNED_IN),
    "accounts:preferences": (no_kwargs, SIGNED_IN),
    "accounts:privacy": (no_kwargs, SIGNED_IN),
    "accounts:export": (no_kwargs, SIGNED_IN),  # the signed-in user's own data only
    "accounts:delete": (no_kwargs, POST_ONLY),
    "accounts:mentor_apply": (no_kwargs, (LOGIN, 200, 200, 403, 403, 200)),
    "accounts:applications": (no_kwargs, ADMIN_ONLY),
    "accounts:application_detail": (lambda w: {"pk": w["application"].pk}, ADMIN_ONLY),
    "accounts:people": (no_kwargs, ADMIN_ONLY),
    "accounts:correct_class_year": (lambda w: {"pk": w["mentee"].pk}, ADMIN_POST_ONLY),
    "accounts:invitations": (no_kwargs, ADMIN_ONLY),
    # anonymous: on to sign-up; signed in: nothing to accept, on to the dashboard
    "accounts:accept_invitation": (lambda w: {"token": w["invitation"].token}, (302, 302, 302, 302, 302, 302)),
    # matching
    "matching:find": (no_kwargs, MENTEES),
    "matching:request": (lambda w: {"mentor_id": w["mentor"].pk}, MENTEES),
    "matching:requests": (no_kwargs, MENTORS),  # a mentor's own incoming requests
    "matching:accept": (lambda w: {"pk": w["request"].pk}, POST_ONLY),
    "matching:decline": (lambda w: {"pk": w["request"].pk}, POST_ONLY),
    "matching:withdraw": (lambda w: {"pk": w["request"].pk}, POST_ONLY),
    "matching:end": (lambda w: {"pk": w["pair"].pk}, POST_ONLY),
    "matching:rounds": (no_kwargs, ADMIN_ONLY),
    "matching:round": (_round, ADMIN_ONLY),
    "matching:round_progress": (_round, ADMIN_ONLY),
    "matching:round_pair": (lambda w: {"pk": w["round"].pk, "mentee_id": w["mentee"].pk}, ADMIN_POST_ONLY),
    "matching:commit": (_round, ADMIN_POST_ONLY),
    # subjects
    "subjects:list": (no_kwargs, ADMIN_ONLY),
    "subjects:rename": (lambda w: {"pk": w["subject"].pk}, ADMIN_POST_ONLY),
    "subjects:retire": (lambda w: {"pk": w["subject"].pk}, ADMIN_POST_ONLY),
    # sessions
    "sessions:browse": (no_kwargs, SIGNED_IN),
    "sessions:mine": (no_kwargs, SIGNED_IN),
    "sessions:my_week": (no_kwargs, MENTORS),
    "sessions:series_new": (no_kwargs, MENTORS),
    "sessions:series": (_series, SIGNED_IN),
    "sessions:series_edit": (_series, MENTOR_OWNER_ONLY),
    "sessions:series_cancel": (_series, MENTOR_OWNER_ONLY),
    "sessions:book_series": (_series, POST_ONLY),
    "sessions:occurrence": (_occurrence, SIGNED_IN),
    "sessions:book": (_occurrence, POST_ONLY),
    "sessions:join_waitlist": (_occurrence, POST_ONLY),
    "sessions:occurrence_edit": (_occurrence, MENTOR_OWNER_ONLY),
    "sessions:occurrence_cancel": (_occurrence, MENTOR_OWNER_ONLY),
    "sessions:record": (_past, MENTOR_OWNER_ONLY),
    "sessions:rate": (_past, MENTEES),  # the form; attendance is checked when it is sent
    "sessions:occurrence_ics": (_occurrence, (LOGIN, 200, 403, 200, 403, 200)),  # booked mentee, its mentor, admins
    "sessions:cancel_booking": (lambda w: {"pk": w["booking"].pk}, POST_ONLY),
    "sessions:confirm_cancel_booking": (lambda w: {"pk": w["booking"].pk}, (LOGIN, 200, 403, 403, 403, 403)),
    "sessions:end_standing": (lambda w: {"pk": w["standing"].pk}, POST_ONLY),
    "sessions:leave_waitlist": (lambda w: {"pk": w["waitlist"].pk}, POST_ONLY),
    # a waitlist offer: only the mentee it is for (the world's waitlist place is the mentee's)
    "sessions:offer": (lambda w: {"pk": w["waitlist"].pk}, (LOGIN, 200, 403, 403, 403, 403)),
    "sessions:accept_offer": (lambda w: {"pk": w["waitlist"].pk}, POST_ONLY),
    "sessions:decline_offer": (lambda w: {"pk": w["waitlist"].pk}, POST_ONLY),
    "sessions:attendance_rules": (no_kwargs, ADMIN_ONLY),
    "sessions:clear_no_shows": (lambda w: {"pk": w["mentee"].pk}, ADMIN_ONLY),
    "sessions:reset_calendar": (no_kwargs, POST_ONLY),
    "sessions:feed": (lambda w: {"token": w["mentor"].calendar_token}, PUBLIC),  # the token is the key
    # notifications, audit, reports
    "sessions:reminder_log": (no_kwargs, ADMIN_ONLY),
    "program:rules": (no_kwargs, ADMIN_ONLY),
    # feedback: the survey (mentees), a series' feedback (its mentor, admins), the questions (admins)
    "feedback:survey": (_past, MENTEES),  # the form; attendance and the window are checked when it is sent
    "feedback:confidence": (_occurrence, POST_ONLY),
    "feedback:mine": (no_kwargs, MENTORS),
    "feedback:series": (_series, (LOGIN, 403, 403, 200, 403, 200)),
    "feedback:questions": (no_kwargs, ADMIN_ONLY),
    "feedback:move_question": (lambda w: {"pk": w["question"].pk}, POST_ONLY),
    "feedback:remove_question": (lambda w: {"pk": w["question"].pk}, POST_ONLY),
    "feedback:restore_question": (lambda w: {"pk": w["question"].pk}, POST_ONLY),
    # check-in: the mentor's screen (QR and code), the mentee's page (by link or by code alone)
    "checkin:present": (_occurrence, MENTOR_OWNER_ONLY),
    "checkin:occurrence": (_occurrence, MENTEES),
    "checkin:enter": (no_kwargs, MENTEES),
    "audit:access_log": (no_kwargs, ADMIN_ONLY),
    "reports:report": (no_kwargs, ADMIN_ONLY),
    "reports:export": (lambda w: {"key": "trends"}, ADMIN_ONLY),
    "reports:summary_pdf": (no_kwargs, ADMIN_ONLY),
    "reports:research_export": (no_kwargs, ADMIN_ONLY),  # GET: the form; POST downloads (tests/test_reports)
    "reports:exam_import": (no_kwargs, ADMIN_ONLY),
    "reports:exam_import_preview": (lambda w: {"pk": w["exam_import"].pk}, ADMIN_ONLY),
    # the academic calendar and announcements (program)
    "program:calendar": (no_kwargs, ADMIN_ONLY),
    "program:term_new": (no_kwargs, ADMIN_ONLY),
    "program:term_edit": (lambda w: {"pk": w["term"].pk}, ADMIN_ONLY),
    "program:holiday_new": (no_kwargs, ADMIN_ONLY),
    "program:holiday_edit": (lambda w: {"pk": w["holiday"].pk}, ADMIN_ONLY),
    "program:holiday_sessions": (lambda w: {"pk": w["holiday"].pk}, ADMIN_ONLY),
    "program:exam_new": (no_kwargs, ADMIN_ONLY),
    "program:exam_edit": (lambda w: {"pk": w["exam"].pk}, ADMIN_ONLY),
    "program:calendar_delete": (lambda w: {"kind": "holiday", "pk": w["holiday"].pk}, ADMIN_POST_ONLY),
    "program:calendar_import": (no_kwargs, ADMIN_ONLY),
    "program:calendar_import_preview": (lambda w: {"pk": w["calendar_import"].pk}, ADMIN_ONLY),
    "program:announcements": (no_kwargs, ADMIN_ONLY),
    "program:announcement_new": (no_kwargs, (LOGIN, 403, 403, 200, 200, 200)),  # mentors: to their own series
    "program:announcement": (lambda w: {"pk": w["announcement"].pk}, (LOGIN, 403, 403, 200, 403, 200)),  # its sender, admins
    "reports:exam_outreach": (no_kwargs, ADMIN_ONLY),
    # roster import
    "roster:upload": (no_kwargs, ADMIN_ONLY),
    "roster:sample": (no_kwargs, ADMIN_ONLY),
    "roster:detail": (lambda w: {"pk": w["roster_import"].pk}, ADMIN_ONLY),
    "roster:progress": (lambda w: {"pk": w["roster_import"].pk}, ADMIN_ONLY),
    # anonymous: on to choosing a password; signed in: on to the dashboard
    "roster:welcome": (lambda w: {"token": w["roster_entry"].welcome_token}, (302, 302, 302, 302, 302, 302)),
    # API tokens (program admins' page) and the API itself (a token, never the session: tests/test_api)
    "api:tokens": (no_kwargs, ADMIN_ONLY),
    "api:revoke_token": (lambda w: {"pk": w["api_token"].pk}, ADMIN_POST_ONLY),
    "api-v1:api-root": (no_kwargs, (302, 302, 302, 302, 302, 302)),  # on to the docs
    "api-v1:openapi-json": (no_kwargs, PUBLIC),
    "api-v1:openapi-view": (no_kwargs, PUBLIC),
    "api-v1:sessions": (no_kwargs, API_TOKEN_ONLY),
    "api-v1:session": (lambda w: {"series_id": w["series"].pk}, API_TOKEN_ONLY),
    "api-v1:occurrences": (no_kwargs, API_TOKEN_ONLY),
    "api-v1:occurrence": (lambda w: {"occurrence_id": w["occurrence"].pk}, API_TOKEN_ONLY),
    "api-v1:student_bookings": (no_kwargs, API_TOKEN_ONLY),
    "api-v1:student_attendance": (no_kwargs, API_TOKEN_ONLY),
    "api-v1:figures": (no_kwargs, API_TOKEN_ONLY),
    "api-v1:roster": (no_kwargs, (405, 405, 405, 405, 405, 405)),  # POST only, and only with a token
    # teaching record, certificates and readiness
    "teaching:my_record": (no_kwargs, MENTORS),  # a mentor's own record
    "teaching:save_experience": (no_kwargs, (LOGIN, 403, 403, 405, 405, 403)),
    "teaching:confirm_requirement": (lambda w: {"pk": w["requirement"].pk}, (LOGIN, 403, 403, 405, 405, 403)),
    "teaching:records": (no_kwargs, ADMIN_ONLY),
    "teaching:mentor_record": (lambda w: {"mentor_id": w["mentor"].pk}, ADMIN_ONLY),
    "teaching:endorse": (lambda w: {"mentor_id": w["mentor"].pk}, ADMIN_POST_ONLY),
    "teaching:certificate_pdf": (lambda w: {"pk": w["certificate"].pk}, (LOGIN, 403, 403, 200, 403, 200)),  # its mentor, admins
    "teaching:revoke_certificate": (lambda w: {"pk": w["certificate"].pk}, ADMIN_POST_ONLY),
    "teaching:reissue_certificate": (lambda w: {"pk": w["endorsement"].pk}, ADMIN_POST_ONLY),
    "teaching:verify": (lambda w: {"token": WORLD_CERTIFICATE_TOKEN}, PUBLIC),  # the token is the key
    "teaching:requirements": (no_kwargs, ADMIN_ONLY),
    "teaching:edit_requirement": (lambda w: {"pk": w["requirement"].pk}, ADMIN_ONLY),
    "teaching:record_completion": (lambda w: {"pk": w["requirement"].pk, "mentor_id": w["mentor"].pk}, ADMIN_POST_ONLY),
}
WORLD_CERTIFICATE_TOKEN = "world-certificate-token"


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), prefix + str(pattern.pattern)


def _walk_callbacks(patterns, namespace=None):
    """(url name, view callback) for every named URL, for checks on the views themselves."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk_callbacks(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def all_urls() -> dict[str, str]:
    """url name -> route, for every named URL the resolver knows."""
    return dict(_walk(get_resolver().url_patterns))


def is_allauth(route: str) -> bool:
    return route.startswith("accounts/")


def is_django_admin(name: str) -> bool:
    return name.startswith("admin:")


# ---------------------------------------------------------------------------
# The world
# ---------------------------------------------------------------------------


def build_world() -> dict:
    subject = SubjectFactory()
    mentee, other_mentee = MenteeFactory(), MenteeFactory()
    mentor, other_mentor = MentorFactory(), MentorFactory()
    admin = ProgramAdminFactory(is_staff=True, is_superuser=True)
    admin_without_mfa = ProgramAdminFactory(is_staff=True, is_superuser=True, mfa=False)
    series = published_series(mentor=mentor, subject=subject)
    occurrence, later = list(series.occurrences.order_by("starts_at"))[:2]
    past = OccurrenceFactory(
        series=series, starts_at=(timezone.now() - dt.timedelta(days=3)).replace(second=0, microsecond=0)
    )
    AttendanceFactory(occurrence=past, mentee=mentee)
    note = OutcomeNoteFactory(occurrence=past)
    bystander = MenteeFactory()
    exam_import = ExamImport.objects.create(
        uploaded_by=admin, filename="exams.csv",
        content=f"email,exam,date,score\n{mentee.email},Anatomy block,2026-01-10,81\n",
    )  # fmt: skip
    matching_round = MatchingRound.objects.create(
        created_by=admin, status=MatchingRound.Status.PREVIEW, progress=100, computed_at=timezone.now(),
        proposed_pairs=[{
            "mentor_id": mentor.pk, "mentor_name": mentor.get_full_name(), "mentee_id": mentee.pk,
            "mentee_name": mentee.get_full_name(), "subject_ids": [subject.pk], "score": 1.0, "reasons": [],
            "dropped": False,
        }],
    )  # fmt: skip
    roster_import = RosterImport.objects.create(
        uploaded_by=admin, filename="roster.csv",
        content=f"email,given name,surname,graduation year,roles\nnew@school.edu,New,Student,{graduation_year_for(1)},mentee\n",
    )  # fmt: skip
    term = TermFactory(name="Spring", first_day=dt.date(2027, 1, 11), last_day=dt.date(2027, 5, 7))
    holiday = HolidayFactory(first_day=dt.date(2027, 3, 15), last_day=dt.date(2027, 3, 19))
    exam = ExamFactory(first_day=dt.date(2027, 3, 23), subjects=[subject])
    calendar_import = CalendarImport.objects.create(uploaded_by=admin, filename="school.ics", content=SCHOOL_CALENDAR)
    announcement = Announcement.objects.create(
        sender=mentor, audience="series", series=series, title="Room change", body="Lab B", form_key="matrix",
    )
    newcomer = UserFactory(password=None, onboarded_at=None)  # made by a roster, no password chosen yet
    roster_entry = RosterEntry.objects.create(user=newcomer, welcome_token="welcome-token", invited_at=timezone.now())
    ProgramRules.current()  # the program's rules row (pages read it; the first read creates it)
    return {
        "roster_import": roster_import, "roster_entry": roster_entry,
        "subject": subject, "mentee": mentee, "other_mentee": other_mentee, "mentor": mentor,
        "other_mentor": other_mentor, "admin": admin, "admin_without_mfa": admin_without_mfa, "series": series, "occurrence": occurrence, "past": past,
        "note": note,
        "booking": BookingFactory(occurrence=occurrence, mentee=mentee),
        "standing": StandingBookingFactory(series=series, mentee=mentee),
        "waitlist": WaitlistEntryFactory(occurrence=later, mentee=mentee),
        "request": MentorshipFactory(mentor=mentor, mentee=mentee, status="requested"),
        "pair": MentorshipFactory(mentor=mentor, mentee=bystander, subjects=[subject]),
        "round": matching_round,
        "term": term, "holiday": holiday, "exam": exam, "calendar_import": calendar_import, "announcement": announcement,
        "exam_import": exam_import,
        "invitation": InvitationFactory(invited_by=admin),
        "application": MentorApplicationFactory(subjects=[subject]),
        "question": SurveyQuestion.objects.create(text="Was the pace right?", kind="yes_no", position=1),
        "api_token": create_token(name="Advising", access="read", education_records=True, created_by=admin)[0],
        **_teaching_world(mentor, admin),
    }  # fmt: skip


def _teaching_world(mentor, admin) -> dict:
    from teaching.models import Certificate, Endorsement, Requirement
    from teaching.selectors import hash_token

    endorsement = Endorsement.objects.create(
        mentor=mentor, term_name="2026–27 term 1", first_day=dt.date(2026, 7, 1), last_day=dt.date(2026, 12, 31),
        subjects="Anatomy", sessions_held=1, verified_hours=1.5, unique_mentees=1, one_to_one_mentees=1,
        endorsed_by=admin, endorsed_at=timezone.now(),
    )  # fmt: skip
    certificate = Certificate.objects.create(
        endorsement=endorsement, token_hash=hash_token(WORLD_CERTIFICATE_TOKEN), pdf=b"%PDF-1.4", issued_at=timezone.now()
    )
    return {"endorsement": endorsement, "certificate": certificate, "requirement": Requirement.objects.create(name="FERPA training")}


def client_for(world: dict, role: str, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    if role != "anonymous":
        client.force_login(world[role])
    return client


def _admin_kwargs(name: str, route: str, world: dict) -> dict:
    kwargs = {}
    if "content_type_id" in route:
        series = world["series"]
        return {"content_type_id": ContentType.objects.get_for_model(series).pk, "object_id": series.pk}
    if "<path:object_id>" in route:
        app_model = name.removeprefix("admin:").rsplit("_", 1)[0]
        model = next(m for m in apps.get_models() if f"{m._meta.app_label}_{m._meta.model_name}" == app_model)
        first = model._default_manager.order_by("pk").first()
        kwargs["object_id"] = str(first.pk) if first else "1"
    if "<id>" in route:  # the user admin's password form
        kwargs["id"] = str(world["mentee"].pk)
    if "app_label" in route:
        kwargs["app_label"] = "review_sessions"
    return kwargs


def _allauth_kwargs(route: str) -> dict:
    kwargs = {}
    if "<key>" in route or "(?P<key>" in route:
        kwargs["key"] = "not-a-real-key"
    if "uidb36" in route:
        kwargs["uidb36"] = "zz"
    if "organization_slug" in route:  # allauth's SAML pages: a school that is not configured (404)
        kwargs["organization_slug"] = "no-such-school"
    if "provider_id" in route:  # allauth's OpenID Connect pages: likewise
        kwargs["provider_id"] = "no-such-idp"
    return kwargs


def url_for(name: str, route: str, world: dict) -> str:
    if is_django_admin(name):
        return reverse(name, kwargs=_admin_kwargs(name, route, world))
    if is_allauth(route) and name not in MATRIX:
        return reverse(name, kwargs=_allauth_kwargs(route))
    return reverse(name, kwargs=MATRIX[name][0](world))


def fingerprint(*, include_audit: bool = False) -> dict[str, int]:
    """Row counts of every model whose rows a GET must never add or remove.

    Left out: sessions (signing in writes one) and, for GETs, the audit log (recording reads is its job)."""
    skip = {"sessions.session"} | (set() if include_audit else {"audit.accessevent"})
    return {
        m._meta.label_lower: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label_lower not in skip and not m._meta.proxy
    }


@contextmanager
def rows_unchanged(*, include_audit: bool = False) -> Iterator[None]:
    """Fails if the block adds or removes a row that fingerprint() counts."""
    before = fingerprint(include_audit=include_audit)
    yield
    assert fingerprint(include_audit=include_audit) == before


def outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return LOGIN
    if response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"):
        return MFA
    return response.status_code
