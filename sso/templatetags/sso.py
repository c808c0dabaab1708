from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("sso/_buttons.html", takes_context=True)
def sso_buttons(context):
    """One sign-in button per configured provider, in the order of UNIKOM_OIDC_PROVIDERS."""
    return {
        "providers": list(settings.SSO_PROVIDERS.values()),
        "next": context.get("next", ""),
    }
