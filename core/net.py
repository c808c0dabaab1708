"""The client's address, the one way every part of unikom reads it.

Behind no proxy (``UNIKOM_TRUSTED_PROXIES=0``, the default) it is the address
of the connection, and an ``X-Forwarded-For`` header is ignored: a client could
write anything there, as a tester did to slip past the API's rate limit. With
``n`` proxies in front, each adding the address it received the request from,
it is the ``n``-th address from the end of that header (the one the outermost
trusted proxy saw); a header with fewer addresses gives its first. The API's
rate limits and the sign-in lockout (django-axes) both key on it.
"""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    """The address the request came from, as far as trusted proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.UNIKOM_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]
