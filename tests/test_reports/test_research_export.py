"""The de-identified research export: what the file holds and never holds, its keys, the small-cell
rule, the data-use statement, the audit log, and who may download it.

REPORT_MIN_GROUP_SIZE is 3 here. Block 1 (20 March 2026) is sat by four MS1s (Ann, Bea, Cal, Dan)
and one MS2 (Eve); Ann, Bea and Cal attended one Anatomy session before it (Ann one more after it).
"Tiny" is sat by two students only.
"""

import csv
import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from reports.research import SUPPRESSED
from sessions.models import Attendance
from tests.factories import MenteeFactory, MentorFactory, ProgramAdminFactory, SubjectFactory
from tests.test_reports.factories import (
    AttendanceFactory,
    ExamResultFactory,
    OccurrenceFactory,
    RatingFactory,
    ReviewSeriesFactory,
)

pytestmark = pytest.mark.django_db

MS1, MS2 = 2029, 2028  # graduation years of MS1s and MS2s in academic year 2025-26
UTC = ZoneInfo("UTC")
FORM = {"first_day": "2026-03-01", "last_day": "2026-03-31", "study": "Near-peer review and block scores, IRB #2026-0142", "confirm": "on"}  # fmt: skip


@pytest.fixture
def world(settings):
    settings.REPORT_MIN_GROUP_SIZE = 3
    people = {
        name: MenteeFactory(first_name=name, last_name="Quartz", email=f"{name.lower()}@school.edu", graduation_year=year)
        for name, year in (("Ann", MS1), ("Bea", MS1), ("Cal", MS1), ("Dan", MS1), ("Eve", MS2))
    }
    anatomy = ReviewSeriesFactory(subject=SubjectFactory(name="Anatomy"), mentor=MentorFactory(first_name="Mo"))
    before = OccurrenceFactory(series=anatomy, starts_at=datetime(2026, 3, 3, 23, 0, tzinfo=UTC))
    after = OccurrenceFactory(series=anatomy, starts_at=datetime(2026, 3, 24, 23, 0, tzinfo=UTC))
    for name in ("Ann", "Bea", "Cal"):
        AttendanceFactory(occurrence=before, mentee=people[name], status=Attendance.Status.ATTENDED)
    AttendanceFactory(occurrence=after, mentee=people["Ann"], status=Attendance.Status.ATTENDED)
    RatingFactory(occurrence=before, mentee=people["Ann"], score=5, feedback="Secret feedback about Mo")
    for name, score in (("Ann", 81), ("Bea", 72), ("Cal", 90), ("Dan", 64), ("Eve", 77)):
        ExamResultFactory(student=people[name], exam_name="Block 1", exam_date=date(2026, 3, 20), score=score)
    for name in ("Ann", "Bea"):
        ExamResultFactory(student=people[name], exam_name="Tiny", exam_date=date(2026, 3, 27), score=50)
    return people


@pytest.fixture
def admin(client):
    user = ProgramAdminFactory()
    client.force_login(user)
    return user


def _download(client, **changes) -> tuple[list[dict], str, set[str]]:
    response = client.post(reverse("reports:research_export"), {**FORM, **changes})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    rows = list(csv.DictReader(io.StringIO(archive.read("research-data.csv").decode())))
    return rows, archive.read("README.txt").decode(), names


def test_the_zip_holds_the_data_and_its_data_use_statement(world, client, admin):
    rows, readme, names = _download(client)

    assert names == {"research-data.csv", "README.txt"}
    assert len(rows) == 7  # five Block 1 results, two Tiny
    assert "Near-peer review and block scores, IRB #2026-0142" in readme and "DATA-USE STATEMENT" in readme
    assert "make no attempt to\nidentify any student" in readme


def test_no_name_email_id_or_free_text_is_in_the_file(world, client, admin):
    response = client.post(reverse("reports:research_export"), FORM)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    everything = " ".join(archive.read(name).decode() for name in archive.namelist())

    for person in world.values():
        assert person.first_name not in everything and person.email not in everything
    assert "Quartz" not in everything and "Secret feedback" not in everything
    assert list(csv.reader(io.StringIO(archive.read("research-data.csv").decode())))[0] == [
        "student_key", "class_year", "exam", "exam_date", "score", "attended_Anatomy",
    ]  # fmt: skip


def test_attendance_counts_only_sessions_before_the_exam_day(world, client, admin):
    rows, _, _ = _download(client)

    block = [row for row in rows if row["exam"] == "Block 1"]
    assert sorted(row["attended_Anatomy"] for row in block) == ["1", "1", "1", SUPPRESSED, SUPPRESSED]


def test_a_class_year_or_count_shared_by_fewer_than_the_minimum_is_suppressed(world, client, admin):
    rows, readme, _ = _download(client)

    block = [row for row in rows if row["exam"] == "Block 1"]
    assert sorted(row["class_year"] for row in block) == ["1", "1", "1", "1", SUPPRESSED]  # one MS2
    assert "fewer than 3 students" in readme


def test_an_exam_sat_by_fewer_than_the_minimum_has_its_scores_suppressed(world, client, admin):
    rows, _, _ = _download(client)

    assert [row["score"] for row in rows if row["exam"] == "Tiny"] == [SUPPRESSED, SUPPRESSED]
    assert sorted(row["score"] for row in rows if row["exam"] == "Block 1") == ["64.00", "72.00", "77.00", "81.00", "90.00"]


def test_a_students_rows_share_a_key_within_an_export_and_never_across_exports(world, client, admin):
    first, _, _ = _download(client)
    second, _, _ = _download(client)

    keys = [row["student_key"] for row in first]
    assert len(set(keys)) == 5  # five students, seven rows: Ann's and Bea's keys appear twice
    assert set(keys).isdisjoint({row["student_key"] for row in second})


def test_every_download_is_audit_logged_with_who_downloaded_it(world, client, admin):
    _download(client)
    _download(client)

    events = AccessEvent.objects.filter(action="research_export.download")
    assert events.count() == 2 and {event.actor for event in events} == {admin}
    assert {event.object_id for event in events} == {"2026-03-01..2026-03-31"}


def test_opening_the_form_exports_nothing_and_logs_nothing(world, client, admin):
    page = client.get(reverse("reports:research_export"))

    assert page.status_code == 200 and "data-use statement" in page.content.decode()
    assert not AccessEvent.objects.filter(action="research_export.download").exists()


def test_without_the_confirmation_nothing_is_exported_and_the_study_is_kept(world, client, admin):
    response = client.post(reverse("reports:research_export"), {**FORM, "confirm": ""})

    assert response.status_code == 400 and "IRB #2026-0142" in response.content.decode()
    assert not AccessEvent.objects.filter(action="research_export.download").exists()


def test_a_last_day_before_the_first_is_refused_on_the_form(world, client, admin):
    response = client.post(reverse("reports:research_export"), {**FORM, "last_day": "2026-02-01"})

    assert response.status_code == 400 and "The last day is before the first day." in response.content.decode()


@pytest.mark.parametrize("factory", [MenteeFactory, MentorFactory])
def test_students_cannot_download_it_and_nothing_is_logged(world, client, factory):
    client.force_login(factory())

    assert client.post(reverse("reports:research_export"), FORM).status_code == 403
    assert not AccessEvent.objects.filter(action="research_export.download").exists()


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.post(reverse("reports:research_export"), FORM)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_deleted_accounts_are_left_out(world, client, admin):
    eve = world["Eve"]
    eve.deleted_at, eve.is_active = datetime(2026, 4, 1, tzinfo=UTC), False
    eve.save()

    rows, _, _ = _download(client)

    assert len([row for row in rows if row["exam"] == "Block 1"]) == 4
