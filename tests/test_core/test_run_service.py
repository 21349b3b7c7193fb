"""core.views.run_service: how a view shows a service's refusal or its success, the same in every app."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from core.errors import ApplicationError
from core.views import run_service
from mentorship.models import Mentorship
from tests.factories import MentorshipFactory


class NameForm(forms.Form):
    name = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _texts(request) -> list[str]:
    return [m.message for m in get_messages(request)]


def _refuse():
    raise ApplicationError("Not now.", field="name")


def test_a_refusal_without_a_form_becomes_an_error_message():
    request = _request()

    assert run_service(request, _refuse, "Done.") is False

    assert _texts(request) == ["Not now."]


def test_a_refusal_with_a_form_goes_on_the_named_field_and_adds_no_message():
    request = _request()
    form = NameForm({"name": "x"})
    form.is_valid()

    assert run_service(request, _refuse, "Done.", form=form) is False

    assert form.errors["name"] == ["Not now."]
    assert _texts(request) == []


def test_a_success_message_can_be_made_from_what_the_service_returned():
    request = _request()

    assert run_service(request, lambda: [1, 2, 3], lambda done: f"Updated {len(done)} sessions.") is True

    assert _texts(request) == ["Updated 3 sessions."]


@pytest.mark.django_db
def test_withdrawing_a_request_twice_shows_the_refusal_as_a_message(client):
    pending = MentorshipFactory(status=Mentorship.Status.REQUESTED)
    client.force_login(pending.mentee)
    url = reverse("matching:withdraw", args=[pending.pk])
    client.post(url)

    response = client.post(url, follow=True)

    assert "This request is already ended." in response.content.decode()
