"""The teaching record's pages: what a mentor and an admin see and do, and bad input."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from teaching import services
from teaching.models import ERAS_DESCRIPTION_LIMIT, Endorsement, ExperienceEntry, Requirement
from tests.factories import MentorFactory, ProgramAdminFactory, SubjectFactory
from tests.test_teaching.support import NOW, build_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    return build_scenario()


@pytest.fixture
def admin():
    return ProgramAdminFactory()


def term_value(scenario) -> str:
    return f"{scenario.term.first_day:%Y-%m-%d}..{scenario.term.last_day:%Y-%m-%d}"


def test_the_mentor_sees_their_figures_with_a_dash_for_the_unknown_confidence_gain(client, scenario):
    client.force_login(scenario.mentor)

    page = client.get(reverse("teaching:my_record")).content.decode()

    assert "Fall 2026" in page and "Verified teaching hours" in page
    assert "<dd class=\"col-sm-7 col-lg-9\">—</dd>" in page  # confidence gain: not known yet


def test_an_admin_endorses_a_term_from_the_mentors_record(client, scenario, admin):
    client.force_login(admin)

    response = client.post(reverse("teaching:endorse", args=[scenario.mentor.pk]),
                           {"term": term_value(scenario), "note": "Excellent"}, follow=True)  # fmt: skip

    assert "Fall 2026 is endorsed; the certificate is ready." in response.content.decode()
    assert Endorsement.objects.get().note == "Excellent"


def test_an_admin_reading_a_mentors_record_is_logged(client, scenario, admin):
    client.force_login(admin)

    client.get(reverse("teaching:mentor_record", args=[scenario.mentor.pk]))

    assert AccessEvent.objects.filter(actor=admin, action="teaching_record.read").count() == 1


def test_endorsing_a_term_without_sessions_shows_a_clear_message(client, admin):
    mentor = MentorFactory()
    client.force_login(admin)

    response = client.post(reverse("teaching:endorse", args=[mentor.pk]), {"term": "2026-08-24..2026-12-18"})

    assert response.status_code == 400
    assert "not one of this mentor" in response.content.decode()
    assert Endorsement.objects.count() == 0


def test_a_garbled_term_gets_a_message_not_an_error(client, scenario, admin):
    client.force_login(admin)

    response = client.post(reverse("teaching:endorse", args=[scenario.mentor.pk]), {"term": "yesterday"})

    assert response.status_code == 400
    assert "Choose a term from the list." in response.content.decode()


def test_the_mentor_downloads_the_certificate_pdf(client, scenario, admin):
    _, certificate = services.endorse_term(mentor=scenario.mentor, first_day=scenario.term.first_day,
                                           last_day=scenario.term.last_day, by=admin, now=NOW)  # fmt: skip
    client.force_login(scenario.mentor)

    response = client.get(reverse("teaching:certificate_pdf", args=[certificate.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_another_mentor_cannot_download_the_certificate(client, scenario, admin):
    _, certificate = services.endorse_term(mentor=scenario.mentor, first_day=scenario.term.first_day,
                                           last_day=scenario.term.last_day, by=admin, now=NOW)  # fmt: skip
    client.force_login(MentorFactory())

    assert client.get(reverse("teaching:certificate_pdf", args=[certificate.pk])).status_code == 403


def test_the_mentor_saves_an_edited_experience_description(client, scenario):
    client.force_login(scenario.mentor)

    client.post(reverse("teaching:save_experience"), {"text": "Led weekly anatomy reviews."})

    assert ExperienceEntry.objects.get(mentor=scenario.mentor).text == "Led weekly anatomy reviews."


def test_line_breaks_count_one_character_each_as_in_the_browsers_counter(client, scenario):
    client.force_login(scenario.mentor)
    lines = "\r\n".join(["x" * 49] * 15)  # 15 lines of 49 and 14 breaks: 749 in the browser, 763 as sent

    client.post(reverse("teaching:save_experience"), {"text": lines})

    assert len(ExperienceEntry.objects.get(mentor=scenario.mentor).text) == 749


def test_a_description_over_the_eras_limit_is_refused_and_kept_for_editing(client, scenario):
    client.force_login(scenario.mentor)
    too_long = "x" * (ERAS_DESCRIPTION_LIMIT + 1)

    response = client.post(reverse("teaching:save_experience"), {"text": too_long})

    assert response.status_code == 400
    assert f"at most {ERAS_DESCRIPTION_LIMIT} characters" in response.content.decode()
    assert too_long in response.content.decode()
    assert not ExperienceEntry.objects.exists()


def test_the_mentor_confirms_a_requirement_on_their_page(client, scenario):
    ferpa = services.save_requirement(name="FERPA training")
    client.force_login(scenario.mentor)

    response = client.post(reverse("teaching:confirm_requirement", args=[ferpa.pk]),
                           {"completed_on": dt.date.today().isoformat()}, follow=True)  # fmt: skip

    assert "“FERPA training” is confirmed." in response.content.decode()


def test_an_admin_adds_a_requirement_and_records_a_completion(client, admin):
    mentor = MentorFactory(first_name="Lee", last_name="Park")
    client.force_login(admin)

    client.post(reverse("teaching:requirements"), {"name": "Tutor orientation", "valid_for_months": "12", "active": "on"})
    requirement = Requirement.objects.get()
    page = client.get(reverse("teaching:requirements")).content.decode()
    assert "Tutor orientation (missing)" in page
    client.post(reverse("teaching:record_completion", args=[requirement.pk, mentor.pk]),
                {"completed_on": dt.date.today().isoformat()})  # fmt: skip

    assert requirement.completions.get().mentor == mentor


def test_an_absurd_validity_is_refused_with_the_form_kept(client, admin):
    client.force_login(admin)

    response = client.post(reverse("teaching:requirements"), {"name": "FERPA training", "valid_for_months": "99999"})

    assert response.status_code == 400
    assert 'value="FERPA training"' in response.content.decode()
    assert not Requirement.objects.exists()


def test_publishing_refused_for_readiness_shows_the_message_on_the_form(client):
    services.save_requirement(name="FERPA training")
    mentor = MentorFactory()
    client.force_login(mentor)
    start = dt.date.today() + dt.timedelta(days=7)

    response = client.post(reverse("sessions:series_new"), {
        "subject": SubjectFactory().pk, "title": "Anatomy", "weekday": start.weekday(), "start_time": "18:00", "duration_minutes": 90,
        "seats": 6, "first_date": start.isoformat(), "last_date": (start + dt.timedelta(weeks=2)).isoformat(),
        "location": "Room 1",
    })  # fmt: skip

    assert response.status_code == 400
    assert "Before you publish sessions, complete what the program requires: FERPA training (missing)" in (
        response.content.decode()
    )


def test_the_record_page_costs_the_same_queries_for_one_session_or_many(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AttendanceFactory, OccurrenceFactory, RatingFactory, ReviewSeriesFactory, TermFactory
    from tests.test_teaching.support import at

    TermFactory(name="Fall 2026", first_day=dt.date(2026, 8, 24), last_day=dt.date(2026, 12, 18))
    series = ReviewSeriesFactory()
    client.force_login(series.mentor)

    def add_session(day: int) -> None:
        occurrence = OccurrenceFactory(series=series, **at(9, day))
        RatingFactory(occurrence=AttendanceFactory(occurrence=occurrence).occurrence)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("teaching:my_record")).status_code == 200
        return len(queries)

    add_session(1)
    one = count()
    for day in range(2, 12):
        add_session(day)

    assert count() == one


def test_a_refused_endorsement_keeps_the_note_the_admin_typed(client, scenario, admin):
    client.force_login(admin)
    typed = "Outstanding " * 50  # 600 characters: over the limit

    response = client.post(reverse("teaching:endorse", args=[scenario.mentor.pk]),
                           {"term": term_value(scenario), "note": typed})  # fmt: skip

    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()
    assert f'value="{typed}"' in response.content.decode()
    assert not Endorsement.objects.exists()
