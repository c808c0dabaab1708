"""Sign-in with a provider, and the approval of new logins (national administrators)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import permissions

from . import approval, signin
from .forms import ApprovalForm
from .models import LoginIdentity

NEXT_KEY = "sso_next"


def _provider(provider_id: str):
    provider = settings.SSO_PROVIDERS.get(provider_id)
    if provider is None:
        raise Http404
    return provider


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return settings.LOGIN_REDIRECT_URL


@require_GET
def start(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The sign-in button: off to the provider.

    A link, not a form: the site's content security policy (form-action 'self')
    would stop a form whose answer redirects to the provider. Starting a sign-in
    is harmless; the state kept in this session is what protects the way back.
    """
    provider = _provider(provider_id)
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
    callback = request.build_absolute_uri(reverse("sso:callback", args=[provider.id]))
    try:
        return signin.start(request, provider, callback)
    except signin.SignInRefused as refusal:
        messages.error(request, signin.refusal_message(refusal.reason, provider))
        return redirect("accounts:login")


@require_GET
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The redirect URI registered at the provider."""
    provider = _provider(provider_id)
    try:
        result = signin.finish(request, provider)
    except signin.SignInRefused as refusal:
        messages.error(request, signin.refusal_message(refusal.reason, provider))
        return redirect("accounts:login")
    next_url = request.session.pop(NEXT_KEY, None)
    auth_login(request, result.identity.user, backend="django.contrib.auth.backends.ModelBackend")
    if result.awaiting_approval:
        messages.info(
            request,
            _(
                "You are signed in with %(provider)s. Your login awaits approval by an "
                "administrator, who links it to you and your organisation; until then you "
                "can read, but not edit."
            )
            % {"provider": provider.name},
        )
    return redirect(_safe_next(request, next_url))


def _require_national_admin(request: HttpRequest) -> None:
    if not permissions.roles(request.user).national_admin:
        raise PermissionDenied


def approvals(request: HttpRequest) -> HttpResponse:
    """New logins awaiting approval, each with a form to link it."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    _require_national_admin(request)
    pending = list(LoginIdentity.objects.pending().select_related("user"))
    forms = [(identity, ApprovalForm(identity=identity)) for identity in pending]
    return render(request, "sso/approvals.html", {"forms": forms})


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise PermissionDenied
    _require_national_admin(request)
    identity = get_object_or_404(LoginIdentity.objects.pending(), pk=pk)
    form = ApprovalForm(request.POST, identity=identity)
    if not form.is_valid():
        pending = LoginIdentity.objects.pending().select_related("user")
        forms = [(i, form if i.pk == identity.pk else ApprovalForm(identity=i)) for i in pending]
        return render(request, "sso/approvals.html", {"forms": forms}, status=400)
    approval.approve(identity, by=request.user, **form.cleaned_data)
    messages.success(request, _("The login of %(name)s is approved.") % {"name": identity.name})
    return redirect("sso:approvals")
