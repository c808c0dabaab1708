"""Pages where signed-in users make, see and revoke their API tokens.

A new token's secret is shown once, in the answer to the POST that made it,
and never again: only its hash is stored (api.models).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms import TokenForm
from .tokens import issue_token, revoke


@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """GET lists the user's tokens; POST makes a new one and shows its secret once."""
    form = TokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, secret = issue_token(
                request.user,
                form.cleaned_data["name"],
                form.cleaned_data["scope"],
                expires_at=form.expires_at(),
            )
            form = TokenForm()
        else:
            status = 400
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "secret": secret, "docs_url": reverse("api:docs")},
        status=status,
    )


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if not revoke(request.user, pk):
        raise Http404(_("No such token."))
    messages.success(request, _("The token is revoked. Requests with it are refused from now on."))
    return HttpResponseRedirect(reverse("api:tokens"))
