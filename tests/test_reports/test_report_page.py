"""The report page, its CSV downloads and the import pages: who may see them, what they show."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from reports.models import ExamResult
from tests.factories import MenteeFactory, MentorFactory, ProgramAdminFactory
from tests.test_reports import scenario
from tests.test_reports.factories import AttendanceFactory, BookingFactory, OccurrenceFactory, RatingFactory

pytestmark = pytest.mark.django_db

FORTNIGHT = {"start": "2026-03-02", "end": "2026-03-15"}
PROTECTED = [
    ("reports:report", {}),
    ("reports:export", {"key": "activity"}),
    ("reports:exam_import", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PROTECTED)
def test_anonymous_visitors_are_sent_to_sign_in(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("factory", [MenteeFactory, MentorFactory])
@pytest.mark.parametrize(("name", "kwargs"), PROTECTED)
def test_mentees_and_mentors_are_refused(client, factory, name, kwargs):
    client.force_login(factory())
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize("factory", [MenteeFactory, MentorFactory])
def test_mentees_and_mentors_cannot_upload_or_confirm_an_import(client, factory):
    client.force_login(factory())
    upload = io.BytesIO(b"email,exam,date,score\n")
    upload.name = "x.csv"
    assert client.post(reverse("reports:exam_import"), {"file": upload}).status_code == 403
    assert client.post(reverse("reports:exam_import_preview", kwargs={"pk": 1})).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), PROTECTED)
def test_program_admins_reach_every_page(admin_client, name, kwargs):
    assert admin_client.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_the_report_shows_the_figures_for_the_chosen_dates(admin_client, settings):
    settings.TIME_ZONE = "America/Chicago"
    scenario.build()
    response = admin_client.get(reverse("reports:report"), FORTNIGHT)
    rows = dict(response.context["t"]["activity"].rows)
    assert (rows["Sessions held"], rows["Bookings"], rows["Attendance rate (%)"]) == (4, 11, 62.5)
    assert b"<svg" in response.content and b"Association, not cause" in response.content


def test_the_report_defaults_to_this_term(admin_client):
    response = admin_client.get(reverse("reports:report"))
    term = response.context["term"]
    assert (response.context["filters"].start, response.context["filters"].end) == (term.start, term.end)


def test_an_end_before_the_start_is_shown_on_the_form(admin_client):
    response = admin_client.get(reverse("reports:report"), {"start": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_the_page_has_no_inline_script_and_links_a_print_stylesheet(admin_client):
    html = admin_client.get(reverse("reports:report")).content.decode()
    assert "<script>" not in html and "media=\"print\"" in html


def test_every_table_downloads_as_csv_with_the_page_filters(admin_client, settings):
    settings.TIME_ZONE = "America/Chicago"
    world = scenario.build()
    response = admin_client.get(
        reverse("reports:export", kwargs={"key": "activity"}), {**FORTNIGHT, "subject": world.anatomy.pk}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = dict(csv.reader(io.StringIO(response.content.decode())))
    assert (rows["Sessions held"], rows["Bookings"]) == ("3", "8")


def test_an_unknown_table_is_not_found(admin_client):
    assert admin_client.get(reverse("reports:export", kwargs={"key": "salaries"})).status_code == 404


def test_a_csv_cell_that_looks_like_a_formula_is_neutralised(admin_client, settings):
    settings.TIME_ZONE = "America/Chicago"
    world = scenario.build()
    world.m1.first_name, world.m1.last_name = "=HYPERLINK(1)", ""
    world.m1.save()
    content = admin_client.get(reverse("reports:export", kwargs={"key": "mentors"}), FORTNIGHT).content.decode()
    assert "'=HYPERLINK(1)" in content


def test_an_exam_file_that_is_not_utf8_is_refused_on_the_form_with_the_chosen_exam_kept(admin_client):
    from program.models import Exam
    from tests.factories import ExamFactory

    exam = ExamFactory(name="Block 3")
    upload = io.BytesIO("email,score\nzoë@school.edu,80\n".encode("latin-1"))
    upload.name = "block3.csv"

    response = admin_client.post(reverse("reports:exam_import"), {"exam": exam.pk, "file": upload})

    assert response.status_code == 400
    html = response.content.decode()
    assert "not UTF-8" in html
    assert f'<option value="{exam.pk}" selected>' in html
    assert Exam.objects.count() == 1 and not ExamResult.objects.exists()


def test_confirming_a_preview_with_bad_rows_is_refused_with_a_message_and_imports_nothing(admin_client):
    MenteeFactory(email="ann@school.edu")
    upload = io.BytesIO(b"email,exam,date,score\nann@school.edu,Block 3,2026-03-16,80\nzed@school.edu,Block 3,2026-03-16,70\n")
    upload.name = "block3.csv"
    preview = admin_client.post(reverse("reports:exam_import"), {"file": upload})["Location"]

    response = admin_client.post(preview)

    assert response.status_code == 400
    assert "The file has problems; nothing was imported." in response.content.decode()
    assert not ExamResult.objects.exists()


def test_uploading_a_file_with_bad_rows_lists_them_and_imports_nothing(admin_client):
    MenteeFactory(email="ann@school.edu")
    upload = io.BytesIO(b"email,exam,date,score\nann@school.edu,Block 3,2026-03-16,80\nzed@school.edu,Block 3,2026-03-16,70\n")
    upload.name = "block3.csv"
    response = admin_client.post(reverse("reports:exam_import"), {"file": upload}, follow=True)
    html = response.content.decode()
    assert "Unknown email zed@school.edu" in html and "Nothing has been imported" in html
    assert "Import 1 row" not in html
    assert not ExamResult.objects.exists()


def test_uploading_then_confirming_a_clean_file_imports_it(admin_client):
    MenteeFactory(email="ann@school.edu")
    upload = io.BytesIO(b"email,exam,date,score\nann@school.edu,Block 3,2026-03-16,80\n")
    upload.name = "block3.csv"
    preview = admin_client.post(reverse("reports:exam_import"), {"file": upload})
    assert not ExamResult.objects.exists()
    done = admin_client.post(preview["Location"])
    assert "1 new" in done.content.decode()
    assert ExamResult.objects.get().exam.first_day == date(2026, 3, 16)


def _grow(n: int) -> None:
    """n more sessions with bookings, attendance and ratings in the current term."""
    for _ in range(n):
        occurrence = OccurrenceFactory()
        booking = BookingFactory(occurrence=occurrence)
        AttendanceFactory(occurrence=occurrence, mentee=booking.mentee)
        RatingFactory(occurrence=occurrence, mentee=booking.mentee)


def test_the_report_runs_the_same_number_of_queries_for_more_data(admin_client, django_assert_max_num_queries):
    _grow(2)
    with django_assert_max_num_queries(40) as small:
        admin_client.get(reverse("reports:report"))
    _grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_client.get(reverse("reports:report"))


@pytest.mark.django_db
def test_a_repeated_report_view_is_served_from_the_cache_until_exam_results_are_imported(
    admin_client, settings, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from reports.services import confirm_exam_import, upload_exam_file
    from tests.factories import MenteeFactory

    settings.REPORT_CACHE_SECONDS = 60
    admin_client.get("/reports/")
    with django_assert_max_num_queries(13) as cached:  # sign-in, session (read through the cache: its table in tests) and MFA checks; no figures
        assert admin_client.get("/reports/").status_code == 200
    assert not any("reports_sessiontally" in q["sql"] for q in cached.captured_queries)  # the figures read the tally

    MenteeFactory(email="ann@school.edu")
    upload, check = upload_exam_file(
        uploaded_by=ProgramAdminFactory(), filename="x.csv",
        raw=b"email,exam,date,score\nann@school.edu,Block 1,2026-01-10,81\n",
    )
    assert check.is_clean
    with django_capture_on_commit_callbacks(execute=True):
        confirm_exam_import(exam_import=upload)
    with django_assert_max_num_queries(80) as fresh:  # the tables, the exam estimates, the confidence section
        admin_client.get("/reports/")
    assert any("reports_sessiontally" in q["sql"] for q in fresh.captured_queries)


def test_uploading_a_file_with_a_million_columns_shows_the_line_on_the_preview(admin_client):
    upload = io.BytesIO(b"," * 1_000_000 + b"\nann@school.edu,Block 3,2026-03-16,80\n")
    upload.name = "wide.csv"

    response = admin_client.post(reverse("reports:exam_import"), {"file": upload}, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Line too long: 1,000,000 characters; a line may have at most 4,000." in html
    assert "Nothing has been imported" in html
