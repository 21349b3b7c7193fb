"""core.forms.WrittenSelect writes exactly the markup of Django's template-rendered Select."""

import pytest
from django import forms

from core.forms import WrittenSelect

CHOICES = [("", "Any"), (1, "Anatomy & <Physiology>"), (2, 'Say "hi"'), (3, "Biochemistry")]


def both(value, attrs=None, choices=CHOICES):
    written = WrittenSelect(attrs={"class": "form-select"}, choices=choices)
    templated = forms.Select(attrs={"class": "form-select"}, choices=choices)
    return written.render("mentor", value, attrs), templated.render("mentor", value, attrs)


@pytest.mark.parametrize("value", [None, "", 1, "2", "99"])
def test_a_written_select_marks_the_same_option_chosen_as_djangos(value):
    written, templated = both(value, attrs={"id": "id_mentor", "required": True})
    assert written == templated


def test_a_written_select_escapes_labels_and_values_as_djangos_does():
    written, templated = both(None, choices=[('"x"', "<script>"), ("y&z", "a & b")])
    assert written == templated
    assert "<script>" not in written


def test_a_written_select_marks_only_the_first_of_two_equal_values_chosen():
    written, templated = both("1", choices=[(1, "One"), ("1", "Also one")])
    assert written == templated
    assert written.count("selected") == 1


def test_a_written_select_with_grouped_choices_renders_the_groups():
    groups = [("Year 1", [(1, "Anatomy")]), ("Year 2", [(2, "Pharmacology")])]
    written, templated = both(2, choices=groups)
    assert written == templated
    assert '<optgroup label="Year 1">' in written
