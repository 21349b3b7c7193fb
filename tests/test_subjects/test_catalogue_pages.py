"""Program admins keep the subject catalogue: add, rename, retire and restore."""

import pytest
from django.urls import reverse

from subjects.models import Subject
from tests.factories import MentorFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def test_an_admin_adds_a_subject(admin_client):
    response = admin_client.post(reverse("subjects:list"), {"name": "  Renal   Physiology ", "category": "preclinical"})

    assert response.status_code == 302
    assert Subject.objects.filter(name="Renal Physiology").exists()


def test_a_duplicate_name_is_refused_on_the_form_whatever_its_case(admin_client):
    SubjectFactory(name="Anatomy")

    response = admin_client.post(reverse("subjects:list"), {"name": "anatomy", "category": "preclinical"})

    assert response.status_code == 400
    assert "There is already a subject called Anatomy" in response.content.decode()
    assert Subject.objects.count() == 1


def test_an_admin_renames_a_subject_and_keeps_its_history(admin_client):
    subject = SubjectFactory(name="Behavioural Science")

    admin_client.post(reverse("subjects:rename", args=[subject.pk]), {"name": "Behavioral Science"})

    subject.refresh_from_db()
    assert subject.name == "Behavioral Science"


def test_an_admin_retires_and_restores_a_subject(admin_client):
    subject = SubjectFactory(name="COMLEX Level 1")

    admin_client.post(reverse("subjects:retire", args=[subject.pk]), {"retired": "1"})
    subject.refresh_from_db()
    assert not subject.is_active
    assert "Retired" in admin_client.get(reverse("subjects:list")).content.decode()

    admin_client.post(reverse("subjects:retire", args=[subject.pk]), {"retired": "0"})
    subject.refresh_from_db()
    assert subject.is_active


def test_the_catalogue_is_for_program_admins_only(client):
    client.force_login(MentorFactory())

    assert client.get(reverse("subjects:list")).status_code == 403
