"""Every "go back" link lands on this site: one helper decides for every app."""

from django.test import RequestFactory

from core.views import safe_next_url


def test_a_next_address_on_this_site_is_followed():
    request = RequestFactory().post("/x", {"next": "/sessions/mine/"})

    assert safe_next_url(request, "/dashboard/") == "/sessions/mine/"


def test_a_next_address_on_another_site_falls_back_to_the_default():
    request = RequestFactory().get("/x", {"next": "https://evil.example/"})

    assert safe_next_url(request, "/dashboard/") == "/dashboard/"


def test_a_scheme_relative_address_is_another_site_too():
    request = RequestFactory().post("/x", {"next": "//evil.example/path"})

    assert safe_next_url(request, "/dashboard/") == "/dashboard/"
