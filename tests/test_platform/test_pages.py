import pytest

from tests.factories import MenteeFactory

pytestmark = pytest.mark.django_db


def test_home_page_offers_sign_up_to_visitors(client):
    response = client.get("/")

    assert response.status_code == 200
    assert b"Sign up with your school email" in response.content


def test_dashboard_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_signed_in_user_lands_on_the_dashboard_from_home(client):
    client.force_login(MenteeFactory())

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_pages_load_bootstrap_and_htmx_from_the_app_not_a_cdn(client):
    content = client.get("/").content.decode()

    assert "/static/bootstrap/css/bootstrap.min.css" in content
    assert "/static/django_htmx/htmx" in content
    assert "https://" not in content.split("<body")[0]
