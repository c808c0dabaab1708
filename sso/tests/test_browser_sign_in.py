"""Signing in with a provider in a real browser (Debian's chromium): unikom served
as `make run` serves it, node-oidc-provider on loopback, every redirect, cookie
and content security policy as a person meets them."""

from __future__ import annotations

import pytest

from tests.support.browser import launched_chromium
from tests.support.testing import running_site

from .conftest import ACCOUNTS, SECRETS, clients_for
from .oidc import free_port, running_provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_and_provider(tmp_path_factory, site_refdata):
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    variables = {
        "UNIKOM_OIDC_PROVIDERS": "feide,idporten",
        "UNIKOM_OIDC_FEIDE_NAME": "Feide",
        "UNIKOM_OIDC_IDPORTEN_NAME": "ID-porten",
        "UNIKOM_OIDC_IDPORTEN_SCOPES": "openid profile organisation",
        "UNIKOM_OIDC_IDPORTEN_ORG_CLAIM": "orgno",
    }
    for provider_id, secret in SECRETS.items():
        prefix = f"UNIKOM_OIDC_{provider_id.upper()}_"
        variables[prefix + "ISSUER"] = issuer
        variables[prefix + "CLIENT_ID"] = f"unikom-{provider_id}"
        variables[prefix + "CLIENT_SECRET"] = secret
    with pytest.MonkeyPatch.context() as patch:
        for name, value in variables.items():
            patch.setenv(name, value)
        with (
            running_site(tmp_path_factory.mktemp("site"), site_refdata) as site,
            running_provider(clients_for(site), ACCOUNTS, port=port) as provider,
        ):
            yield site, provider


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


def test_a_person_signs_in_with_a_provider_and_awaits_approval(site_and_provider, browser):
    site, provider = site_and_provider
    context = browser.new_context()
    page = context.new_page()
    # The provider's development pages load a web font; nothing leaves loopback.
    page.route("https://fonts.googleapis.com/**", lambda route: route.fulfill(body=""))
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and page.url.startswith(site) else None
        ),
    )

    page.goto(site + "/people/")
    page.get_by_role("link", name="Logg inn").click()
    page.locator('a[href^="/accounts/sso/feide/login/"]').click()

    page.wait_for_url(provider.issuer + "/**")
    page.fill('input[name="login"]', "kari")
    page.fill('input[name="password"]', "any-password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(site + "/people/")
    assert page.locator(".messages .info").count() == 1
    assert "Feide" in page.locator(".messages .info").inner_text()
    page.goto(site + "/accounts/me/")
    assert page.url == site + "/accounts/me/"  # signed in: no detour to the sign-in page
    context.close()
    assert errors == [], errors
