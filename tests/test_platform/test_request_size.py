"""A request body over MAX_REQUEST_BYTES is refused with a clear 413 page before anyone reads it."""

import io

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ProgramAdminFactory

pytestmark = pytest.mark.django_db

TWO_HUNDRED_MB = 200 * 1024 * 1024


class CountingBody(io.RawIOBase):
    """A request body that only records whether it was read (and hands out zeros if it is)."""

    def __init__(self):
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"\0" * len(buffer)
        self.bytes_read += len(buffer)
        return len(buffer)


def _post_declaring(client, url: str, size: int, body: CountingBody, content_type: str = "multipart/form-data; boundary=x"):
    return client.generic("POST", url, b"", content_type, **{"wsgi.input": body, "CONTENT_LENGTH": str(size)})


def test_a_200_mb_anonymous_post_is_refused_with_413_before_its_body_is_read(client):
    body = CountingBody()

    response = _post_declaring(client, reverse("account_login"), TWO_HUNDRED_MB, body)

    assert response.status_code == 413
    assert body.bytes_read == 0
    page = response.content.decode()
    assert "That was too large to send" in page and "200.0 MB" in page and "at most 3 MB" in page


def test_a_100_mb_exam_upload_is_refused_with_413_before_its_body_is_read(client):
    client.force_login(ProgramAdminFactory())
    body = CountingBody()

    response = _post_declaring(client, reverse("reports:exam_import"), 100 * 1024 * 1024, body)

    assert response.status_code == 413
    assert body.bytes_read == 0
    assert "an exam results file at most 2 MB" in response.content.decode()


def test_a_post_of_exactly_the_limit_is_let_through_to_the_view(client):
    body = CountingBody()

    response = _post_declaring(client, reverse("account_login"), settings.MAX_REQUEST_BYTES, body,
                               content_type="application/octet-stream")  # fmt: skip

    assert response.status_code == 200  # the sign-in view answered (the body is no form, so the form shows again)


def test_the_413_page_carries_the_sites_security_headers(client):
    response = _post_declaring(client, reverse("account_login"), TWO_HUNDRED_MB, CountingBody())

    assert response.status_code == 413
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_uploads_within_the_limit_stay_in_memory_and_form_fields_are_capped():
    # A request small enough to be accepted is never spooled to a temporary file on disk.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.MAX_REQUEST_BYTES == 3 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024


def test_a_form_whose_text_is_over_a_megabyte_gets_the_413_page_saying_so(client):
    client.force_login(ProgramAdminFactory())

    response = client.post(reverse("accounts:profile"), {"bio": "x" * (1024 * 1024 + 100)})

    assert response.status_code == 413
    page = response.content.decode()
    assert "The text typed into this form was more than 1 MB" in page and "Nothing was saved" in page


def test_a_form_with_more_fields_than_django_takes_gets_a_page_saying_so(client):
    client.force_login(ProgramAdminFactory())

    response = client.post(reverse("accounts:profile"), {f"f{i}": "1" for i in range(1100)})

    assert response.status_code == 400
    assert "The form sent more than 1,000 fields." in response.content.decode()


def test_a_multipart_body_without_a_boundary_gets_a_page_saying_it_could_not_be_read(client):
    client.force_login(ProgramAdminFactory())

    response = client.generic("POST", reverse("accounts:profile"), b"bio=hello", "multipart/form-data")

    assert response.status_code == 400
    assert "The upload could not be read" in response.content.decode()


def test_an_upload_whose_file_name_is_longer_than_its_headers_may_be_gets_a_page_naming_the_cause(client):
    client.force_login(ProgramAdminFactory())
    part = b'Content-Disposition: form-data; name="file"; filename="' + b"r" * 1100 + b'.csv"\r\nContent-Type: text/csv'
    body = b"--B\r\n" + part + b"\r\n\r\nemail\r\nann@school.edu\r\n--B--\r\n"

    response = client.generic("POST", reverse("roster:upload"), body, "multipart/form-data; boundary=B")

    assert response.status_code == 400
    assert "a file name may be too long" in response.content.decode()


def test_a_request_for_another_host_gets_the_sites_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "That could not be read" in response.content.decode()
