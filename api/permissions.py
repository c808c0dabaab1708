"""One permission class for the whole API; the rules themselves live in core.permissions.

Reading follows the site: anonymous clients read public records, signed-in
users (and their tokens) everything live. Writing needs a signed-in user,
a token with the write scope (a browser session counts as full access, with
CSRF), and the role the same pages would ask for: ``can_add`` to create,
``can_change`` for the record to edit or move to the trash.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions as drf

from core import permissions

from .models import ApiToken


def token_may_write(request) -> bool:
    token = request.auth
    return not isinstance(token, ApiToken) or token.can_write


class RecordPermission(drf.BasePermission):
    message = _("Your role does not allow this.")

    def has_permission(self, request, view) -> bool:
        if request.method in drf.SAFE_METHODS:
            return True
        if not request.user or not request.user.is_authenticated:
            return False  # answered with 401 and how to authenticate
        if not token_may_write(request):
            self.message = _("This token may only read. Make a token with the write scope.")
            return False
        if view.action == "create":
            return permissions.can_add(request.user, view.get_queryset().model)
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in drf.SAFE_METHODS:
            return permissions.can_view(request.user, obj)
        return permissions.can_change(request.user, obj)
