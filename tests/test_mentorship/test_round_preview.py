"""The round preview lists the proposed pairs and the unmatched mentees, 100 of each a page (rows
written in Python by mentorship/templatetags/matching_rounds.py): what each row says and does, its
pages, and its cost in queries."""

import re

import pytest
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import MatchingRound
from tests.test_mentorship.support import program_admin

pytestmark = pytest.mark.django_db


def pair(mentee_id, *, mentor="Omar Reyes", mentee="Mia Kim", score=13.0, dropped=False, reasons="Teaches Anatomy"):
    return {
        "mentor_id": 1, "mentor_name": mentor, "mentee_id": mentee_id, "mentee_name": mentee,
        "subject_ids": [1], "score": score, "reasons": reasons, "dropped": dropped,
    }  # fmt: skip


def preview(admin, pairs, unmatched=(), status=MatchingRound.Status.PREVIEW):
    return MatchingRound.objects.create(
        created_by=admin, status=status, proposed_pairs=pairs, unmatched=list(unmatched),
        total_score=sum(p["score"] for p in pairs),
    )  # fmt: skip


def page(client, matching_round, query=""):
    return client.get(reverse("matching:round", args=[matching_round.pk]) + query).content.decode()


@pytest.fixture
def admin(client):
    admin = program_admin()
    client.force_login(admin)
    return admin


def pair_form(content):
    """The hidden fields of the preview's one pair form, and its buttons: {aria-label: (formaction, name, value)}."""
    (form,) = re.findall(r'<form method="post">(.*?)</form>', content, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    buttons = {
        label: (action, name, value)
        for action, name, value, label in re.findall(
            r'<button type="submit" formaction="([^"]+)" name="([^"]+)" value="([^"]*)"[^>]*aria-label="([^"]+)"', form
        )
    }
    return fields, buttons


def press(client, content, label):
    """Submit the pair form with the button `label`, as a browser would (its fields and the button's value)."""
    fields, buttons = pair_form(content)
    action, name, value = buttons[label]
    return client.post(action, {**fields, name: value})


def test_each_pair_has_a_drop_button_posting_to_that_pair(client, admin):
    matching_round = preview(admin, [pair(7), pair(9, mentee="Noah Lee")])

    _, buttons = pair_form(page(client, matching_round))

    assert buttons == {
        "Drop Omar Reyes with Mia Kim": (reverse("matching:round_pair", args=[matching_round.pk, 7]), "dropped", "1"),
        "Drop Omar Reyes with Noah Lee": (reverse("matching:round_pair", args=[matching_round.pk, 9]), "dropped", "1"),
    }


def test_pressing_drop_drops_that_pair_with_the_csrf_check_on(admin):
    matching_round = preview(admin, [pair(7), pair(9, mentee="Noah Lee")])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)

    response = press(browser, page(browser, matching_round), "Drop Omar Reyes with Noah Lee")

    assert response.status_code == 302
    matching_round.refresh_from_db()
    assert [(p["mentee_id"], p["dropped"]) for p in matching_round.proposed_pairs] == [(7, False), (9, True)]


def test_a_dropped_pair_is_struck_through_and_offers_keep(client, admin):
    content = page(client, preview(admin, [pair(7, dropped=True)]))

    assert '<tr class="text-decoration-line-through text-body-secondary"><td>Omar Reyes</td>' in content
    assert pair_form(content)[1]["Keep Omar Reyes with Mia Kim"][1:] == ("dropped", "0")


def test_the_fit_is_rounded_as_the_floatformat_filter_rounds_it(client, admin):
    scores = [12.125, 0.005, 3.0, 19.999, 10.0 + 1 / 3]

    content = page(client, preview(admin, [pair(i, score=s) for i, s in enumerate(scores, start=1)]))

    cells = re.findall(r"<td>Mia Kim</td><td>([^<]*)</td>", content)
    assert cells == [floatformat(s, "2") for s in scores]


def test_names_and_reasons_are_escaped(client, admin):
    content = page(client, preview(admin, [pair(7, mentor="<b>Ann</b>", reasons="Teaches A&P")]))

    assert "<b>Ann</b>" not in content
    assert "<td>&lt;b&gt;Ann&lt;/b&gt;</td>" in content and "Teaches A&amp;P" in content


def test_unmatched_mentees_are_listed_with_their_reason_escaped(client, admin):
    unmatched = [{"mentee_id": 5, "mentee_name": "Zoe <Z>", "reason": "All 2 eligible mentors are full."}]

    content = page(client, preview(admin, [pair(7)], unmatched))

    assert (
        '<li class="list-group-item"><strong>Zoe &lt;Z&gt;</strong>: All 2 eligible mentors are full.</li>' in content
    )


def test_a_committed_round_lists_its_pairs_without_buttons(client, admin):
    matching_round = preview(admin, [pair(7), pair(9)], status=MatchingRound.Status.PREVIEW)
    MatchingRound.objects.filter(pk=matching_round.pk).update(
        status=MatchingRound.Status.COMMITTED, committed_at="2026-01-05T10:00Z"
    )

    content = page(client, matching_round)

    assert content.count("<td>Omar Reyes</td>") == 2
    assert "Drop" not in content and 'name="dropped"' not in content


def test_the_preview_makes_the_same_queries_for_2_or_200_pairs(client, admin):
    small = preview(admin, [pair(i) for i in range(2)], [{"mentee_id": 900, "mentee_name": "A", "reason": "r"}])
    large = preview(
        admin,
        [pair(i) for i in range(200)],
        [{"mentee_id": 900 + i, "mentee_name": "A", "reason": "r"} for i in range(300)],
    )
    page(client, small)  # session and permission caches warm

    with CaptureQueriesContext(connection) as for_small:
        page(client, small)
    with CaptureQueriesContext(connection) as for_large:
        content = page(client, large)

    assert content.count("<td>Omar Reyes</td>") == 100  # a page of them
    assert len(for_large) == len(for_small)


def test_the_pairs_are_shown_a_hundred_a_page_with_links_between_the_pages(client, admin):
    matching_round = preview(admin, [pair(i, mentee=f"Mentee {i:03}") for i in range(1, 251)])

    first, third = page(client, matching_round), page(client, matching_round, "?page=3")

    assert re.findall(r"<td>(Mentee \d+)</td>", first) == [f"Mentee {i:03}" for i in range(1, 101)]
    assert re.findall(r"<td>(Mentee \d+)</td>", third) == [f"Mentee {i:03}" for i in range(201, 251)]
    here = reverse("matching:round", args=[matching_round.pk])
    assert f'href="{here}?page=2#pairs">More pairs</a>' in first and "Page 1 of 3" in first
    assert f'href="{here}?page=2#pairs">Previous pairs</a>' in third and "More pairs" not in third
    assert "Proposed pairs (250 of 250 kept" in third  # the counts are the round's, not the page's


def test_a_page_number_that_is_not_a_page_shows_a_page_that_is(client, admin):
    matching_round = preview(admin, [pair(i, mentee=f"Mentee {i:03}") for i in range(1, 151)])

    assert "<td>Mentee 101</td>" in page(client, matching_round, "?page=99")
    assert "<td>Mentee 001</td>" in page(client, matching_round, "?page=abc")


def test_keep_or_drop_on_a_later_page_comes_back_to_that_page(client, admin):
    matching_round = preview(admin, [pair(i, mentee=f"Mentee {i:03}") for i in range(1, 151)])
    content = page(client, matching_round, "?page=2")
    assert pair_form(content)[0]["page"] == "2"

    response = press(client, content, "Drop Omar Reyes with Mentee 101")

    assert response.url == reverse("matching:round", args=[matching_round.pk]) + "?page=2#pairs"
    matching_round.refresh_from_db()
    assert [p["mentee_id"] for p in matching_round.proposed_pairs if p["dropped"]] == [101]


def test_the_unmatched_mentees_are_paged_on_their_own(client, admin):
    unmatched = [{"mentee_id": i, "mentee_name": f"Unmatched {i:03}", "reason": "r"} for i in range(1, 131)]
    matching_round = preview(admin, [pair(i) for i in range(1, 151)], unmatched)

    content = page(client, matching_round, "?page=2&unmatched=2")

    assert re.findall(r"<strong>(Unmatched \d+)</strong>", content) == [f"Unmatched {i:03}" for i in range(101, 131)]
    assert content.count("<td>Omar Reyes</td>") == 50  # still the second page of pairs
    here = reverse("matching:round", args=[matching_round.pk])
    assert f'href="{here}?page=2&amp;unmatched=1#unmatched">Previous mentees</a>' in content
    assert "Unmatched mentees (130)" in content


def test_keep_or_drop_also_keeps_the_page_of_unmatched_mentees(client, admin):
    unmatched = [{"mentee_id": 900 + i, "mentee_name": f"Unmatched {i:03}", "reason": "r"} for i in range(1, 131)]
    matching_round = preview(admin, [pair(i, mentee=f"Mentee {i:03}") for i in range(1, 151)], unmatched)

    response = press(client, page(client, matching_round, "?page=2&unmatched=2"), "Drop Omar Reyes with Mentee 101")

    assert response.url == reverse("matching:round", args=[matching_round.pk]) + "?page=2&unmatched=2#pairs"


def test_a_refused_commit_links_its_pages_to_the_round_not_to_the_commit(client, admin):
    matching_round = preview(admin, [pair(i, dropped=True) for i in range(1, 151)])  # nothing kept: refused

    response = client.post(reverse("matching:commit", args=[matching_round.pk]))

    assert response.status_code == 400
    links = re.findall(r'<a class="page-link" href="([^"]+)">', response.content.decode())
    assert links == [reverse("matching:round", args=[matching_round.pk]) + "?page=2#pairs"]
    assert client.get(links[0]).status_code == 200
