"""Offers of help: a researcher writes to a need's contact through the need's page.

The message goes by e-mail to the need's contact person, or, when the need names
no contact with an address, to its partnership's coordinators (else the editors
of the organisation that posted it). The recipients' addresses are never shown:
the sender learns only whom the message went to (the contact, or the
coordinators). The sender's name and verified address travel with the message,
the address as Reply-To, so that the answer goes straight to them.

Who may offer is asked of ``core.permissions``; whether a need still takes offers
of ``needs.rules``. Each offer is recorded (``NeedResponse``), which also gives the
rate limit: a user may send ``UNIKOM_NEED_OFFERS_PER_HOUR`` offers an hour (5 by
default), counted in the database, so every server process counts the same.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from access.verification import verified_address, verified_addresses
from core import permissions

from . import rules
from .models import Need, NeedResponse

logger = logging.getLogger("needs")

DEFAULT_OFFERS_PER_HOUR = 5

#: Who gets the message (never their addresses; see ``Recipients``).
TO_CONTACT = "contact"
TO_COORDINATORS = "coordinators"
TO_EDITORS = "editors"


class OfferError(Exception):
    """A refused offer; ``str()`` is the message for the user, ``status`` the
    HTTP status the page answers with."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Recipients:
    """Where an offer goes: ``kind`` is one of the ``TO_*`` values."""

    kind: str
    addresses: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.addresses)


def offers_per_hour() -> int:
    return int(getattr(settings, "UNIKOM_NEED_OFFERS_PER_HOUR", DEFAULT_OFFERS_PER_HOUR))


def offers_left(user) -> int:
    """How many more offers ``user`` may send in this hour."""
    since = timezone.now() - timedelta(hours=1)
    sent = NeedResponse.objects.filter(user=user, created__gte=since).count()
    return max(offers_per_hour() - sent, 0)


def _contact_address(need: Need) -> str:
    contact = need.contact
    if contact is None or contact.in_trash or not contact.email:
        return ""
    return contact.email


def _role_addresses(scope: Q) -> tuple[str, ...]:
    """The verified addresses of the active accounts holding a role of ``scope``."""
    return tuple(verified_addresses(get_user_model().objects.filter(scope)))


def recipients(need: Need) -> Recipients:
    """The need's contact person if they have an address; else the partnership's
    coordinators; else the editors of the organisation that posted the need."""
    address = _contact_address(need)
    if address:
        return Recipients(TO_CONTACT, (address,))
    if need.partnership_id is not None:
        found = _role_addresses(
            Q(
                assignments__role=permissions.Role.COORDINATOR,
                assignments__partnership_id=need.partnership_id,
            )
        )
        if found:
            return Recipients(TO_COORDINATORS, found)
    found = _role_addresses(
        Q(
            assignments__role=permissions.Role.ORGANISATION_EDITOR,
            assignments__organisation_id=need.organisation_id,
        )
    )
    return Recipients(TO_EDITORS, found)


def sender_name(user) -> str:
    return user.get_full_name().strip() or user.get_username()


def refusal(user, need: Need) -> OfferError | None:
    """Why ``user`` may not offer help on ``need`` now, or None."""
    if not rules.takes_offers(need):
        return OfferError(_("This need no longer takes offers of help."), status=409)
    if not permissions.can_offer_help(user, need, email_verified=bool(verified_address(user))):
        return OfferError(
            _("Verify your e-mail address before you offer help: the answer is sent there.")
        )
    return None


def offer_help(user, need: Need, message: str, *, need_url: str) -> Recipients:
    """Record the offer and e-mail it; raise ``OfferError`` if it is refused.

    Sending happens inside the transaction, so an offer that could not be sent is
    not recorded (and not counted against the limit).
    """
    problem = refusal(user, need)
    if problem is not None:
        raise problem
    to = recipients(need)
    if not to:
        raise OfferError(_("Nobody can be reached through unikom about this need yet."), 409)
    reply_to = verified_address(user)
    with transaction.atomic():
        # Lock the account's row so that two offers sent at once count one another.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if offers_left(user) <= 0:
            raise OfferError(
                _("You have sent %(n)s offers of help in the last hour. Try again later.")
                % {"n": offers_per_hour()},
                status=429,
            )
        NeedResponse.objects.create(need=need, user=user, message=message)
        context = {
            "need": need,
            "need_url": need_url,
            "sender": sender_name(user),
            "sender_email": reply_to,
            "message": message,
            "recipients": to.kind,
        }
        subject = " ".join(render_to_string("needs/email/offer_subject.txt", context).split())
        body = render_to_string("needs/email/offer.txt", context)
        for address in to.addresses:
            EmailMessage(
                subject, body, settings.DEFAULT_FROM_EMAIL, [address], reply_to=[reply_to]
            ).send()
    logger.info("needs.offer.sent need=%s user=%s to=%s", need.pk, user.pk, to.kind)
    return to
