"""Every time a page or an email shows is in the viewer's (recipient's) zone and names that zone:
a London mentee of a Chicago program reads "Tue 1 Dec, 23:00 (GMT)", never a bare "17:00"."""

from datetime import time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from notifications.models import OutboundEmail
from sessions.services import book_seat, cancel_occurrence
from tests.factories import MenteeFactory, MentorFactory, published_series

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _london_and_chicago(occurrence) -> tuple[str, str]:
    """The session's start as 'Tue 1 Dec, 23:00' in London and in Chicago (winter: GMT, CST)."""
    london, chicago = occurrence.starts_at.astimezone(LONDON), occurrence.starts_at.astimezone(ZoneInfo("America/Chicago"))
    return (f"{london:%a} {london.day} {london:%b}, {london:%H:%M}", f"{chicago:%a} {chicago.day} {chicago:%b}, {chicago:%H:%M}")


@pytest.fixture
def winter_session():
    """A 17:00 Chicago session (23:00 in London) on a winter date, so the zones are CST and GMT."""
    series = published_series(title="Renal review", start_time=time(17, 0), mentor=MentorFactory(time_zone="Europe/London"))
    occurrence = series.occurrences.first()
    assert occurrence.starts_at.astimezone(LONDON).tzname() == "GMT", "the factory's dates must be in winter"
    return occurrence


def test_a_london_mentee_sees_london_times_named_on_browse_the_session_and_my_sessions(client, winter_session):
    mentee = MenteeFactory(time_zone="Europe/London")
    book_seat(occurrence=winter_session, mentee=mentee)
    client.force_login(mentee)
    london, chicago = _london_and_chicago(winter_session)
    start, end = winter_session.starts_at.astimezone(LONDON), winter_session.ends_at.astimezone(LONDON)
    # 23:00 to 00:30 in London: the end is on the next day, so it has its date.
    card = f"{london}–{end:%a} {end.day} {end:%b}, 00:30 (GMT)"
    heading = f"{start:%A} {start.day} {start:%B %Y}, 23:00–{end:%A} {end.day} {end:%B %Y}, 00:30 (GMT)"

    browse = client.get(reverse("sessions:browse")).content.decode()
    mine = client.get(reverse("sessions:mine")).content.decode()
    session_page = client.get(reverse("sessions:occurrence", args=[winter_session.pk])).content.decode()

    assert card in browse and chicago not in browse
    assert f"{london} (GMT)" in mine and chicago not in mine
    assert heading in session_page


def test_a_london_mentor_sees_london_times_named_on_my_week_and_the_series_page(client, winter_session):
    client.force_login(winter_session.series.mentor)
    london, _ = _london_and_chicago(winter_session)
    year = winter_session.starts_at.astimezone(LONDON).year

    my_week = client.get(reverse("sessions:my_week")).content.decode()
    series_page = client.get(reverse("sessions:series", args=[winter_session.series_id])).content.decode()

    assert f"{london} (GMT)" in my_week
    assert f"{london.replace(',', f' {year},')} (GMT)" in series_page


def test_a_viewer_in_the_program_zone_sees_its_zone_named(client, winter_session):
    mentee = MenteeFactory()
    book_seat(occurrence=winter_session, mentee=mentee)
    client.force_login(mentee)
    _, chicago = _london_and_chicago(winter_session)

    assert f"{chicago} (CST)" in client.get(reverse("sessions:mine")).content.decode()


def test_the_booking_confirmation_uses_the_recipients_zone_in_subject_and_body(winter_session):
    mentee = MenteeFactory(time_zone="Europe/London")

    book_seat(occurrence=winter_session, mentee=mentee)

    london, _ = _london_and_chicago(winter_session)
    email = OutboundEmail.objects.get(recipient=mentee, kind="booking_confirmed")
    assert email.subject == f"Booked: Renal review on {london} (GMT)"
    local = winter_session.starts_at.astimezone(LONDON)
    assert f"When: {local:%A} {local.day} {local:%B %Y}, 23:00" in email.body_text
    assert "(GMT)" in email.body_text and "America/Chicago" not in email.body_text


def test_the_cancellation_mail_uses_each_recipients_own_zone(winter_session):
    in_london, in_chicago = MenteeFactory(time_zone="Europe/London"), MenteeFactory()
    for mentee in (in_london, in_chicago):
        book_seat(occurrence=winter_session, mentee=mentee)

    cancel_occurrence(occurrence=winter_session, by=winter_session.series.mentor, reason="Flu")

    london, chicago = _london_and_chicago(winter_session)
    assert OutboundEmail.objects.get(recipient=in_london, kind="session_cancelled").subject.endswith(f"on {london} (GMT)")
    assert OutboundEmail.objects.get(recipient=in_chicago, kind="session_cancelled").subject.endswith(f"on {chicago} (CST)")


def test_any_templated_mail_is_rendered_in_the_recipients_zone_not_the_senders(winter_session):
    from django.utils import timezone

    from notifications.services import queue_templated_email

    mentee = MenteeFactory(time_zone="Europe/London")
    with timezone.override(ZoneInfo("Asia/Tokyo")):  # the zone of whoever's request sends it
        email = queue_templated_email(
            to=mentee,
            kind="booking_cancelled",
            template="sessions/email/booking_cancelled",
            context={"occurrence": winter_session, "series": winter_session.series, "mentee": mentee},
        )

    london, _ = _london_and_chicago(winter_session)
    assert email.subject.endswith(f"on {london} (GMT)")
