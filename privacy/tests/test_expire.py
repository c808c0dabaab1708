"""Unused accounts expire: deactivated after UNIKOM_ACCOUNT_INACTIVE_DAYS without a
sign-in, erased UNIKOM_ACCOUNT_ERASE_DAYS later; old sign-in records are deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Assignment
from organisations.models import Person
from privacy import services
from privacy.models import Deactivation

from .conftest import EMAIL, NAME

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def now():
    return timezone.now()


def signed_in(user, when) -> None:
    user.last_login = when
    user.save(update_fields=["last_login"])


def test_an_account_unused_for_the_inactive_period_is_deactivated_and_loses_its_roles(
    kari, partnership, now
):
    kari.assignments.create(role="coordinator", partnership=partnership)
    signed_in(kari, now - 729 * DAY)
    assert services.expire(now=now).deactivated == []
    kari.refresh_from_db()
    assert kari.is_active

    report = services.expire(now=now + 2 * DAY)

    kari.refresh_from_db()
    assert report.deactivated == [f"kquux (#{kari.pk})"] and report.erased == []
    assert not kari.is_active and kari.email == EMAIL  # deactivated, not erased
    assert not Assignment.objects.filter(user=kari).exists()
    assert Deactivation.objects.get(user=kari).deactivated_at == now + 2 * DAY
    assert (
        Assignment.history.filter(user_id=kari.pk, history_type="-")
        .values_list("history_change_reason", flat=True)
        .get()
        == "unikom privacy expire"
    )


def test_an_account_that_never_signed_in_counts_from_when_it_was_made(kari, now):
    kari.date_joined = now - 800 * DAY
    kari.save()
    assert services.expire(now=now).deactivated == [f"kquux (#{kari.pk})"]


def test_a_deactivated_account_is_erased_after_the_grace_period_but_its_person_stays(
    kari, kari_person, now
):
    signed_in(kari, now - 731 * DAY)
    services.expire(now=now)
    assert services.expire(now=now + 364 * DAY).erased == []
    kari.refresh_from_db()
    assert kari.username == "kquux"

    report = services.expire(now=now + 366 * DAY)

    kari.refresh_from_db()
    assert report.erased == [kari.pk]
    assert kari.username == f"slettet-{kari.pk}" and kari.email == ""
    # The person record is the registry's, not the account's: it stays as it was.
    assert Person.all_objects.get(pk=kari_person.pk).name == NAME
    assert services.expire(now=now + 400 * DAY).erased == []  # once


def test_superusers_and_recent_users_are_left_alone(kari, ola, django_user_model, now):
    root = django_user_model.objects.create_superuser("root", "root@example.no", "pw-long-1234")
    signed_in(root, now - 3000 * DAY)
    signed_in(kari, now - 10 * DAY)
    signed_in(ola, now - 731 * DAY)
    report = services.expire(now=now)
    assert report.deactivated == [f"ola (#{ola.pk})"]
    root.refresh_from_db()
    kari.refresh_from_db()
    assert root.is_active and kari.is_active


def test_old_sign_in_records_are_deleted(kari, now):
    old = AccessLog.objects.create(username="kquux", user_agent="x", path_info="/")
    recent = AccessLog.objects.create(username="kquux", user_agent="x", path_info="/")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=now - 181 * DAY)
    report = services.expire(now=now)
    assert report.sign_in_records == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_command_has_a_dry_run_that_changes_nothing(kari, capsys, now):
    signed_in(kari, now - 800 * DAY)
    call_command("privacy", "expire", "--dry-run")
    out = capsys.readouterr().out
    kari.refresh_from_db()
    assert kari.is_active and "kquux" in out
    call_command("privacy", "expire")
    kari.refresh_from_db()
    assert not kari.is_active


def test_the_periods_come_from_the_settings(kari, settings, now):
    settings.UNIKOM_ACCOUNT_INACTIVE_DAYS = 30
    signed_in(kari, now - 31 * DAY)
    assert services.expire(now=now, dry_run=True).deactivated == [f"kquux (#{kari.pk})"]
