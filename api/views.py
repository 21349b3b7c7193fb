from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import AuthenticatedRequest, permission_required
from api import selectors, services
from api.forms import ApiTokenForm
from api.models import ApiToken
from core.errors import ApplicationError
from core.views import REFUSED, show_refusal


@never_cache  # the page that shows a new token once must not be kept by any cache
@permission_required("program.administer")
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            token, new_token = services.create_token(
                name=form.cleaned_data["name"], access=form.cleaned_data["access"],
                education_records=form.cleaned_data["education_records"], created_by=request.user,
            )  # fmt: skip
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, f"Token “{token.name}” created. Copy it now: it will not be shown again.")
            form, status = ApiTokenForm(), 201  # not a redirect: the token is on this page only, once
    context = {"form": form, "tokens": selectors.tokens_for_page(), "new_token": new_token}
    return render(request, "api/tokens.html", context, status=REFUSED if form.errors else status)


@permission_required("program.administer")
@require_POST
def revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    services.revoke_token(token=token, revoked_by=request.user)
    messages.success(request, f"Token “{token.name}” is revoked; requests with it are refused from now on.")
    return redirect("api:tokens")
