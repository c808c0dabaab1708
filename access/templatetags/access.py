"""``{% access_panel %}`` on "My roles": the e-mail address's state, the user's
access requests, and the invitation and request pages the user may use."""

from __future__ import annotations

from django import template

from core import permissions

from .. import services, verification
from ..models import AccessRequest

register = template.Library()


@register.inclusion_tag("access/_me.html", takes_context=True)
def access_panel(context) -> dict:
    user = context["request"].user
    return {
        "user": user,
        "verified": verification.is_verified(user),
        "my_requests": list(
            AccessRequest.objects.filter(user=user).select_related("partnership", "organisation")[
                :20
            ]
        ),
        "may_grant": permissions.may_grant_any(user),
        "to_decide": services.requests_to_decide(user).count()
        if permissions.may_grant_any(user)
        else 0,
    }
