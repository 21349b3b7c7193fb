"""/api/v1/: the JSON API for the school's other systems (docs/api.md), built with django-ninja.

Every operation needs a token (Authorization: Bearer <token>) whose scope covers it; the OpenAPI
document (/api/v1/openapi.json) and the browsable docs (/api/v1/docs) are open. Each request
made with a token is written to the audit log with the token's name (api.urls)."""

import functools
import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Annotated, TypedDict, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from ninja import NinjaAPI, Path, Query, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from accounts.models import User
from api import schemas, selectors, services
from api.errors import ApiError, InvalidInput, RateLimited, ScopeMissing
from api.models import ApiToken
from reports.periods import program_zone

if TYPE_CHECKING:
    from api.selectors import CountedOccurrence
    from sessions.models import ReviewSeries

MAX_ID = 2**31 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
EMAIL_PATTERN = r"^[^@\s\x00]{1,64}@[^@\s\x00]{1,190}$"
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
ERRORS = {
    401: schemas.Problem, 403: schemas.Problem, 422: schemas.InvalidRequest, 429: schemas.Problem,
}  # fmt: skip
WITH_404 = {**ERRORS, 404: schemas.Problem}
# What an operation returns: ninja validates it against the operation's response schema.
Body = dict[str, object]


class ApiAudit(TypedDict):
    action: str
    student: User | None


class ApiRequest(HttpRequest):
    """The request an operation gets (for type checking): ninja sets `auth` to what TokenAuth
    returned, TokenAuth sets `api_token` (read by api.urls), audit_as sets `api_audit`."""

    auth: ApiToken
    api_token: ApiToken
    api_audit: ApiAudit


def _client_ip(request: HttpRequest) -> str:
    """The client address as allauth's limits see it (ALLAUTH_TRUSTED_PROXY_COUNT), or "unknown"."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request) or "unknown"
    except PermissionDenied:  # no address at all (a WSGI call without REMOTE_ADDR)
        return "unknown"


class TokenAuth(HttpBearer):
    """Bearer token -> ApiToken, then the token's rate limit; failures count per client address."""

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        token = super().__call__(request)
        if token is None:
            services.consume_failed_auth_rate(_client_ip(request))
        return token

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = services.authenticate(token)
        if found is not None:
            cast(ApiRequest, request).api_token = found
            services.consume_token_rate(found)
            _reject_unknown_query_parameters(request)
        return found


_ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@functools.cache
def _query_parameters() -> dict[str, set[str]]:
    """OpenAPI path -> the query parameters its GET operation declares, read from the document itself."""
    paths = api.get_openapi_schema(path_params={})["paths"]
    return {
        path: {p["name"] for p in operations.get("get", {}).get("parameters", []) if p["in"] == "query"}
        for path, operations in paths.items()
    }


def _reject_unknown_query_parameters(request: HttpRequest) -> None:
    """A misspelt filter (?subjectid=3) would silently return everything: refuse it instead."""
    assert request.resolver_match is not None  # authentication runs inside a resolved view
    path = "/" + _ROUTE_PARAMETER.sub(r"{\1}", request.resolver_match.route)
    unknown = sorted(set(request.GET) - _query_parameters().get(path, set()))
    if unknown:
        raise InvalidInput(f"Unknown query parameter {unknown[0]!r}; see the API documentation.", field=unknown[0])


api = NinjaAPI(
    title=f"{settings.PROGRAM_NAME} API",
    version="1",
    description="Read-mostly JSON API for the school's other systems. See docs/api.md.",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _problem(request: HttpRequest, status: int, detail: object, headers: dict[str, str] | None = None) -> HttpResponse:
    response = api.create_response(request, {"detail": detail}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    return _problem(request, 429, exc.message, {"Retry-After": str(exc.retry_after)})


@api.exception_handler(InvalidInput)
def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    return _problem(request, 422, [{"loc": ["query", exc.field or ""], "msg": exc.message, "type": "value_error"}])


@api.exception_handler(ApiError)
def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _problem(request, exc.status, exc.message)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _problem(
        request, 401, "Send a valid, unrevoked API token: Authorization: Bearer <token>.",
        {"WWW-Authenticate": "Bearer"},
    )  # fmt: skip


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    problems = [
        {"loc": [str(part) for part in e.get("loc", [])], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors
    ]
    return _problem(request, 422, problems)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _problem(request, 404, str(exc) or "Not found.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _problem(request, exc.status_code, str(exc))


def require_scope(request: ApiRequest, scope: str) -> ApiToken:
    token = request.auth
    if scope not in token.scopes:
        raise ScopeMissing(f"This token lacks the {scope!r} scope; a program admin can make one that has it.")
    return token


def audit_as(request: ApiRequest, action: str, *, student: User | None = None) -> None:
    """What api.urls writes to the audit log for this request (default: the operation's name)."""
    request.api_audit = {"action": action, "student": student}


def _check_date(value: date | None, field: str) -> None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise InvalidInput(f"Choose a date between {EARLIEST} and {LATEST}.", field=field)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=program_zone())


def _series_out(series: "ReviewSeries") -> Body:
    return {
        "id": series.pk, "title": series.title,
        "subject": {"id": series.subject_id, "name": series.subject.name},
        "mentor": {"id": series.mentor_id, "name": series.mentor.display_name},
        "weekday": series.weekday, "start_time": series.start_time.strftime("%H:%M"),
        "duration_minutes": series.duration_minutes, "time_zone": series.time_zone, "location": series.location,
        "seats": series.seats, "first_date": series.first_date, "last_date": series.last_date,
        "allowed_class_years": list(series.allowed_class_years or []), "status": series.status,
    }  # fmt: skip


def _occurrence_out(o: "CountedOccurrence") -> Body:
    series = o.series
    return {
        "id": o.pk, "series_id": series.pk, "title": series.title,
        "subject": {"id": series.subject_id, "name": series.subject.name},
        "mentor": {"id": series.mentor_id, "name": series.mentor.display_name},
        "starts_at": o.starts_at, "ends_at": o.ends_at, "location": o.location, "status": o.status,
        "seats": o.seats, "seats_booked": o.booked_count, "seats_left": max(o.seats_left, 0),
        "waiting": o.waiting_count,
    }  # fmt: skip


# ---------------------------------------------------------------------------
# Sessions and occurrences (scope: read)
# ---------------------------------------------------------------------------


@api.get("/sessions", response={200: schemas.SeriesPage, **ERRORS}, url_name="sessions", tags=["sessions"])
def list_sessions(
    request: ApiRequest,
    subject_id: int | None = Query(None, ge=1, le=MAX_ID),
    mentor_id: int | None = Query(None, ge=1, le=MAX_ID),
    status: str | None = Query(None, pattern="^(active|cancelled)$"),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Body:
    """Weekly review series (a "session" on the pages), oldest first."""
    require_scope(request, "read")
    qs = selectors.api_series(subject_id=subject_id, mentor_id=mentor_id, status=status)
    return {"count": qs.count(), "results": [_series_out(s) for s in qs[offset : offset + limit]]}


@api.get("/sessions/{series_id}", response={200: schemas.SeriesOut, **WITH_404}, url_name="session", tags=["sessions"])
def get_session(request: ApiRequest, series_id: Id) -> Body:
    require_scope(request, "read")
    series = selectors.api_series().filter(pk=series_id).first()
    if series is None:
        raise Http404("No session with this id.")
    return _series_out(series)


@api.get("/occurrences", response={200: schemas.OccurrencePage, **ERRORS}, url_name="occurrences", tags=["sessions"])
def list_occurrences(
    request: ApiRequest,
    start: date | None = Query(None, description="First day (program time zone); default today."),
    end: date | None = Query(None, description="Last day, included; default 28 days after start."),
    subject_id: int | None = Query(None, ge=1, le=MAX_ID),
    series_id: int | None = Query(None, ge=1, le=MAX_ID),
    mentor_id: int | None = Query(None, ge=1, le=MAX_ID),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Body:
    """Dated sessions starting between start and end, with seats booked, seats left and the waitlist."""
    require_scope(request, "read")
    _check_date(start, "start")
    _check_date(end, "end")
    from django.utils import timezone

    start = start or timezone.localdate(timezone.now(), program_zone())
    end = end or start + timedelta(days=28)
    if end < start:
        raise InvalidInput("The end date is before the start date.", field="end")
    if end - start > timedelta(days=366):
        raise InvalidInput("Choose a range of at most a year.", field="end")
    qs = selectors.api_occurrences(
        starts_from=_day_start(start), starts_until=_day_start(end + timedelta(days=1)),
        subject_id=subject_id, series_id=series_id, mentor_id=mentor_id,
    )  # fmt: skip
    return {"count": qs.count(), "results": [_occurrence_out(o) for o in qs[offset : offset + limit]]}


@api.get(
    "/occurrences/{occurrence_id}", response={200: schemas.OccurrenceOut, **WITH_404}, url_name="occurrence",
    tags=["sessions"],
)  # fmt: skip
def get_occurrence(request: ApiRequest, occurrence_id: Id) -> Body:
    require_scope(request, "read")
    occurrence = selectors.api_occurrences().filter(pk=occurrence_id).first()
    if occurrence is None:
        raise Http404("No occurrence with this id.")
    return _occurrence_out(occurrence)


# ---------------------------------------------------------------------------
# A student's bookings and attendance (scope: education_records)
# ---------------------------------------------------------------------------


def _read_student_record(request: ApiRequest, email: str, action: str) -> User:
    """The student whose education record the request reads (404 if none): the token's scope is
    checked first and the read is logged as `action`."""
    require_scope(request, "education_records")
    student = User.objects.filter(email__iexact=email.strip(), deleted_at__isnull=True).first()
    if student is None:
        raise Http404("No student with this email.")
    audit_as(request, action, student=student)
    return student


def _student_out(student: User) -> Body:
    return {"id": student.pk, "email": student.email, "name": student.display_name,
            "class_year": student.class_year_label}  # fmt: skip


@api.get(
    "/students/bookings", response={200: schemas.StudentBookings, **WITH_404}, url_name="student_bookings",
    tags=["students"],
)  # fmt: skip
def student_bookings(
    request: ApiRequest, email: str = Query(..., pattern=EMAIL_PATTERN, description="The student's email.")
) -> Body:
    """Every seat the student booked (cancelled ones too), latest session first. An education record."""
    student = _read_student_record(request, email, "api.bookings.read")
    rows = [
        {
            "id": b.pk, "occurrence_id": b.occurrence_id, "title": b.occurrence.series.title,
            "subject": b.occurrence.series.subject.name, "starts_at": b.occurrence.starts_at, "status": b.status,
            "source": b.source, "late_cancel": b.late_cancel, "booked_at": b.created_at, "cancelled_at": b.cancelled_at,
        }  # fmt: skip
        for b in selectors.student_bookings(student)
    ]
    return {"student": _student_out(student), "bookings": rows}


@api.get(
    "/students/attendance", response={200: schemas.StudentAttendance, **WITH_404}, url_name="student_attendance",
    tags=["students"],
)  # fmt: skip
def student_attendance(
    request: ApiRequest, email: str = Query(..., pattern=EMAIL_PATTERN, description="The student's email.")
) -> Body:
    """The attendance mentors recorded for the student, latest session first. An education record."""
    student = _read_student_record(request, email, "api.attendance.read")
    rows = [
        {
            "occurrence_id": a.occurrence_id, "title": a.occurrence.series.title,
            "subject": a.occurrence.series.subject.name, "starts_at": a.occurrence.starts_at, "status": a.status,
            "walk_in": a.walk_in, "recorded_at": a.recorded_at,
        }  # fmt: skip
        for a in selectors.student_attendance(student)
    ]
    return {"student": _student_out(student), "attendance": rows}


# ---------------------------------------------------------------------------
# Program figures (scope: read): the report's activity and week-by-week trends
# ---------------------------------------------------------------------------


@api.get("/figures", response={200: schemas.Figures, **ERRORS}, url_name="figures", tags=["figures"])
def figures(
    request: ApiRequest,
    start: date | None = Query(None, description="First day; default the current term's."),
    end: date | None = Query(None, description="Last day, included; default the current term's."),
    subject_id: int | None = Query(None, ge=1, le=MAX_ID),
    mentor_id: int | None = Query(None, ge=1, le=MAX_ID),
    class_year: int | None = Query(None, ge=1, le=4),
) -> Body:
    """The impact report's activity and trends, counted as on the report page (aggregates only)."""
    from reports.forms import ReportFilterForm
    from reports.selectors import ActivityFacts, ReportFilters, activity_summary, weekly_trends

    require_scope(request, "read")
    _check_date(start, "start")
    _check_date(end, "end")
    query = QueryDict(mutable=True)  # the report page's query string, as the API's parameters give it
    query.update({"subject": str(subject_id or ""), "mentor": str(mentor_id or ""), "class_year": str(class_year or "")})
    query.update({k: v.isoformat() for k, v in (("start", start), ("end", end)) if v is not None})
    form = ReportFilterForm.from_query(query)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        name = {"subject": "subject_id", "mentor": "mentor_id"}.get(field, field)
        raise InvalidInput(" ".join(str(message) for message in errors), field=name)
    data = form.cleaned_data
    f = ReportFilters(
        start=data["start"], end=data["end"], subject_id=data["subject"].pk if data["subject"] else None,
        mentor_id=data["mentor"].pk if data["mentor"] else None, class_year=data["class_year"],
    )  # fmt: skip
    facts = ActivityFacts(f)
    return {
        "start": f.start, "end": f.end, "subject_id": f.subject_id, "mentor_id": f.mentor_id,
        "class_year": f.class_year, "activity": activity_summary(f, facts), "trends": weekly_trends(f, facts),
    }  # fmt: skip


# ---------------------------------------------------------------------------
# Roster upsert (scope: write)
# ---------------------------------------------------------------------------


@api.post(
    "/roster", response={200: schemas.RosterOut, **ERRORS, 409: schemas.RosterRefused, 400: schemas.RosterRefused},
    url_name="roster", tags=["roster"],
)  # fmt: skip
def upsert_roster(request: ApiRequest, payload: schemas.RosterIn) -> Body | Status[Body]:
    """Create missing students and update names and graduation years of existing ones, all rows or none.

    The rules of the roster import (roster.services): roles are kept, nobody is deactivated, new
    students are mentees whose email the school vouches for (invited unless ROSTER_SEND_INVITATIONS=0)."""
    from roster.services import RosterRejected, StudentRecord, import_students

    require_scope(request, "write")
    audit_as(request, "api.roster.upsert")
    students = [StudentRecord(r.email, r.given_name, r.surname, r.graduation_year) for r in payload.students]
    try:
        done = import_students(students=students)
    except RosterRejected as exc:
        status = 409 if exc.problems and exc.problems[0][0] == 0 else 400
        return Status(status, {"detail": str(exc), "rows": [{"row": n, "msg": m} for n, m in exc.problems]})
    return {"created": done.rows_created, "updated": done.rows_updated + done.rows_reactivated, "unchanged": done.rows_unchanged}
