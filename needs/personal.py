"""What the offers of help keep about an account (core.personal)."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils.translation import gettext as _

from core import personal

from .models import NeedResponse


@receiver(personal.collect)
def personal_data(sender, user, **kwargs) -> personal.Section | None:
    offers = list(NeedResponse.objects.filter(user=user).select_related("need"))
    if not offers:
        return None
    rows = [
        {
            "need": offer.need.title,
            "need_id": str(offer.need.public_id),
            "message": offer.message,
            "sent": offer.created,
        }
        for offer in offers
    ]
    lines = [
        _("You offered help with “%(need)s” on %(date)s")
        % {"need": offer.need.title, "date": offer.created.date().isoformat()}
        for offer in offers
    ]
    return personal.Section("offers_of_help", _("Offers of help"), rows, lines)


@receiver(personal.erase)
def forget(sender, user, **kwargs) -> None:
    """The offers stay counted on their needs, without the message."""
    NeedResponse.objects.filter(user=user).update(message="")
