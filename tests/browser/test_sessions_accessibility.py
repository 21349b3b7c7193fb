"""axe-core on the sessions pages, signed in, on a desktop and on a 375 px phone."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sessions.models import Occurrence
from sessions.services import book_seat, join_waitlist
from tests.factories import MenteeFactory, published_series
from tests.support.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def _world():
    series = published_series(title="Cardiology review", seats=1)
    upcoming, held = series.occurrences.all()[:2]
    mentee, waiting = MenteeFactory(), MenteeFactory()
    book_seat(occurrence=upcoming, mentee=mentee)
    join_waitlist(occurrence=upcoming, mentee=waiting)
    book_seat(occurrence=held, mentee=mentee)
    past = timezone.now() - timedelta(hours=3)
    Occurrence.objects.filter(pk=held.pk).update(starts_at=past, ends_at=past + timedelta(hours=1))
    return series, upcoming, held, mentee, waiting


@pytest.mark.parametrize("width", [1280, 375])
def test_sessions_pages_have_no_serious_accessibility_violations_and_fit_the_screen(page, live_server, width):
    series, upcoming, held, mentee, waiting = _world()
    page.set_viewport_size({"width": width, "height": 900})
    pages = {
        mentee: ["/sessions/", "/sessions/mine/", f"/sessions/o/{upcoming.pk}/", f"/sessions/series/{series.pk}/"],
        waiting: ["/sessions/mine/"],
        series.mentor: [
            "/sessions/my-week/", "/sessions/new/", f"/sessions/o/{upcoming.pk}/", f"/sessions/o/{held.pk}/record/",
            f"/sessions/o/{upcoming.pk}/edit/", f"/sessions/series/{series.pk}/edit/",
        ],
    }
    for user, paths in pages.items():
        page.context.clear_cookies()
        _sign_in(page, live_server, user)
        for path in paths:
            page.goto(path)
            assert page.url.endswith(path), f"{path} redirected to {page.url}"
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} is wider than {width}px"
            assert_accessible(page)
