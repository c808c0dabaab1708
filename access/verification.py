"""Verified e-mail addresses: a single-use link sent to the account's address.

The link is Django's token machinery (as the password reset's): it is made from
the account's id, its address and whether that address is verified, so it stops
working once used, when the address changes, and after PASSWORD_RESET_TIMEOUT.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from .mail import send

logger = logging.getLogger("access")


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "access.verification.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        verified = getattr(getattr(user, "verified_email", None), "email", "")
        return f"{user.pk}{user.email}{verified}{timestamp}"


token_generator = EmailVerificationTokenGenerator()


def verified_address(user) -> str:
    """The account's address if it is verified, else an empty string."""
    if user is None or not user.is_authenticated or not user.email:
        return ""
    record = getattr(user, "verified_email", None)  # None when never verified
    if record is None or record.email.lower() != user.email.lower():
        return ""
    return user.email


def verified_addresses(users) -> list[str]:
    """The verified addresses of the active accounts among ``users`` (a queryset),
    in account order: one query."""
    accounts = users.filter(is_active=True).select_related("verified_email").distinct()
    return [address for user in accounts.order_by("pk") if (address := verified_address(user))]


def is_verified(user) -> bool:
    return bool(verified_address(user))


def mark_verified(user) -> None:
    """Record the account's current address as verified (the caller has proof)."""
    from .models import VerifiedEmail

    VerifiedEmail.objects.update_or_create(
        user=user, defaults={"email": user.email, "verified_at": timezone.now()}
    )
    # Drop what the user object kept of the old record.
    user._state.fields_cache.pop("verified_email", None)
    logger.info("access.email.verified user=%s", user.get_username())


def verification_path(user) -> str:
    return reverse(
        "access:email_verify",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": token_generator.make_token(user),
        },
    )


def send_verification(user, *, base_url: str) -> bool:
    """Send the link to the account's address; False if it has none or is verified."""
    if not user.email or is_verified(user):
        return False
    send(
        "access/email/verify",
        [user.email],
        {"user": user, "link": base_url + verification_path(user)},
    )
    logger.info("access.email.link_sent user=%s", user.get_username())
    return True


def verify(uidb64: str, token: str):
    """The user whose address the link verifies (now marked verified), or None."""
    try:
        user = get_user_model()._default_manager.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist):
        return None
    if not user.email or not token_generator.check_token(user, token):
        return None
    mark_verified(user)
    return user
