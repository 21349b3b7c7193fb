"""partials/pagination.html: the page links of every paginated list keep its filters."""

import pytest
from django.urls import reverse

from tests.factories import MenteeFactory

pytestmark = pytest.mark.django_db


def test_the_people_lists_next_page_link_keeps_the_search_and_the_role(admin_client):
    MenteeFactory.create_batch(51, last_name="Findme")

    page = admin_client.get(reverse("accounts:people"), {"q": "findme", "role": "mentee"}).content.decode()

    assert 'aria-label="People pages"' in page
    assert 'href="?q=findme&amp;role=mentee&amp;page=2">Next</a>' in page


def test_the_second_page_links_back_to_the_first_with_the_same_filters(admin_client):
    MenteeFactory.create_batch(51, last_name="Findme")

    page = admin_client.get(reverse("accounts:people"), {"q": "findme", "role": "mentee", "page": "2"}).content.decode()

    assert 'href="?q=findme&amp;role=mentee&amp;page=1">Previous</a>' in page
    assert "Page 2 of 2" in page
    assert ">Next</a>" not in page


def test_one_page_of_people_shows_no_page_links(admin_client):
    MenteeFactory(last_name="Findme")

    page = admin_client.get(reverse("accounts:people"), {"q": "findme"}).content.decode()

    assert "Page 1 of" not in page
