"""My sessions and My week show their lists a window at a time, nearest first: a page stays under
100 KB however much a person has, and the links reach everything."""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.class_year import graduation_year_for
from sessions.models import Booking, Occurrence, WaitlistEntry
from sessions.selectors import ROSTER_SHOWN, WEEK_WINDOW_SIZE, WINDOW_SIZE
from tests.factories import MenteeFactory, MentorFactory, ReviewSeriesFactory

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 100_000


def _occurrences(count, *, mentor=None, start_in=timedelta(hours=2), step=timedelta(days=1), seats=6):
    """`count` occurrences of one new series, `step` apart from `start_in` from now, in time order."""
    series = ReviewSeriesFactory(mentor=mentor or MentorFactory(), title="Pharmacology review with a long title")
    start = timezone.now() + start_in
    return Occurrence.objects.bulk_create(
        Occurrence(series=series, series_date=(start + i * step).date(), starts_at=start + i * step,
                   ends_at=start + i * step + timedelta(hours=1), seats=seats, location="Lecture theatre 2")
        for i in range(count)
    )  # fmt: skip


def _section(page, heading_id):
    start = page.index(f'id="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


def _later_link(section, text):
    match = re.search(rf'href="([^"]*)">{text}</a>', section)
    return html.unescape(match.group(1)) if match else None


def _walk(client, url, heading_id, later_text, link_pattern):
    """Follow a list's `later_text` links from `url`; every page's size and the ids listed, in order."""
    sizes, ids = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        sizes.append(len(response.content))
        section = _section(page, heading_id)
        ids += [int(pk) for pk in re.findall(link_pattern, section)]
        later = _later_link(section, later_text)
        url = f"{response.request['PATH_INFO']}{later}" if later else None
    return sizes, ids


def test_my_sessions_lists_upcoming_bookings_nearest_first_a_window_at_a_time_and_reaches_them_all(client):
    mentee = MenteeFactory()
    occurrences = _occurrences(2 * WINDOW_SIZE + 5)
    Booking.objects.bulk_create(Booking(occurrence=o, mentee=mentee) for o in reversed(occurrences))
    client.force_login(mentee)

    sizes, ids = _walk(client, "/sessions/mine/", "upcoming", "Later sessions", r'href="/sessions/o/(\d+)/"')

    assert ids == [o.pk for o in occurrences]
    assert len(sizes) == 3


def test_my_sessions_lists_past_sessions_latest_first_a_window_at_a_time_and_reaches_them_all(client):
    mentee = MenteeFactory()
    occurrences = _occurrences(WINDOW_SIZE + 3, start_in=-timedelta(days=60))
    Booking.objects.bulk_create(Booking(occurrence=o, mentee=mentee) for o in occurrences)
    client.force_login(mentee)

    _, ids = _walk(client, "/sessions/mine/", "past", "Older sessions", r'href="/sessions/o/(\d+)/"')

    assert ids == [o.pk for o in reversed(occurrences)]


def test_my_sessions_lists_every_waitlist_place_a_window_at_a_time(client):
    mentee = MenteeFactory()
    occurrences = _occurrences(WINDOW_SIZE + 2)
    WaitlistEntry.objects.bulk_create(WaitlistEntry(occurrence=o, mentee=mentee) for o in occurrences)
    client.force_login(mentee)

    _, ids = _walk(client, "/sessions/mine/", "waiting", "More waitlists", r'href="/sessions/o/(\d+)/"')

    assert ids == [o.pk for o in occurrences]


def test_my_sessions_of_a_mentee_with_hundreds_of_bookings_and_waitlists_stays_under_100_kb(client):
    mentee = MenteeFactory(first_name="Heavy", last_name="Booker")
    upcoming, past = _occurrences(120), _occurrences(120, start_in=-timedelta(days=121))
    Booking.objects.bulk_create(Booking(occurrence=o, mentee=mentee) for o in upcoming + past)
    WaitlistEntry.objects.bulk_create(WaitlistEntry(occurrence=o, mentee=mentee) for o in _occurrences(120))
    client.force_login(mentee)

    response = client.get("/sessions/mine/")

    assert len(response.content) < PAGE_LIMIT
    assert len(re.findall(r'href="/sessions/o/\d+/"', response.content.decode())) == 3 * WINDOW_SIZE


def test_my_week_lists_the_weeks_sessions_a_window_at_a_time_and_reaches_them_all(client):
    mentor = MentorFactory()
    occurrences = sorted(
        _occurrences(6, mentor=mentor, start_in=timedelta(hours=1))
        + _occurrences(6, mentor=mentor, start_in=timedelta(hours=3))
        + _occurrences(6, mentor=mentor, start_in=timedelta(hours=5)),
        key=lambda o: o.starts_at,
    )
    client.force_login(mentor)

    sizes, ids = _walk(
        client, "/sessions/my-week/", "upcoming", "Later sessions", r'<h3 class="h6"><a href="/sessions/o/(\d+)/"'
    )

    assert ids == [o.pk for o in occurrences]
    assert len(sizes) == -(-len(occurrences) // WEEK_WINDOW_SIZE)


def test_my_week_shows_the_start_of_a_long_roster_and_links_to_the_whole_of_it(client):
    mentor = MentorFactory()
    occurrence = _occurrences(1, mentor=mentor, seats=60)[0]
    mentees = [MenteeFactory(first_name="Roster", last_name=f"Member{i:02}") for i in range(ROSTER_SHOWN + 10)]
    Booking.objects.bulk_create(Booking(occurrence=occurrence, mentee=m) for m in mentees)
    client.force_login(mentor)

    page = client.get("/sessions/my-week/").content.decode()

    assert page.count("Roster Member") == ROSTER_SHOWN
    assert f'<a href="/sessions/o/{occurrence.pk}/">All {len(mentees)} booked mentees on the session' in page
    assert f"{len(mentees)} of 60 booked" in page


def test_my_week_lists_booked_mentees_in_booking_order_with_their_class_year_and_not_cancelled_ones(client):
    mentor = MentorFactory()
    occurrence = _occurrences(1, mentor=mentor)[0]
    first = MenteeFactory(first_name="Zoe", last_name="First", graduation_year=graduation_year_for(2))
    gone = MenteeFactory(first_name="Gone", last_name="Away")
    second = MenteeFactory(first_name="Adam", last_name="Second", graduation_year=graduation_year_for(1))
    now = timezone.now()
    Booking.objects.create(occurrence=occurrence, mentee=first, created_at=now - timedelta(hours=3))
    Booking.objects.create(
        occurrence=occurrence, mentee=gone, created_at=now - timedelta(hours=2), status=Booking.Status.CANCELLED,
        cancelled_at=now,
    )  # fmt: skip
    Booking.objects.create(occurrence=occurrence, mentee=second, created_at=now - timedelta(hours=1))
    client.force_login(mentor)

    page = client.get("/sessions/my-week/").content.decode()

    roster = re.findall(r"<li>([^<]+) <span class=\"small text-body-secondary\">(MS\d)</span></li>", page)
    assert roster == [("Zoe First", "MS2"), ("Adam Second", "MS1")]
    assert "Gone Away" not in page


def test_my_week_of_a_mentor_with_a_full_week_of_large_sessions_stays_under_100_kb(client):
    mentor = MentorFactory()
    mentees = [MenteeFactory() for _ in range(80)]
    occurrences = [
        o for start in range(12) for o in _occurrences(6, mentor=mentor, start_in=timedelta(hours=1 + start), seats=80)
    ]
    Booking.objects.bulk_create(Booking(occurrence=o, mentee=m) for o in occurrences for m in mentees)
    past = _occurrences(29, mentor=mentor, start_in=-timedelta(days=29, hours=12))
    Booking.objects.bulk_create(Booking(occurrence=o, mentee=mentees[0]) for o in past)
    client.force_login(mentor)

    response = client.get("/sessions/my-week/")

    assert len(response.content) < PAGE_LIMIT


@pytest.mark.parametrize("window", ["abc", "-3", "0", "99999999999999999999999", "1.5"])
def test_a_window_number_that_makes_no_sense_shows_a_page_not_an_error(client, window):
    mentee = MenteeFactory()
    Booking.objects.bulk_create(Booking(occurrence=o, mentee=mentee) for o in _occurrences(3))
    client.force_login(mentee)

    response = client.get(f"/sessions/mine/?upcoming={window}&past={window}&waiting={window}")

    assert response.status_code == 200


def test_a_window_past_the_end_shows_the_last_window_there_is(client):
    mentee = MenteeFactory()
    occurrences = _occurrences(WINDOW_SIZE + 3)
    Booking.objects.bulk_create(Booking(occurrence=o, mentee=mentee) for o in occurrences)
    client.force_login(mentee)

    page = client.get("/sessions/mine/?upcoming=50").content.decode()

    ids = [int(pk) for pk in re.findall(r'href="/sessions/o/(\d+)/"', _section(page, "upcoming"))]
    assert ids == [o.pk for o in occurrences[WINDOW_SIZE:]]
