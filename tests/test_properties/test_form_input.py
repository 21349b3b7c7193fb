"""Every form of the project under arbitrary input: never an exception, each error belongs to a field
and says something, every cleaned field is there. Strategies start from a valid post per form and
break a few fields (extreme numbers and dates included), so both sides are exercised and the run
asserts that some inputs were accepted and others refused."""

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.test_properties.form_cases import (
    ACCEPTS_ANYTHING,
    FORM_CLASSES,
    VIEW_OF_FORM,
    bind,
    broken_post,
    known_ids,
    valid_payloads,
)
from tests.test_properties.support import FEW, rolled_back

pytestmark = pytest.mark.django_db


def test_every_form_of_the_project_is_covered():
    names = {cls.__name__ for cls in FORM_CLASSES}
    # A guard against discovery silently finding nothing; new forms join the property test by themselves.
    assert {"ProfileForm", "OnboardingForm", "SeriesForm", "RecordForm", "ReportFilterForm", "SubjectForm",
            "MentorshipRequestForm", "ExamUploadForm"} <= names


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: cls.__name__)
def test_arbitrary_input_never_makes_a_form_raise(form_class, world):
    # Fields added in __init__ (wanted_1.., attendance_<id>) are fuzzed too.
    names = list(dict.fromkeys([*form_class.base_fields, *bind(form_class, {}, world).fields]))
    known = known_ids(world)
    valid = valid_payloads(world).get(VIEW_OF_FORM[form_class.__name__], {})
    outcomes = {"valid": 0, "invalid": 0}

    @FEW
    @given(data=st.data())
    def check(data):
        payload = data.draw(broken_post(valid, names, known))
        raw = data.draw(st.one_of(st.none(), st.binary(max_size=200))) if "file" in names else None
        with rolled_back():
            form = bind(form_class, payload, world, raw)
            if form.is_valid():
                outcome = "valid"
                # Every field has its cleaned value (a clean_<field>() or clean() that drops one breaks views).
                assert set(form.fields) <= set(form.cleaned_data), set(form.fields) - set(form.cleaned_data)
            else:
                outcome = "invalid"
                # Each error belongs to a field of the form (or the whole form) and says something.
                assert set(form.errors) <= {*form.fields, "__all__"}
                assert all(message.strip() for errors in form.errors.values() for message in errors)
            outcomes[outcome] += 1
            event(outcome)
            if hasattr(form, "class_year_hint"):
                form.class_year_hint()

    check()
    if VIEW_OF_FORM[form_class.__name__] not in ACCEPTS_ANYTHING:
        assert outcomes["invalid"], "no example was refused"
    if valid and form_class.__name__ not in {"ExamUploadForm"}:
        assert outcomes["valid"] or bind(form_class, valid, world).is_valid(), outcomes
