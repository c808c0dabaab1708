"""Issuing, finding and revoking API tokens (used by the pages, the command and tests)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.utils import timezone

from .models import ApiToken, Scope, hash_secret

TOKEN_PREFIX = "unikom_"  # noqa: S105 (a marker, not a secret)
PREFIX_SHOWN = len(TOKEN_PREFIX) + 6
#: ``last_used`` is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def issue_token(
    owner, name: str, scope: str = Scope.READ, *, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``owner`` and its secret, which is not stored anywhere."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        owner=owner,
        name=name,
        scope=scope,
        prefix=secret[:PREFIX_SHOWN],
        key_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    return token, secret


def find_token(secret: str) -> ApiToken | None:
    """The token with this secret, whether usable or not; None for an unknown one."""
    return ApiToken.objects.select_related("owner").filter(key_hash=hash_secret(secret)).first()


def mark_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now


def revoke(owner, token_id: int) -> bool:
    """Revoke one of the owner's tokens; False when they have no such live token."""
    return bool(
        ApiToken.objects.filter(owner=owner, pk=token_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
