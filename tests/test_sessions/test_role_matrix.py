"""Every sessions URL x (anonymous, mentee, another mentor, the series' mentor, program admin), GET."""

import pytest
from django.urls import reverse

from sessions import urls as sessions_urls
from tests.factories import MenteeFactory, MentorFactory, ProgramAdminFactory, published_series

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = ["anonymous", "mentee", "other_mentor", "owner", "admin"]
ALL = (LOGIN, 200, 200, 200, 200)
POST_ONLY = (LOGIN, 405, 405, 405, 405)
OWNER_ONLY = (LOGIN, 403, 403, 200, 403)
MATRIX = {
    "browse": ALL,
    "mine": ALL,
    "my_week": (LOGIN, 403, 200, 200, 403),
    "series_new": (LOGIN, 403, 200, 200, 403),
    "series": ALL,
    "series_edit": OWNER_ONLY,
    "series_cancel": OWNER_ONLY,
    "book_series": POST_ONLY,
    "occurrence": ALL,
    "book": POST_ONLY,
    "join_waitlist": POST_ONLY,
    "occurrence_edit": OWNER_ONLY,
    "occurrence_cancel": OWNER_ONLY,
    "record": OWNER_ONLY,
    "rate": (LOGIN, 200, 403, 403, 403),
    "occurrence_ics": (LOGIN, 403, 403, 200, 200),
    "cancel_booking": POST_ONLY,
    "end_standing": POST_ONLY,
    "leave_waitlist": POST_ONLY,
    "reset_calendar": POST_ONLY,
    "feed": (200, 200, 200, 200, 200),  # the token is the key; no sign-in
}


def test_the_matrix_covers_every_sessions_url():
    assert {p.name for p in sessions_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_matrix(client, name, role):
    series = published_series()
    occurrence = series.occurrences.first()
    users = {
        "mentee": MenteeFactory, "other_mentor": MentorFactory, "admin": ProgramAdminFactory,
        "owner": lambda: series.mentor,
    }
    if role in users:
        client.force_login(users[role]())
    args = {
        "series": [series.pk], "series_edit": [series.pk], "series_cancel": [series.pk], "book_series": [series.pk],
        "cancel_booking": [1], "end_standing": [1], "leave_waitlist": [1], "feed": [series.mentor.calendar_token],
    }.get(name, [occurrence.pk] if "occurrence" in name or name in ("book", "join_waitlist", "record", "rate") else [])
    expected = MATRIX[name][ROLES.index(role)]

    response = client.get(reverse(f"sessions:{name}", args=args))

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected
