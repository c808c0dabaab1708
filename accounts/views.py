"""The signed-in user's own page: their roles and what they may edit."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext_lazy as _

from core import permissions

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
