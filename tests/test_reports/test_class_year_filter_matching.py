import pytest
from django.urls import reverse

from tests.factories import ProgramAdminFactory

pytestmark = pytest.mark.django_db


def test_the_report_filtered_by_class_year_counts_matching_instead_of_failing(client):
    # The matching table filtered User rows by "__graduation_year" (an empty prefix): a 500, found by the form fuzzing.
    client.force_login(ProgramAdminFactory())

    response = client.get(reverse("reports:report"), {"class_year": "1"})

    assert response.status_code == 200
