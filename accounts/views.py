"""The signed-in user's own pages: their roles and what they may edit, and their
second factor at sign-in."""

from __future__ import annotations

import math
from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import permissions

from . import two_factor as two_factor_service
from .models import Role

#: The "add" pages of the workspace, in the order the page lists them.
ADD_PAGES = [
    ("activities:add", _("Add an activity")),
    ("needs:add", _("Add a need")),
    ("events:add", _("Add an event")),
    ("organisations:person_add", _("Add a person")),
]


@dataclass
class Link:
    url: str
    label: str


def add_links(user) -> list[Link]:
    """Links to the add pages whose records the user may create.

    Apps that are not there yet (no such URL) are left out.
    """
    links = []
    for name, label in ADD_PAGES:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        model = getattr(getattr(resolve(url).func, "view_class", None), "model", None)
        if model is not None and permissions.can_add(user, model):
            links.append(Link(url, str(label)))
    return links


def assignment_links(assignment) -> list[Link]:
    """Where the holder of one role assignment does their work."""
    links = []
    if assignment.role == Role.COORDINATOR and assignment.partnership:
        p = assignment.partnership
        links.append(Link(p.get_absolute_url(), str(_("Profile"))))
        links.append(Link(reverse("partnerships:edit", args=[p.slug]), str(_("Edit profile"))))
        links.append(Link(reverse("partnerships:history", args=[p.slug]), str(_("History"))))
    elif assignment.role == Role.ORGANISATION_EDITOR and assignment.organisation:
        links.append(Link(assignment.organisation.get_absolute_url(), str(_("Organisation page"))))
    return links


@login_required
def my_roles(request: HttpRequest) -> HttpResponse:
    assignments = list(
        request.user.assignments.select_related("partnership", "organisation").order_by(
            "role", "partnership__name", "organisation__name"
        )
    )
    user_roles = permissions.roles(request.user)
    return render(
        request,
        "accounts/me.html",
        {
            "rows": [(a, assignment_links(a)) for a in assignments],
            "national_admin": user_roles.national_admin,
            "editor": user_roles.editor,
            "add_links": add_links(request.user),
        },
    )


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """What a locked-out sign-in gets (django-axes' lockout callable): 429 and why."""
    return render(
        request,
        "accounts/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        },
        status=429,
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enter a one-time code; the first time, enrol an authenticator app by its QR code."""
    device = two_factor_service.confirmed_device(request.user)
    enrolling = device is None
    if enrolling:
        device = two_factor_service.enrolment_device(request.user)
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("accounts:me")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("accounts:me")
    error = None
    if request.method == "POST":
        error = two_factor_service.check_code(request, device, request.POST.get("code", ""))
        if error is None:
            return redirect(next_url)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enrolling": enrolling,
            "verified": request.user.is_verified(),
            "required": two_factor_service.required(request.user),
            "qr_svg": two_factor_service.qr_svg(device) if enrolling else "",
            "secret": b32encode(device.bin_key).decode() if enrolling else "",
            "error": error,
            "next": next_url,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def two_factor_off(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified() or not two_factor_service.turn_off(request.user):
        return HttpResponseForbidden(str(_("Administrators must keep their second factor.")))
    request.session[two_factor_service.CHOSEN] = False
    messages.success(request, _("The second factor is off: you sign in with your password only."))
    return redirect("accounts:me")
