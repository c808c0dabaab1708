"""Erasure pseudonymises a person and their account everywhere, history included,
and leaves the history's rows, dates and other fields as they were."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalChanges

from access.models import AccessRequest, Invitation, VerifiedEmail
from accounts.models import Assignment
from api.models import ApiToken
from needs.models import Need, NeedResponse
from organisations.models import Person
from partnerships.models import Partnership
from privacy import services
from privacy.models import Erasure, ErasureRequest, Reason, RequestState
from sso.models import LoginIdentity

from .conftest import EMAIL, LAST, NAME, ORCID, PASSWORD, PERSON_EMAIL, PHONE, USERNAME

pytestmark = pytest.mark.django_db(transaction=False)

SECRETS = (NAME, LAST, EMAIL, PERSON_EMAIL, PHONE, ORCID, USERNAME)


def occurrences(text: str) -> list[str]:
    """Every table.column of the database whose text holds ``text`` (any case).

    Raw SQL, because it must also read tables no model describes (the search
    backends' full-text tables)."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 - names from the schema
                    f"WHERE LOWER(CAST({quote(column.name)} AS TEXT)) LIKE %s",
                    [f"%{text.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def history_snapshot() -> dict[str, list[tuple]]:
    """Every history row: its id, date, type, editor and record id."""
    snapshot = {}
    for model in apps.get_models():
        # The erasure log's own history grows by one row per erasure.
        if (
            issubclass(model, HistoricalChanges)
            and model._meta.label != "privacy.HistoricalErasure"
        ):
            snapshot[model._meta.label] = list(
                model.objects.order_by("history_id").values_list(
                    "history_id", "history_date", "history_type", "history_user_id"
                )
            )
    return snapshot


@pytest.fixture
def lived_in(client, kari, kari_person, drammen, django_user_model):
    """Kari signs in (once wrongly), corrects her record twice, has an API token, an
    admin has changed her person record in the admin, and she asked for erasure."""
    assert client.post("/accounts/login/", {"username": USERNAME, "password": "wrong"})
    assert client.post("/accounts/login/", {"username": USERNAME, "password": PASSWORD})
    client.post("/accounts/login/", {"username": USERNAME, "password": "wrong again"})
    assert AccessAttempt.objects.filter(username=USERNAME).exists()
    client.force_login(kari)
    for phone in ("+47 111 11 111", PHONE):
        version = Person.all_objects.get(pk=kari_person.pk).version
        response = client.post(
            "/accounts/me/data/person/",
            {"name": NAME, "email": PERSON_EMAIL, "phone": phone, "version": version},
        )
        assert response.status_code == 302
    ApiToken.objects.create(owner=kari, name=f"Token for {NAME}", prefix="abc", key_hash="x" * 64)
    admin = django_user_model.objects.create_user("nasjonal", is_staff=True)
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(kari_person.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message="[]",
    )
    ErasureRequest.objects.create(user=kari, message=f"Slett {NAME}, {EMAIL}")
    # What the other apps keep about her (core.personal): an authenticator app, a
    # sign-in provider's login, a verified address, a request and an invitation.
    TOTPDevice.objects.create(user=kari, name="unikom", confirmed=True)
    LoginIdentity.objects.create(
        provider="feide", subject="kari-at-feide", user=kari, name=NAME, email=EMAIL
    )
    VerifiedEmail.objects.create(user=kari, email=EMAIL)
    partnership = Partnership.objects.get(slug="usn-drammen")
    AccessRequest.objects.create(
        user=kari, role="coordinator", partnership=partnership, reason=f"Jeg er {NAME}"
    )
    Invitation.objects.create(
        email=EMAIL,
        token_digest="d" * 64,
        role="coordinator",
        partnership=partnership,
        invited_by=admin,
        expires_at=timezone.now() + timedelta(days=1),
    )
    # She offered help on a need (needs.NeedResponse), naming herself.
    NeedResponse.objects.create(
        need=Need.objects.get(contact=kari_person), user=kari, message=f"Jeg er {NAME}, {EMAIL}"
    )
    kari_person.refresh_from_db()
    return kari_person


def test_before_erasure_the_real_data_is_there(lived_in):
    # The scan finds what it looks for: otherwise the erasure test proves nothing.
    assert "organisations_person.name" in occurrences(NAME)
    assert "organisations_historicalperson.phone" in occurrences(PHONE)
    assert any(place.startswith("axes_") for place in occurrences(USERNAME))
    for table in ("sso_loginidentity", "access_verifiedemail", "access_invitation"):
        assert any(place.startswith(table) for place in occurrences(EMAIL)), table
    assert "access_accessrequest.reason" in occurrences(NAME)
    assert "needs_needresponse.message" in occurrences(NAME)


def test_erasure_leaves_the_real_name_and_email_nowhere_in_the_database(lived_in, kari):
    before = history_snapshot()
    person_rows = lived_in.history.count()
    assert person_rows >= 3

    erasure = services.erase(services.plan_for(USERNAME), reason=Reason.REQUEST)

    for secret in SECRETS:
        assert occurrences(secret) == [], secret
    assert history_snapshot() == before  # same rows, dates, types and editors
    person = Person.all_objects.get(pk=lived_in.pk)
    pseudonym = f"Slettet person {person.pk}"
    assert (person.name, person.email, person.phone, person.orcid) == (pseudonym, "", "", None)
    assert person.public_id == lived_in.public_id and person.user_id == kari.pk
    assert set(person.history.values_list("name", flat=True)) == {pseudonym}
    assert person.affiliations.count() == 1 and person.activity_roles.count() == 1
    assert erasure.history_rows == person_rows and erasure.pseudonym == pseudonym

    kari.refresh_from_db()
    assert kari.username == f"slettet-{kari.pk}" and kari.email == ""
    assert kari.get_full_name() == f"Slettet bruker {kari.pk}"
    assert not kari.is_active and not kari.has_usable_password()
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert not model.objects.exists()
    assert not ApiToken.objects.filter(owner=kari).exists()
    (request,) = ErasureRequest.objects.filter(user=kari)
    assert request.state == RequestState.ERASED and request.message == ""
    assert not TOTPDevice.objects.filter(user=kari).exists()
    assert not LoginIdentity.objects.filter(user=kari).exists()
    assert AccessRequest.objects.get(user=kari).status == "pending"  # the decision stays
    (offer,) = NeedResponse.objects.filter(user=kari)  # still counted on the need
    assert offer.message == ""


def test_the_history_pages_name_the_pseudonyms(client, lived_in, kari, reader):
    services.erase(services.plan_for(str(lived_in.public_id)), reason=Reason.ADMIN)
    client.force_login(reader)
    page = client.get(f"/people/{lived_in.public_id}/history/").content.decode()
    assert f"Slettet bruker {kari.pk}" in page  # Kari made the corrections
    assert f"Slettet person {lived_in.pk}" in page
    assert NAME not in page and PHONE not in page and "Kari" not in page


def test_the_erased_account_cannot_sign_in(client, lived_in):
    services.erase(services.plan_for(USERNAME), reason=Reason.REQUEST)
    # The session Kari had is no longer signed in; the old username and password fail.
    assert client.get("/accounts/me/").status_code == 302
    client.logout()
    response = client.post("/accounts/login/", {"username": USERNAME, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_erasure_takes_the_accounts_roles(kari, kari_person, partnership):
    kari.assignments.create(role="coordinator", partnership=partnership)
    services.erase(services.plan_for(USERNAME), reason=Reason.REQUEST)
    assert not Assignment.objects.filter(user=kari).exists()
    reasons = Assignment.history.filter(user_id=kari.pk).values_list(
        "history_type", "history_change_reason"
    )
    assert ("-", "unikom privacy erase") in list(reasons)


def test_erasing_again_changes_nothing_more(lived_in, kari):
    services.erase(services.plan_for(USERNAME), reason=Reason.REQUEST)
    person = Person.all_objects.get(pk=lived_in.pk)
    kari.refresh_from_db()
    state = (person.name, person.version, kari.username, kari.get_full_name())
    snapshot = history_snapshot()

    call_command("privacy", "erase", kari.username)

    person.refresh_from_db()
    kari.refresh_from_db()
    assert (person.name, person.version - 1, kari.username, kari.get_full_name()) == state
    assert history_snapshot() == snapshot
    assert Erasure.objects.filter(person=person).count() == 2


def test_the_command_erases_a_person_without_an_account_by_public_id(drammen, capsys):
    person = Person.objects.create(name="Per Uten Konto", email="per@example.no")
    person.phone = "+47 222 22 222"
    person.save()
    call_command("privacy", "erase", str(person.public_id), "--dry-run")
    assert Person.objects.get(pk=person.pk).name == "Per Uten Konto"
    call_command("privacy", "erase", str(person.public_id))
    assert "Slettet person" in capsys.readouterr().out
    assert occurrences("Per Uten Konto") == [] and occurrences("per@example.no") == []
    assert person.history.count() == 2


def test_the_command_says_when_nobody_has_the_key():
    with pytest.raises(CommandError):
        call_command("privacy", "erase", "ingen-slik")


def test_an_edit_form_opened_before_the_erasure_cannot_bring_the_name_back(
    client, kari, kari_person, reader
):
    client.force_login(kari)
    services.erase(services.plan_for(str(kari_person.public_id)), reason=Reason.ADMIN)
    # Kari's session no longer counts; an editor's old form carries the old version.
    assert client.get("/accounts/me/data/").status_code == 302
    with pytest.raises(services.Conflict):
        services.correct_person(
            kari, Person.all_objects.get(pk=kari_person.pk), {"name": NAME}, version=1
        )


def test_an_administrator_erases_from_the_request_list(client, lived_in, kari, django_user_model):
    admin = django_user_model.objects.get(username="nasjonal")
    admin.assignments.create(role="national_admin")
    client.force_login(admin)
    request = ErasureRequest.objects.get(user=kari)
    response = client.post(
        "/admin/privacy/erasurerequest/",
        {"action": "erase_selected", "_selected_action": [request.pk]},
    )
    assert response.status_code == 302
    assert occurrences(NAME) == [] and occurrences(EMAIL) == []
    assert Erasure.objects.get(user=kari).by == admin


def test_pages_and_downloads_kept_before_the_erasure_no_longer_show_the_name(
    client, kari, kari_person, settings, django_capture_on_commit_callbacks
):
    settings.UNIKOM_KEEP_DOWNLOADS = True
    assert NAME in client.get("/export/people.csv").getvalue().decode()
    assert NAME in client.get("/people/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.erase(services.plan_for(USERNAME), reason=Reason.REQUEST)
    assert NAME not in client.get("/export/people.csv").getvalue().decode()
    assert NAME not in client.get("/people/").content.decode()
