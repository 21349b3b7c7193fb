"""Extreme numbers and dates (issue 11, item 11) in every number, date and time box of a form-backed
view: refused with a message, nothing saved, and what was typed shown again."""

import pytest
from django.urls import reverse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.test_properties.form_cases import (
    EXTREME_TARGETS,
    EXTREMES,
    FORM_CLASSES,
    FORM_VIEWS,
    TYPED_FIELDS,
    counts,
    refusal_is_shown,
    valid_payloads,
)
from tests.test_properties.support import FEW, rolled_back

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("view", "who", "form_name", "target", "method"),
    [v for v in FORM_VIEWS if v[0] in EXTREME_TARGETS],
    ids=[v[0] for v in FORM_VIEWS if v[0] in EXTREME_TARGETS],
)
def test_extreme_numbers_and_dates_are_refused_with_a_message_and_what_was_typed_is_kept(
    client, world, view, who, form_name, target, method
):
    """Issue 11, item 11: a duration of 10^14 minutes, a move to 9999-12-31 23:30, a series ending in
    9999 answered 500. Every number, date and time box gets extreme values on top of a valid post."""
    form_class = next(cls for cls in FORM_CLASSES if cls.__name__ == form_name)
    url = reverse(view, args=[world[target].pk] if target else [])
    typed = [n for n, f in form_class.base_fields.items() if isinstance(f, TYPED_FIELDS) or n in EXTREME_TARGETS[view]]
    valid = valid_payloads(world)[view]
    client.raise_request_exception = False
    client.force_login(world[who])
    refused = 0

    @settings(FEW, max_examples=max(10, FEW.max_examples // 2))
    @given(extremes=st.dictionaries(st.sampled_from(typed), st.sampled_from(EXTREMES), min_size=1, max_size=3))
    def check(extremes):
        nonlocal refused
        payload = {**valid, **{name: [value] for name, value in extremes.items()}}
        with rolled_back():
            before = counts()
            response = client.get(url, payload) if method == "get" else client.post(url, payload)
            assert response.status_code in (200, 302, 400), f"{response.status_code} for {extremes}"
            if refusal_is_shown(response):
                refused += 1
                event("refused")
                assert counts() == before
                if response.status_code != 302:
                    form = next(v for c in (response.context if isinstance(response.context, list) else [response.context])
                                for v in c.flatten().values() if isinstance(v, form_class))
                    for name, value in extremes.items():
                        assert form[name].value() in (value, [value]), f"{name}: typed {value!r}, shown {form[name].value()!r}"
            else:
                event("accepted")

    check()
    assert refused, f"no extreme value was refused by {view}"


def test_every_form_view_that_takes_numbers_or_dates_gets_extreme_values():
    takes = {view for view, _, form, _, _ in FORM_VIEWS
             if any(isinstance(f, TYPED_FIELDS) for f in next(c for c in FORM_CLASSES if c.__name__ == form).base_fields.values())}
    assert takes <= set(EXTREME_TARGETS), takes - set(EXTREME_TARGETS)
    assert {"sessions:series_new", "sessions:occurrence_edit", "reports:report"} <= takes
