"""The program rules page: program admins edit the rules; refused values change nothing."""

import pytest
from django.urls import reverse

from program.models import ProgramRules, ProgramRulesChange

pytestmark = pytest.mark.django_db

VALID = {
    "no_show_limit": "3",
    "late_cancellation_counts_as_no_show": "on",
    "weekly_booking_cap": "2",
    "waitlist_mode": "offer",
    "offer_hold_hours": "6",
}


def _post(client, **changes):
    return client.post(reverse("program:rules"), {**VALID, **changes})


def test_an_admin_saves_the_rules_and_the_change_is_logged_with_who(admin_client):
    response = _post(admin_client)

    rules = ProgramRules.current()
    assert response.status_code == 302
    assert (rules.no_show_limit, rules.late_cancellation_counts_as_no_show, rules.weekly_booking_cap) == (3, True, 2)
    assert (rules.waitlist_mode, rules.offer_hold_hours, rules.updated_by) == ("offer", 6, admin_client.admin)
    change = ProgramRulesChange.objects.get()
    assert change.changed_by == admin_client.admin
    assert change.changes["Offer hold (hours)"] == ["4", "6"]
    page = admin_client.get(reverse("program:rules")).content.decode()
    assert "Offer hold (hours) 4 → 6" in page
    assert admin_client.admin.display_name in page


def test_the_change_log_says_modes_and_switches_in_words_and_only_what_changed(admin_client):
    _post(admin_client, offer_hold_hours="4")

    page = admin_client.get(reverse("program:rules")).content.decode()
    log = page[page.index('id="log"') :]
    assert "Waitlist mode Book the first in line automatically → Offer the seat to the first in line" in log
    assert "Late cancellations count as no-shows no → yes" in log
    assert "No-show limit per term off → 3" in log
    assert "Offer hold (hours)" not in log
    assert "False" not in log and "auto_book" not in log


def test_saving_unchanged_rules_logs_nothing(admin_client):
    _post(admin_client)
    _post(admin_client)

    assert ProgramRulesChange.objects.count() == 1


def test_empty_limits_turn_the_rules_off(admin_client):
    _post(admin_client, no_show_limit="", weekly_booking_cap="")

    rules = ProgramRules.current()
    assert (rules.no_show_limit, rules.weekly_booking_cap) == (None, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("offer_hold_hours", "0", "a hold of 0 gives nobody time to answer"),
        ("offer_hold_hours", "-3", "a hold of 0 gives nobody time to answer"),
        ("offer_hold_hours", "100000", "at most 72 hours (3 days)"),
        ("offer_hold_hours", "", "This field is required."),
        ("offer_hold_hours", "four", "Enter a whole number."),
        ("no_show_limit", "0", "The no-show limit must be between 1 and 100, or empty for no limit."),
        ("weekly_booking_cap", "99999999999999999999", "The weekly booking cap must be between 1 and 100"),
        ("waitlist_mode", "lottery", "Select a valid choice."),
    ],
)
def test_a_refused_value_gets_a_clear_message_keeps_the_input_and_saves_nothing(admin_client, field, value, message):
    before = ProgramRules.current()

    response = _post(admin_client, **{field: value})

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert f'value="{value}"' in page or field == "waitlist_mode" or value == ""
    after = ProgramRules.objects.get()
    assert (after.offer_hold_hours, after.no_show_limit, after.waitlist_mode) == (
        before.offer_hold_hours, before.no_show_limit, before.waitlist_mode
    )
    assert not ProgramRulesChange.objects.exists()


def test_the_page_explains_how_the_hold_is_shortened_near_the_start(admin_client):
    page = admin_client.get(reverse("program:rules")).content.decode()

    assert "never runs later than 30 minutes before the session starts" in page
