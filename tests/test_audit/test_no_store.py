"""Every page that shows education records (outcome notes, attendance, ratings, exam data) tells
every cache not to keep it: `Cache-Control: private, no-store` (audit.http.education_record_page)."""

import pytest
from django.urls import reverse

from tests.factories import RatingFactory
from tests.test_platform.authorization import build_world, client_for
from tests.test_reports.factories import ExamResultFactory

pytestmark = pytest.mark.django_db

# url name, kwargs builder, the roles the page shows records to.
EDUCATION_RECORD_PAGES = [
    ("sessions:occurrence", lambda w: {"pk": w["past"].pk}, ["mentor", "admin", "mentee"]),  # notes / shared note
    ("sessions:record", lambda w: {"pk": w["past"].pk}, ["mentor"]),  # attendance and notes form
    ("sessions:mine", lambda w: {}, ["mentee"]),  # attended sessions and the notes to attendees
    ("accounts:export", lambda w: {}, ["mentee"]),  # the user's own attendance, ratings, exam results
    ("reports:report", lambda w: {}, ["admin"]),  # attendance and exam outcomes
    ("reports:export", lambda w: {"key": "trends"}, ["admin"]),
    ("reports:summary_pdf", lambda w: {}, ["admin"]),  # attendance figures
    ("reports:research_export", lambda w: {}, ["admin"]),  # its POST is each student's scores
    ("reports:exam_import", lambda w: {}, ["admin"]),
    ("reports:exam_import_preview", lambda w: {"pk": w["exam_import"].pk}, ["admin"]),  # each student's score
    ("audit:access_log", lambda w: {}, ["admin"]),  # whose records were read
    ("feedback:survey", lambda w: {"pk": w["past"].pk}, ["mentee"]),  # the mentee's own answers
    ("feedback:series", lambda w: {"pk": w["series"].pk}, ["mentor", "admin"]),  # survey answers
    ("checkin:present", lambda w: {"pk": w["occurrence"].pk}, ["mentor"]),  # who checked in
]

# Django admin pages of education records (audit.admin.AuditedReadsAdmin): url prefix, the world's row.
# Django's admin_view already sends never_cache (private, no-store among them): a guard against losing it.
AUDITED_ADMIN_PAGES = {
    "review_sessions_attendance": lambda w: w["past"].attendance.first(),
    "review_sessions_outcomenote": lambda w: w["note"],
    "review_sessions_rating": lambda w: RatingFactory(occurrence=w["past"], mentee=w["mentee"]),
    "reports_examresult": lambda w: ExamResultFactory(student=w["mentee"]),
}


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def _cases():
    for name, kwargs, roles in EDUCATION_RECORD_PAGES:
        for role in roles:
            yield pytest.param(name, kwargs, role, id=f"{name}-{role}")


@pytest.mark.parametrize(("name", "kwargs", "role"), list(_cases()))
def test_a_page_with_education_records_is_private_and_not_stored(name, kwargs, role):
    world = build_world()

    response = client_for(world, role).get(reverse(name, kwargs=kwargs(world)))

    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)
    assert "public" not in directives(response)


def test_a_session_page_is_not_stored_even_for_someone_it_shows_no_record_to():
    world = build_world()

    response = client_for(world, "other_mentee").get(reverse("sessions:occurrence", kwargs={"pk": world["past"].pk}))

    assert {"private", "no-store"} <= directives(response)


@pytest.mark.parametrize("view", ["changelist", "change"])
@pytest.mark.parametrize("model", sorted(AUDITED_ADMIN_PAGES))
def test_the_django_admins_pages_of_education_records_are_private_and_not_stored(model, view):
    world = build_world()
    row = AUDITED_ADMIN_PAGES[model](world)
    args = [row.pk] if view == "change" else []

    response = client_for(world, "admin").get(reverse(f"admin:{model}_{view}", args=args))

    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_a_page_without_education_records_keeps_the_default_caching():
    world = build_world()

    response = client_for(world, "mentee").get(reverse("sessions:browse"))

    assert "no-store" not in directives(response)
