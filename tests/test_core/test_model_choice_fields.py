"""An id no row can have is "not a valid choice", never a database error."""

import pytest
from django.urls import reverse

from core.forms import ModelChoiceField, ModelMultipleChoiceField
from subjects.models import Subject
from tests.factories import MenteeFactory

pytestmark = pytest.mark.django_db
HUGE = "1" + "0" * 30


def test_a_thirty_digit_id_is_an_invalid_choice():
    form_field = ModelChoiceField(queryset=Subject.objects.all())

    with pytest.raises(Exception, match="valid choice"):
        form_field.clean(HUGE)


def test_a_thirty_digit_id_among_several_is_an_invalid_choice():
    form_field = ModelMultipleChoiceField(queryset=Subject.objects.all())

    with pytest.raises(Exception, match="valid choice"):
        form_field.clean(["1", HUGE])


def test_browsing_with_a_thirty_digit_subject_still_shows_the_page(client):
    client.force_login(MenteeFactory())
    client.raise_request_exception = False

    response = client.get(reverse("sessions:browse"), {"subject": HUGE})

    assert response.status_code == 200
    assert "Browse" in response.content.decode() or "sessions" in response.content.decode()
