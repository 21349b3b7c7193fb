"""Every domain error of every app is an ApplicationError, so one view helper shows them all."""

import importlib
import inspect

import pytest

from core.errors import ApplicationError

APPS = ["accounts", "mentorship", "reports", "roster", "sessions", "subjects"]


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
