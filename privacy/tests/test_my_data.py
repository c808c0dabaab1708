"""The personal data page and its JSON download: everything about the user, nothing about others."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.models import Person
from privacy.models import ErasureRequest, RequestState

from .conftest import EMAIL, NAME, ORCID, PERSON_EMAIL, PHONE, USERNAME

pytestmark = pytest.mark.django_db

URLS = [
    ("get", "/accounts/me/data/"),
    ("get", "/accounts/me/data.json"),
    ("post", "/accounts/me/data/account/"),
    ("post", "/accounts/me/data/person/"),
    ("post", "/accounts/me/data/erasure/"),
]


@pytest.mark.parametrize(("method", "url"), URLS)
def test_it_requires_signing_in(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_my_page_links_to_it(client, kari):
    client.force_login(kari)
    assert 'href="/accounts/me/data/"' in client.get("/accounts/me/").content.decode()


def test_it_shows_everything_unikom_holds_about_the_user(client, kari, kari_person):
    client.force_login(kari)
    client.post(
        "/accounts/me/data/person/",
        {"name": NAME, "email": PERSON_EMAIL, "phone": "+47 400 00 000", "version": "1"},
    )
    response = client.get("/accounts/me/data/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    for shown in (USERNAME, EMAIL, NAME, PERSON_EMAIL, ORCID, "Drammen", "Rådgiver"):
        assert shown in page, shown
    assert "Samskaping i hjemmetjenesten" in page  # role in an activity
    assert "Hvordan beholde sykepleiere?" in page  # contact of a need
    assert kari.password not in page  # the hash is never shown
    assert "Du har gjort 1 endring" in page or "You have made 1 change" in page


def test_the_download_is_the_same_data_as_json(client, kari, kari_person):
    client.force_login(kari)
    response = client.get("/accounts/me/data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="unikom-my-data-')
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["account"]["username"] == USERNAME and data["account"]["email"] == EMAIL
    assert (
        "argon2" in data["account"]["password"] and kari.password not in response.content.decode()
    )
    person = data["person"]
    assert (person["name"], person["email"], person["phone"], person["orcid"]) == (
        NAME,
        PERSON_EMAIL,
        PHONE,
        ORCID,
    )
    assert [a["organisation"] for a in person["affiliations"]] == ["Drammen"]
    assert [r["activity"] for r in person["activities"]] == ["Samskaping i hjemmetjenesten"]
    assert [n["need"] for n in person["needs"]] == ["Hvordan beholde sykepleiere?"]
    assert data["changes_made"]["count"] == 0


def test_another_users_data_is_never_reachable(client, kari, kari_person, ola):
    client.force_login(ola)
    page = client.get("/accounts/me/data/").content.decode()
    download = client.get("/accounts/me/data.json").content.decode()
    for secret in (USERNAME, EMAIL, NAME, PERSON_EMAIL, PHONE, ORCID):
        assert secret not in page and secret not in download
    assert json.loads(download)["person"] is None
    # Ola has no person record: a correction changes nobody's, Kari's least of all.
    client.post(
        "/accounts/me/data/person/",
        {"name": "Ola Overtatt", "email": "", "phone": "", "version": "1"},
    )
    kari_person.refresh_from_db()
    assert kari_person.name == NAME and kari_person.version == 1
    assert not Person.all_objects.filter(name="Ola Overtatt").exists()


def test_a_request_for_erasure_is_recorded_and_mailed_to_the_national_admins(
    client, kari, kari_person, django_user_model, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin = django_user_model.objects.create_user("nasjonal", "admin@ks.no")
    admin.assignments.create(role="national_admin")
    django_user_model.objects.create_user("leser", "leser@example.no")
    client.force_login(kari)
    response = client.post(
        "/accounts/me/data/erasure/", {"message": "Jeg har sluttet."}, follow=True
    )
    (made,) = ErasureRequest.objects.filter(user=kari)
    assert made.state == RequestState.OPEN and made.message == "Jeg har sluttet."
    (message,) = mail.outbox
    assert message.to == ["admin@ks.no"]
    assert "/admin/privacy/erasurerequest/" in message.body
    assert NAME not in message.body and USERNAME not in message.body and EMAIL not in message.body
    assert "sletting" in response.content.decode().lower() or "erasure" in response.content.decode()

    client.post("/accounts/me/data/erasure/", {"message": "Igjen"})
    assert ErasureRequest.objects.filter(user=kari).count() == 1 and len(mail.outbox) == 1


def test_national_admins_see_requests_in_the_admin_and_others_do_not(
    client, kari, django_user_model
):
    ErasureRequest.objects.create(user=kari)
    admin = django_user_model.objects.create_user("nasjonal", is_staff=True)
    admin.assignments.create(role="national_admin")
    staff = django_user_model.objects.create_user("ansatt", is_staff=True)
    client.force_login(admin)
    page = client.get("/admin/privacy/erasurerequest/")
    assert page.status_code == 200 and USERNAME in page.content.decode()
    client.force_login(staff)
    assert client.get("/admin/privacy/erasurerequest/").status_code == 403


def test_the_privacy_statement_is_public_and_linked_from_every_page(client):
    front = client.get("/").content.decode()
    assert 'href="/privacy/"' in front
    page = client.get("/privacy/")
    assert page.status_code == 200 and "730" in page.content.decode()


def test_what_the_other_apps_keep_is_shown_and_downloaded_too(client, kari, partnership):
    """core.personal: the second factor, the sign-in provider's login and the access
    apps answer for themselves; an authenticator's key is never shown."""
    from django.utils.translation import gettext

    from access.models import AccessRequest, VerifiedEmail
    from sso.models import LoginIdentity

    client.force_login(kari)  # before the app is enrolled: no code asked for this session
    device = TOTPDevice.objects.create(user=kari, name="unikom", confirmed=True)
    LoginIdentity.objects.create(provider="feide", subject="kari-at-feide", user=kari, name=NAME)
    VerifiedEmail.objects.create(user=kari, email=EMAIL)
    AccessRequest.objects.create(
        user=kari, role="coordinator", partnership=partnership, reason="Jeg leder arbeidet."
    )
    from needs.models import Need, NeedResponse

    need = Need.objects.create(
        title="Trenger hjelp",
        description="Et behov.",
        organisation=partnership.memberships.first().organisation,
        suited_for=["thesis"],
    )
    NeedResponse.objects.create(need=need, user=kari, message="Jeg kan veilede.")
    page = client.get("/accounts/me/data/").content.decode()
    assert "Trenger hjelp" in page
    for title in ("Two-step sign-in", "Single sign-on", "E-mail and access", "Offers of help"):
        assert f">{gettext(title)}</h2>" in page, title
    download = json.loads(client.get("/accounts/me/data.json").content)
    assert download["single_sign_on"][0]["subject"] == "kari-at-feide"
    assert download["two_step_sign_in"][0]["confirmed"] is True
    assert download["access"][1]["reason"] == "Jeg leder arbeidet."
    assert download["offers_of_help"][0]["message"] == "Jeg kan veilede."
    assert device.key not in json.dumps(download) and device.key not in page


def test_a_superuser_is_not_told_they_are_a_reader(client, django_user_model):
    from django.utils.translation import gettext

    admin = django_user_model.objects.create_superuser("rot", "rot@example.no", "x")
    client.force_login(admin)
    page = client.get("/accounts/me/data/").content.decode()
    assert gettext("No editing role: a reader.") not in page
    assert gettext("Superuser: every right, in the site and the admin") in page
