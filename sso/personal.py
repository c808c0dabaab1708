"""What single sign-on keeps about an account (core.personal): its provider login."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils.translation import gettext as _

from core import personal

from .models import LoginIdentity


@receiver(personal.collect)
def personal_data(sender, user, **kwargs) -> personal.Section | None:
    identity = LoginIdentity.objects.filter(user=user).first()
    if identity is None:
        return None
    row = {
        "provider": identity.provider,
        "subject": identity.subject,
        "name": identity.name,
        "email": identity.email,
        "organisation_number": identity.org_number,
        "first_signed_in": identity.first_seen,
        "last_signed_in": identity.last_seen,
        "approved": identity.approved,
    }
    line = _(
        "Signs in with %(provider)s as %(name)s <%(email)s>; last %(last)s. The provider's "
        "identifier for you is kept, never a national identity number."
    ) % {
        "provider": identity.provider,
        "name": identity.name or "–",
        "email": identity.email or "–",
        "last": identity.last_seen.date(),
    }
    return personal.Section("single_sign_on", _("Single sign-on"), [row], [line])


@receiver(personal.erase)
def forget(sender, user, **kwargs) -> None:
    LoginIdentity.objects.filter(user=user).delete()
