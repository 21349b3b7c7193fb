"""Plain-text email parts and subjects say what people typed: no HTML escaping in them."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.utils import timezone

from notifications.services import render_email
from tests.factories import BookingFactory, MenteeFactory, OccurrenceFactory, ReviewSeriesFactory

TYPED = "O'Brien & <Co> \"quoted\""
ESCAPES = ("&#x27;", "&#39;", "&amp;", "&lt;", "&gt;", "&quot;")


class Anything(datetime):
    """Stands for any value a template asks for: formats as a date, and every attribute,
    key or item of it is the text TYPED."""

    convert_to_local_time = False

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return TYPED

    def __getitem__(self, key):
        return TYPED

    def __iter__(self):  # a list of two, or a pair for `{% for a, b in ... %}`
        return iter([self, self])

    def __len__(self):
        return 2

    def __str__(self):
        return TYPED


def email_templates() -> list[str]:
    """Every `<app>/templates/<app>/email/<name>.txt` of the project's apps, as a prefix."""
    prefixes = set()
    for config in apps.get_app_configs():
        root = Path(config.path) / "templates"
        if not str(root).startswith(str(settings.BASE_DIR)) or ".venv" in root.parts:
            continue
        for path in root.glob("*/email/*.txt"):
            name = path.relative_to(root).as_posix()
            prefixes.add(re.sub(r"(_subject)?\.txt$", "", name))
    return sorted(prefixes)


def a_context_for(prefix: str) -> dict:
    """Every name the templates of `prefix` mention, bound to Anything (program_name to TYPED)."""
    names = set()
    for config in apps.get_app_configs():
        for path in (Path(config.path) / "templates").glob(f"{prefix}*.txt"):
            for tag in re.findall(r"\{[{%](.*?)[}%]\}", path.read_text(), flags=re.S):
                names.update(re.findall(r"[A-Za-z_]\w*", tag))
    context = {name: Anything(2027, 3, 16, 18, 0, tzinfo=UTC) for name in names}
    context["program_name"] = TYPED
    return context


def test_the_project_has_text_email_templates_in_several_apps():
    found = email_templates()
    assert {prefix.split("/")[0] for prefix in found} >= {"accounts", "mentorship", "reports", "sessions"}
    assert "sessions/email/booking_confirmed" in found and "sessions/email/reminder" in found


@pytest.mark.parametrize("prefix", email_templates())
def test_every_text_email_and_subject_shows_apostrophes_ampersands_and_brackets_as_typed(prefix):
    subject, text, _ = render_email(prefix, a_context_for(prefix))

    assert TYPED in text
    for escape in ESCAPES:
        assert escape not in subject
        assert escape not in text


@pytest.mark.parametrize("prefix", email_templates())
def test_the_html_part_of_every_email_still_escapes_what_people_typed(prefix):
    _, _, html = render_email(prefix, a_context_for(prefix))

    if html:
        assert TYPED not in html
        assert "O&#x27;Brien &amp; &lt;Co&gt;" in html


@pytest.mark.django_db
def test_a_reminder_for_a_title_with_an_apostrophe_and_brackets_reads_as_typed(dispatch):
    series = ReviewSeriesFactory(title="Heart & Lungs: O'Brien's <review>")
    mentee = MenteeFactory(first_name="D'Arcy")
    BookingFactory(occurrence=OccurrenceFactory(series=series, starts_at=timezone.now() + timedelta(minutes=50)), mentee=mentee)

    dispatch()

    message = next(m for m in mail.outbox if m.to == [mentee.email])
    assert message.subject.startswith("Reminder: Heart & Lungs: O'Brien's <review> in 1 hour")
    assert "Hello D'Arcy," in message.body
    assert "Heart & Lungs: O'Brien's <review>" in message.body
    html, _ = message.alternatives[0]
    assert "Heart &amp; Lungs: O&#x27;Brien&#x27;s &lt;review&gt;" in html
