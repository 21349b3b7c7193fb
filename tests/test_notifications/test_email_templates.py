"""The HTML part of an email is optional, but a broken HTML template is an error, not a text-only mail."""

import pytest
from django.urls import NoReverseMatch

from notifications.services import render_email


@pytest.fixture
def email_templates(settings):
    def use(templates: dict[str, str]) -> None:
        settings.TEMPLATES = [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", templates)]},
            }
        ]

    return use


def test_an_email_without_an_html_template_is_sent_as_text_only(email_templates):
    email_templates({"notice_subject.txt": "Hello {{ name }}", "notice.txt": "Dear {{ name }}"})

    assert render_email("notice", {"name": "O'Brien"}) == ("Hello O'Brien", "Dear O'Brien", "")


def test_an_error_inside_the_html_template_is_raised_not_hidden(email_templates):
    email_templates(
        {"notice_subject.txt": "Hello", "notice.txt": "Dear you", "notice.html": "<a href=\"{% url 'no-such-page' %}\">"}
    )

    with pytest.raises(NoReverseMatch):
        render_email("notice", {})


def test_a_missing_template_included_by_the_html_part_is_raised_not_hidden(email_templates):
    email_templates({"notice_subject.txt": "Hello", "notice.txt": "Dear you", "notice.html": "{% include 'gone.html' %}"})

    with pytest.raises(Exception, match="gone.html"):
        render_email("notice", {})
