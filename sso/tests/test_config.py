"""Providers come from UNIKOM_OIDC_* environment variables."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from sso.config import providers_from_env

FEIDE = {
    "UNIKOM_OIDC_FEIDE_ISSUER": "https://auth.dataporten.no",
    "UNIKOM_OIDC_FEIDE_CLIENT_ID": "abc",
    "UNIKOM_OIDC_FEIDE_CLIENT_SECRET": "s3cret",
}
IDPORTEN = {
    "UNIKOM_OIDC_IDPORTEN_ISSUER": "https://idporten.no",
    "UNIKOM_OIDC_IDPORTEN_CLIENT_ID": "def",
    "UNIKOM_OIDC_IDPORTEN_CLIENT_SECRET": "s3cret2",
    "UNIKOM_OIDC_IDPORTEN_NAME": "ID-porten",
    "UNIKOM_OIDC_IDPORTEN_SCOPES": "profile",
    "UNIKOM_OIDC_IDPORTEN_ORG_CLAIM": "orgno",
}


def read(variables: dict):
    return lambda name, default=None: variables.get(name, default)


def test_providers_are_read_in_the_order_given():
    providers = providers_from_env(read({**FEIDE, **IDPORTEN}), ["idporten", "Feide"])
    assert list(providers) == ["idporten", "feide"]
    idporten, feide = providers["idporten"], providers["feide"]
    assert (feide.name, feide.scopes, feide.org_claim) == ("feide", "openid profile email", "")
    assert feide.metadata_url == "https://auth.dataporten.no/.well-known/openid-configuration"
    assert (idporten.name, idporten.scopes, idporten.org_claim) == (
        "ID-porten",
        "openid profile",
        "orgno",
    )


def test_no_providers_is_fine():
    assert providers_from_env(read({}), []) == {}


def test_a_missing_variable_is_named():
    with pytest.raises(ImproperlyConfigured, match="UNIKOM_OIDC_FEIDE_CLIENT_SECRET must be set"):
        providers_from_env(read({**FEIDE, "UNIKOM_OIDC_FEIDE_CLIENT_SECRET": ""}), ["feide"])


def test_a_bad_id_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not a provider id"):
        providers_from_env(read({}), ["entra-id"])
