"""Signing in with OpenID Connect: the authorization-code flow with PKCE.

Authlib does the protocol: state (kept in the session, used once), PKCE, nonce,
and the ID token's signature (the provider's JWKS), issuer, audience and
expiry. This module decides what a verified sign-in means for unikom: which
claims are kept (an allow-list; never a national identity number), which
account signs in, and what the user and the log are told when it fails.

Why Authlib and not django-allauth or mozilla-django-oidc: allauth's
openid_connect provider (65.x) sends no nonce and skips the ID token's signature
when the token came from the token endpoint, keeps the raw claims
(SocialAccount.extra_data) and brings its own account pages; mozilla-django-oidc
checks the signature and nonce but not issuer, audience or expiry. Authlib checks
all of them and leaves the login page, the accounts and what is stored to us.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from joserfc import errors as jose_errors

from .config import OIDCProvider
from .models import LoginIdentity

log = logging.getLogger("sso")

#: What a refused sign-in tells the user, by the reason the log gives.
REFUSALS = {
    "state": _(
        "The sign-in could not be completed: it was started in another browser or tab, "
        "took too long, or was already used. Please sign in again."
    ),
    "signature": _(
        "The sign-in was refused: the answer from %(provider)s did not carry its valid signature."
    ),
    "audience": _(
        "The sign-in was refused: the answer from %(provider)s was meant for another service."
    ),
    "issuer": _("The sign-in was refused: the answer did not come from %(provider)s."),
    "expired": _(
        "The sign-in was refused: the answer from %(provider)s had expired. Please sign in again."
    ),
    "nonce": _("The sign-in was refused: the answer from %(provider)s was not for this sign-in."),
    "invalid": _("The sign-in was refused: the answer from %(provider)s could not be verified."),
    "cancelled": _("The sign-in at %(provider)s was cancelled."),
    "provider": _("%(provider)s could not sign you in. Please try again later."),
    "unreachable": _("%(provider)s could not be reached. Please try again later."),
    "inactive": _("The account of this login is closed. Ask an administrator if it should not be."),
    "national_id": _(
        "The sign-in was refused: %(provider)s identifies people by their national identity "
        "number, which unikom does not store. The administrator must change its settings."
    ),
}

#: An 11-digit identifier is a Norwegian national identity number (fødselsnummer or
#: D-number); a provider must give a pseudonymous ``sub`` instead.
NATIONAL_ID = re.compile(r"^\d{11}$")


class SignInRefused(Exception):
    """A sign-in that must not succeed; ``reason`` is a key of REFUSALS."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class SignIn:
    identity: LoginIdentity
    created: bool

    @property
    def awaiting_approval(self) -> bool:
        return self.identity.approved is None


_clients: dict[OIDCProvider, object] = {}


def client(provider: OIDCProvider):
    """The Authlib client of one provider (kept: it caches discovery and keys)."""
    if provider not in _clients:
        oauth = OAuth()
        _clients[provider] = oauth.register(
            name=provider.id,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                "default_timeout": settings.UNIKOM_FETCH_TIMEOUT,
            },
        )
    return _clients[provider]


def start(request: HttpRequest, provider: OIDCProvider, redirect_uri: str) -> HttpResponse:
    """Send the browser to the provider; state, nonce and PKCE verifier stay in the session."""
    try:
        return client(provider).authorize_redirect(request, redirect_uri)
    except requests.RequestException as error:
        log.warning("sso sign-in refused: provider=%s reason=unreachable", provider.id)
        raise SignInRefused("unreachable") from error


def _verified_claims(request: HttpRequest, provider: OIDCProvider) -> dict:
    """The ID token's claims, after every check; SignInRefused otherwise."""
    oidc = client(provider)
    try:
        metadata = oidc.load_server_metadata()
    except requests.RequestException as error:
        raise SignInRefused("unreachable") from error
    # The discovery document must be the configured issuer's (OpenID Connect
    # Discovery 1.0, section 4.3) before the code and the client secret go anywhere.
    if str(metadata.get("issuer", "")).rstrip("/") != provider.issuer.rstrip("/"):
        raise SignInRefused("issuer")
    try:
        token = oidc.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": metadata["issuer"]},
                "aud": {"essential": True, "value": provider.client_id},
            },
        )
    except MismatchingStateError as error:
        raise SignInRefused("state") from error
    except OAuthError as error:
        reason = "cancelled" if error.error == "access_denied" else "provider"
        raise SignInRefused(reason) from error
    except (jose_errors.BadSignatureError, jose_errors.InvalidKeyIdError) as error:
        raise SignInRefused("signature") from error
    except jose_errors.ExpiredTokenError as error:
        raise SignInRefused("expired") from error
    except (jose_errors.InvalidClaimError, jose_errors.MissingClaimError) as error:
        claim = getattr(error, "claim", "")
        reason = {"aud": "audience", "iss": "issuer", "nonce": "nonce"}.get(claim, "invalid")
        raise SignInRefused(reason) from error
    except jose_errors.JoseError as error:
        raise SignInRefused("invalid") from error
    except requests.RequestException as error:
        raise SignInRefused("unreachable") from error
    claims = token.get("userinfo")
    if not claims:  # no ID token: nothing verified
        raise SignInRefused("invalid")
    claims = dict(claims)
    if not (claims.get("name") or claims.get("family_name")) or not claims.get("email"):
        claims.update(_userinfo(oidc, provider, token, metadata, claims["sub"]))
    return claims


#: What the userinfo endpoint may add to the ID token's claims.
USERINFO_CLAIMS = ("name", "given_name", "family_name", "email")


def _userinfo(oidc, provider: OIDCProvider, token: dict, metadata: dict, subject: str) -> dict:
    """Name and e-mail address from the userinfo endpoint, for providers whose ID token
    lacks them (Feide). Only for the same ``sub`` (OpenID Connect Core 1.0, 5.3.2)."""
    if not metadata.get("userinfo_endpoint"):
        return {}
    try:
        answer = oidc.userinfo(token=token)
    except (OAuthError, requests.RequestException, ValueError):
        log.warning("sso userinfo unavailable: provider=%s", provider.id)
        return {}
    if answer.get("sub") != subject:
        log.warning("sso userinfo for another subject ignored: provider=%s", provider.id)
        return {}
    wanted = (*USERINFO_CLAIMS, provider.org_claim) if provider.org_claim else USERINFO_CLAIMS
    return {key: answer[key] for key in wanted if answer.get(key)}


def kept_claims(provider: OIDCProvider, claims: dict) -> dict[str, str]:
    """The claims unikom keeps, and nothing else: name, e-mail, organisation number."""
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part
    )
    org_number = str(claims.get(provider.org_claim) or "") if provider.org_claim else ""
    org_number = re.sub(r"\D", "", org_number)
    email = str(claims.get("email") or "")
    return {
        "name": str(name or "")[:200],
        "email": email if len(email) <= 254 and "@" in email else "",
        "org_number": org_number if len(org_number) == 9 else "",
    }


@transaction.atomic
def remember(provider: OIDCProvider, claims: dict) -> SignIn:
    """The login identity of these claims, new (with a reader's account) or known."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignInRefused("invalid")
    if NATIONAL_ID.match(subject):
        raise SignInRefused("national_id")
    kept = kept_claims(provider, claims)
    identity = (
        LoginIdentity.objects.select_for_update()
        .filter(provider=provider.id, subject=subject)
        .select_related("user")
        .first()
    )
    created = identity is None
    if not created and not identity.user.is_active:
        raise SignInRefused("inactive")
    if created:
        user = get_user_model()(username=f"{provider.id}-{secrets.token_hex(6)}")
        user.set_unusable_password()
        user.save()
        identity = LoginIdentity(provider=provider.id, subject=subject, user=user)
    for field, value in kept.items():
        setattr(identity, field, value)
    identity.save()
    user = identity.user
    first, _sep, last = kept["name"].rpartition(" ")
    if not first:
        first, last = last, ""
    user.first_name, user.last_name = first[:150], last[:150]
    user.email = kept["email"]
    user.save(update_fields=["first_name", "last_name", "email"])
    return SignIn(identity, created)


def finish(request: HttpRequest, provider: OIDCProvider) -> SignIn:
    """Check the provider's answer and find or create the login identity.

    Logs the outcome with the provider's id and never a token or claim value.
    """
    try:
        result = remember(provider, _verified_claims(request, provider))
    except SignInRefused as refusal:
        log.warning("sso sign-in refused: provider=%s reason=%s", provider.id, refusal.reason)
        raise
    log.info(
        "sso sign-in: provider=%s user=%s identity=%s %s",
        provider.id,
        result.identity.user.get_username(),
        result.identity.pk,
        "new, awaiting approval"
        if result.created
        else ("awaiting approval" if result.awaiting_approval else "approved"),
    )
    return result


def refusal_message(reason: str, provider: OIDCProvider) -> str:
    return str(REFUSALS.get(reason, REFUSALS["invalid"])) % {"provider": provider.name}
