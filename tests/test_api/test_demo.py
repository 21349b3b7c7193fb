"""A newcomer can try the API at once: the demo data has a token, and seed_demo prints it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from api.demo import DEMO_API_TOKEN

pytestmark = pytest.mark.django_db


def test_the_token_seed_demo_prints_reads_the_demo_sessions(client):
    out = StringIO()
    call_command("seed_demo", stdout=out)

    response = client.get(reverse("api-v1:sessions"), headers={"Authorization": f"Bearer {DEMO_API_TOKEN}"})

    assert DEMO_API_TOKEN in out.getvalue()
    assert response.status_code == 200 and response.json()["count"] > 0
