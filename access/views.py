"""Pages for invitations, access requests and e-mail verification. Thin: the
forms check input, ``core.permissions`` says who may, ``access.services`` acts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import permissions

from . import services, verification
from .forms import AccessRequestForm, DecisionForm, InvitationForm, InvitedAccountForm
from .models import AccessRequest, Invitation


def base_url(request: HttpRequest) -> str:
    """Scheme and host of this site, for links in e-mail."""
    return request.build_absolute_uri("/").rstrip("/")


def _granted_message(request: HttpRequest, assignment_fields: dict) -> None:
    scope = assignment_fields["partnership"] or assignment_fields["organisation"]
    messages.success(request, _("You now have the role for %(scope)s.") % {"scope": scope})


def _initial_scope(request: HttpRequest) -> dict:
    """?partnership=SLUG or ?organisation=SLUG from a link fills the form in."""
    return {key: request.GET[key] for key in ("partnership", "organisation") if key in request.GET}


# --- Invitations ---------------------------------------------------------------


@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    """The pending invitations the user may withdraw."""
    if not permissions.may_grant_any(request.user):
        raise PermissionDenied
    return render(
        request,
        "access/invitation_list.html",
        {"invitations": services.pending_invitations(request.user)},
    )


@login_required
def invitation_add(request: HttpRequest) -> HttpResponse:
    if not permissions.may_grant_any(request.user):
        raise PermissionDenied
    initial = {
        key: request.GET[key] for key in ("partnership", "organisation") if key in request.GET
    }
    if "partnership" in initial:
        initial["role"] = "coordinator"
    elif "organisation" in initial:
        initial["role"] = "organisation_editor"
    form = InvitationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(
                request.user,
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                **form.target(),
                base_url=base_url(request),
            )
        except services.AccessError as error:
            form.add_error(None, str(error))
        except OSError:
            form.add_error(
                None,
                _("The e-mail could not be sent, so no invitation was made. Try again later."),
            )
        else:
            messages.success(
                request,
                _("The invitation is sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("access:invitations")
    return render(
        request,
        "access/invitation_form.html",
        {"form": form, "days": services.invitation_days()},
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    if not permissions.can_revoke_invitation(request.user, invitation):
        raise Http404
    try:
        services.revoke_invitation(invitation, request.user)
    except services.AccessError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("access:invitations")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Where the link in the invitation leads: accept it (signed in), or create an
    account for the invited address (a visitor)."""
    found = services.find_invitation(token)
    problem = services.invitation_problem(found, request.user)
    if problem:
        # Unknown: 404; used, withdrawn or expired: 410 (gone); otherwise refused: 403.
        if found is None:
            status = 404
        elif found.status != Invitation.Status.PENDING:
            status = 410
        else:
            status = 403
        return render(
            request, "access/invitation_refused.html", {"problem": problem}, status=status
        )
    context = {"invitation": found, "token": token}
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.accept_invitation(found, request.user)
            except services.AccessError as error:
                return render(
                    request, "access/invitation_refused.html", {"problem": str(error)}, status=410
                )
            _granted_message(request, found.assignment_fields())
            return redirect("accounts:me")
        return render(request, "access/invitation.html", context)
    form = InvitedAccountForm(request.POST or None, email=found.email)
    if request.method == "POST" and form.is_valid():
        try:
            user, _assignment = services.create_account_and_accept(
                found, form.cleaned_data["username"], form.cleaned_data["password1"]
            )
        except services.AccessError as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            _granted_message(request, found.assignment_fields())
            return redirect("accounts:me")
    return render(request, "access/invitation.html", context | {"form": form})


# --- Access requests -----------------------------------------------------------


@login_required
def request_add(request: HttpRequest) -> HttpResponse:
    """Ask for a role. Needs a verified e-mail address (core.permissions)."""
    if not permissions.can_request_access(
        request.user, email_verified=verification.is_verified(request.user)
    ):
        return render(request, "access/request_form.html", {"needs_verification": True})
    initial = {
        key: request.GET[key] for key in ("partnership", "organisation") if key in request.GET
    }
    if "organisation" in initial:
        initial["role"] = "organisation_editor"
    form = AccessRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_access(
                request.user,
                form.cleaned_data["role"],
                **form.target(),
                reason=form.cleaned_data["reason"],
                base_url=base_url(request),
            )
        except services.AccessError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your request is sent. You get an e-mail when it has been decided."),
            )
            return redirect("accounts:me")
    return render(request, "access/request_form.html", {"form": form})


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The requests waiting for the user's decision."""
    if not permissions.may_grant_any(request.user):
        raise PermissionDenied
    rows = [(r, DecisionForm(prefix=f"r{r.pk}")) for r in services.requests_to_decide(request.user)]
    return render(request, "access/request_list.html", {"rows": rows})


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    access_request = get_object_or_404(AccessRequest, pk=pk)
    if not permissions.can_decide_access_request(request.user, access_request):
        raise Http404
    form = DecisionForm(request.POST, prefix=f"r{pk}")
    if not form.is_valid():
        messages.error(request, _("The message is too long (at most 1000 characters)."))
        return redirect("access:requests")
    act = services.approve if decision == "approve" else services.decline
    try:
        act(
            access_request,
            request.user,
            message=form.cleaned_data["message"],
            base_url=base_url(request),
        )
    except services.AccessError as error:
        messages.error(request, str(error))
    else:
        text = (
            _("%(user)s now has the role.")
            if decision == "approve"
            else _("The request of %(user)s is declined.")
        )
        messages.success(request, text % {"user": access_request.user.get_username()})
    return redirect("access:requests")


# --- E-mail verification -------------------------------------------------------


@login_required
def email(request: HttpRequest) -> HttpResponse:
    """The account's address and whether it is verified; POST sends the link."""
    if request.method == "POST":
        if verification.send_verification(request.user, base_url=base_url(request)):
            messages.success(
                request,
                _("We have sent a link to %(email)s. Open it to verify the address.")
                % {"email": request.user.email},
            )
        return redirect("access:email")
    return render(
        request,
        "access/email.html",
        {"verified": verification.is_verified(request.user)},
    )


def email_verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = verification.verify(uidb64, token)
    status = 200 if user is not None else 410
    return render(request, "access/email_verified.html", {"verified_user": user}, status=status)
