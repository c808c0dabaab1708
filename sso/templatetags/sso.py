from django import template
from django.conf import settings

from core import permissions
from sso.models import LoginIdentity

register = template.Library()


@register.inclusion_tag("sso/_buttons.html", takes_context=True)
def sso_buttons(context):
    """One sign-in button per configured provider, in the order of UNIKOM_OIDC_PROVIDERS."""
    return {
        "providers": list(settings.SSO_PROVIDERS.values()),
        "next": context.get("next", ""),
    }


@register.inclusion_tag("sso/_status.html")
def sso_login_status(user):
    """For the user's own page: a note when their provider login awaits approval, and
    for national administrators a link to the logins awaiting theirs."""

    identity, to_approve = None, 0
    if user.is_authenticated:
        identity = LoginIdentity.objects.pending().filter(user=user).first()
        if permissions.roles(user).national_admin:
            to_approve = LoginIdentity.objects.pending().count()
    provider = settings.SSO_PROVIDERS.get(identity.provider) if identity else None
    return {
        "identity": identity,
        "provider_name": provider.name if provider else "",
        "to_approve": to_approve,
    }
