"""The API's browsable docs work in a real browser under the site's CSP, with nothing from another origin."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_every_operation_from_the_sites_own_files_without_a_csp_violation(page, live_server):
    origins, console_errors = set(), []
    page.on("request", lambda request: origins.add(urlparse(request.url).netloc))
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    page.goto("/api/v1/docs")

    expect(page.get_by_text("/api/v1/occurrences/{occurrence_id}")).to_be_visible()  # drawn by Swagger UI's script
    expect(page.get_by_text("/api/v1/roster")).to_be_visible()
    assert origins == {urlparse(live_server.url).netloc}
    assert console_errors == []  # a CSP refusal would be logged here
