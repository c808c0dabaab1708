"""The OpenID Connect providers, read from environment variables.

``UNIKOM_OIDC_PROVIDERS=feide,idporten,entra`` names them, in the order the
sign-in page shows their buttons; each then has ``UNIKOM_OIDC_<ID>_ISSUER``,
``_CLIENT_ID``, ``_CLIENT_SECRET`` (or ``_CLIENT_SECRET_FILE``) and optionally
``_NAME``, ``_SCOPES`` and ``_ORG_CLAIM``. The table in docs/operations.md
explains them. This module imports nothing from Django's models: settings.py
calls it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

DEFAULT_SCOPES = "openid profile email"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9]{0,29}$")


@dataclass(frozen=True)
class OIDCProvider:
    """One OpenID Connect provider unikom accepts sign-ins from."""

    id: str  # in URLs and logs: /accounts/sso/<id>/callback/
    name: str  # on the sign-in button
    issuer: str  # its discovery document is ISSUER/.well-known/openid-configuration
    client_id: str
    client_secret: str
    scopes: str = DEFAULT_SCOPES
    org_claim: str = ""  # the claim holding the organisation number, if the provider has one

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def providers_from_env(env: Callable[..., str | None], ids: list[str]) -> dict[str, OIDCProvider]:
    """The providers named in ``ids``, each read from its ``UNIKOM_OIDC_<ID>_*`` variables.

    ``env`` reads one variable (settings.env, which also reads ``NAME_FILE``).
    A missing required variable stops start-up with its name.
    """
    providers: dict[str, OIDCProvider] = {}
    for raw in ids:
        provider_id = raw.strip().lower()
        if not ID_PATTERN.match(provider_id):
            raise ImproperlyConfigured(
                f"UNIKOM_OIDC_PROVIDERS: {raw!r} is not a provider id (lowercase letters "
                "and digits, starting with a letter)"
            )
        prefix = f"UNIKOM_OIDC_{provider_id.upper()}_"

        def read(
            name: str, default: str | None = None, prefix: str = prefix, given: str = provider_id
        ) -> str:
            value = (env(prefix + name) or "").strip() or default
            if value is None:
                raise ImproperlyConfigured(
                    f"{prefix}{name} must be set: UNIKOM_OIDC_PROVIDERS names {given!r}"
                )
            return value

        scopes = read("SCOPES", DEFAULT_SCOPES).split()
        if "openid" not in scopes:
            scopes.insert(0, "openid")
        providers[provider_id] = OIDCProvider(
            id=provider_id,
            name=read("NAME", provider_id),
            issuer=read("ISSUER"),
            client_id=read("CLIENT_ID"),
            client_secret=read("CLIENT_SECRET"),
            scopes=" ".join(scopes),
            org_claim=read("ORG_CLAIM", ""),
        )
    return providers
