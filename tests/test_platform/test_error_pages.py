"""Refusal and error pages (DEBUG off) are the site's pages: the layout, a sentence saying what
happened and what to do, and a link back to the start page; for allauth and the Django admin too."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import PASSWORD, MenteeFactory, ProgramAdminFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("debug_off")]

LAYOUT = 'aria-label="Main"'  # the site's navigation bar
BACK = 'href="/">Back to the start page</a>'


@pytest.fixture
def debug_off(settings):
    settings.DEBUG = False


def _mentee_client(client):
    mentee = MenteeFactory()
    assert client.login(email=mentee.email, password=PASSWORD)
    return client


def test_an_unknown_address_gets_the_sites_404_page_with_a_way_back(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert LAYOUT in page and "We can't find that page" in page and BACK in page


def test_an_unknown_django_admin_address_gets_the_sites_404_page(client):
    client.force_login(ProgramAdminFactory(is_staff=True, is_superuser=True))

    response = client.get("/django-admin/no-such-app/no-such-model/")

    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_a_page_the_user_may_not_open_gets_the_sites_403_page_with_a_way_back(client):
    response = _mentee_client(client).get(reverse("reports:report"))

    assert response.status_code == 403
    page = response.content.decode()
    assert LAYOUT in page and "You can't open this page" in page and BACK in page


def test_a_form_without_its_csrf_token_gets_the_sites_403_page_saying_nothing_was_saved(settings):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("account_login"), {"login": "a@school.edu", "password": "x"})

    assert response.status_code == 403
    page = response.content.decode()
    assert LAYOUT in page and "That form had expired" in page and "Nothing was saved" in page and BACK in page
    assert f"· {settings.PROGRAM_NAME}</title>" in page  # rendered with the request's context, as every page


@override_settings(ROOT_URLCONF="tests.test_platform.failing_urls")
def test_a_crash_gets_the_sites_500_page_with_a_way_back():
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    page = response.content.decode()
    assert LAYOUT in page and "Something went wrong on our side" in page and BACK in page
