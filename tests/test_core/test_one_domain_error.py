"""Every domain error of every app is an ApplicationError, so one view helper shows them all."""

import importlib
import inspect

import pytest

from core.errors import ApplicationError

APPS = ["accounts", "api", "checkin", "feedback", "mentorship", "program", "reports", "roster", "sessions", "subjects", "teaching"]


def _domain_errors():
    for app in APPS:
        for module_name in (f"{app}.services", f"{app}.errors"):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            for name, obj in inspect.getmembers(module, inspect.isclass):
                # Defined there, or in the package's own modules (roster.services.importing, ...).
                defined_here = obj.__module__ == module_name or obj.__module__.startswith(f"{module_name}.")
                if issubclass(obj, Exception) and defined_here:
                    yield f"{obj.__module__}.{name}", obj


@pytest.mark.parametrize(("name", "error"), list(_domain_errors()), ids=lambda value: value if isinstance(value, str) else "")
def test_the_domain_error_is_an_application_error(name, error):
    assert issubclass(error, ApplicationError), name


def test_the_errors_of_every_app_are_found():
    found = {name.split(".")[0] for name, _ in _domain_errors()}

    assert found == set(APPS)


@pytest.mark.django_db
def test_a_value_the_model_refuses_is_raised_as_the_given_domain_error_on_its_field():
    from core.errors import clean_or_refuse
    from subjects.models import Subject
    from subjects.services import SubjectError

    with pytest.raises(SubjectError) as refused:
        clean_or_refuse(Subject(name="Anatomy", category="astrology"), SubjectError)

    assert refused.value.field == "category"
    assert "astrology" in refused.value.message


@pytest.mark.django_db
def test_a_problem_of_the_whole_row_is_raised_without_a_field():
    from datetime import date

    from core.errors import InvalidValue, clean_or_refuse
    from program.models import Holiday

    with pytest.raises(InvalidValue) as refused:
        clean_or_refuse(Holiday(name="Break", first_day=date(2027, 3, 20), last_day=date(2027, 3, 10)))

    assert refused.value.field is None


@pytest.mark.django_db
def test_a_broken_database_rule_is_named_in_words_not_as_djangos_constraint_message():
    from datetime import date

    from core.errors import InvalidValue, clean_or_refuse
    from program.models import Holiday

    with pytest.raises(InvalidValue) as refused:
        clean_or_refuse(Holiday(name="Break", first_day=date(2027, 3, 20), last_day=date(2027, 3, 10)))

    assert refused.value.message == "These values break the rule “holiday ends after start”."
