"""How every view shows a refusal: the same way, with the same status, in every app."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import ApplicationError

# A page re-shown because the input or a rule was refused (form errors), in every app.
REFUSED = 400

T = TypeVar("T")


def show_refusal(form: forms.BaseForm, error: ApplicationError) -> None:
    """Put a domain error on the form: on its field when the form has that field, else on top."""
    field = error.field if error.field and error.field in form.fields else None
    form.add_error(field, error.message)


def run_service(
    request: HttpRequest,
    action: Callable[[], T],
    success: str | Callable[[T], str] | None = None,
    *,
    form: forms.BaseForm | None = None,
) -> bool:
    """Call one service for a view. A refusal goes on `form` (without one, into an error message);
    on success `success` (a text, or made from the service's result) becomes a message. True if it ran."""
    try:
        result = action()
    except ApplicationError as error:
        if form is None:
            messages.error(request, error.message)
        else:
            show_refusal(form, error)
        return False
    if success is not None:
        messages.success(request, success if isinstance(success, str) else success(result))
    return True


def start_upload(
    request: HttpRequest, form: forms.BaseForm, upload: Callable[[str, bytes], Model], preview: str
) -> HttpResponse | None:
    """For a page that uploads a file for preview: on a valid POST hand the file's name and bytes to
    `upload` and go to the `preview` URL of what it created. A refusal goes on the file field (or the
    field it names) and None is answered: the view renders its page again (render_form_page: 400)."""
    if request.method != "POST" or not form.is_valid():
        return None
    file = form.cleaned_data["file"]
    try:
        created = upload(file.name, file.read())
    except ApplicationError as error:
        form.add_error(error.field if error.field in form.fields else "file", error.message)
        return None
    return redirect(preview, pk=created.pk)


def render_form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, form: forms.BaseForm | None = None
) -> HttpResponse:
    """Render a page holding a form: status 400 when the form carries errors, else 200."""
    refused = form is not None and form.is_bound and bool(form.errors)
    return render(request, template, context, status=REFUSED if refused else 200)


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The `next` address the form or link carried, if it stays on this site; otherwise `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
