"""Responses that carry education records (FERPA: outcome notes, attendance, ratings, exam data)
must not be kept by any cache, shared or the browser's: `Cache-Control: private, no-store`.

One mechanism: `education_record_page` on every view that shows such a record (the Django admin's
pages, AuditedReadsAdmin included, are already never_cache). tests/test_audit/test_no_store.py
lists those URLs.
"""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.http import HttpResponseBase
from django.utils.cache import patch_cache_control

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def keep_out_of_caches(response: R) -> R:
    patch_cache_control(response, private=True, no_store=True)
    return response


def education_record_page(view: Callable[P, R]) -> Callable[P, R]:
    """View decorator: every response of the view (a redirect or a form error too) is private, no-store."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        return keep_out_of_caches(view(*args, **kwargs))

    return wrapped
