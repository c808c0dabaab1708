from __future__ import annotations

import pytest

from sso.config import OIDCProvider

from .oidc import running_provider

#: ID-porten's "pid": a national identity number (made up) that must never be kept.
PID = "05073512868"
USN_ORG_NUMBER = "911770709"

ACCOUNTS = {
    # A Feide-like login: name and e-mail address, no organisation number.
    "kari": {
        "name": "Kari Nordmann",
        "given_name": "Kari",
        "family_name": "Nordmann",
        "email": "kari.nordmann@drammen.kommune.no",
        "email_verified": True,
    },
    # An ID-porten/Ansattporten-like login: a national identity number and the
    # organisation number of the organisation the person acts for.
    "ola": {"name": "Ola Nordmann", "pid": PID, "orgno": USN_ORG_NUMBER},
    # A provider that uses the national identity number as the subject.
    "05073512868": {"name": "Per Nordmann", "pid": PID},
}

SECRETS = {"feide": "feide-client-secret-for-tests", "idporten": "idporten-client-secret-for-tests"}


def clients_for(base: str) -> list[dict]:
    return [
        {
            "client_id": f"unikom-{provider_id}",
            "client_secret": secret,
            "redirect_uris": [f"{base}/accounts/sso/{provider_id}/callback/"],
        }
        for provider_id, secret in SECRETS.items()
    ]


def providers_at(issuer: str) -> dict[str, OIDCProvider]:
    return {
        "feide": OIDCProvider(
            id="feide",
            name="Feide",
            issuer=issuer,
            client_id="unikom-feide",
            client_secret=SECRETS["feide"],
        ),
        "idporten": OIDCProvider(
            id="idporten",
            name="ID-porten",
            issuer=issuer,
            client_id="unikom-idporten",
            client_secret=SECRETS["idporten"],
            scopes="openid profile organisation",
            org_claim="orgno",
        ),
    }


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider for the Django test client (http://testserver)."""
    with running_provider(clients_for("http://testserver"), ACCOUNTS) as provider:
        yield provider


@pytest.fixture
def sso(settings, oidc_provider):
    """unikom configured with two providers (Feide and ID-porten) at the test provider."""
    settings.SSO_PROVIDERS = providers_at(oidc_provider.issuer)
    return oidc_provider
