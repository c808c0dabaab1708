"""`unikom setup` (what `make run` does before serving) is safe to run again."""

from __future__ import annotations

import io
import socket

import pytest
from django.core.management import call_command
from django.test import override_settings

from organisations.models import Organisation
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def run_setup() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("setup", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_second_run_keeps_what_people_edited():
    Partnership.objects.filter(slug="usn-skien").update(purpose="Redigert av en koordinator.")
    out, _err = run_setup()
    assert "allerede lastet inn" in out
    assert Partnership.objects.get(slug="usn-skien").purpose == "Redigert av en koordinator."


def test_it_loads_reference_data_from_the_configured_folder(refdata_dir):
    Organisation.objects.filter(municipality_number="4601").update(population=1)
    with override_settings(UNIKOM_REFDATA_DIR=str(refdata_dir)):
        run_setup()
    assert Organisation.objects.get(municipality_number="4601").population == 291940


def test_offline_it_goes_on_without_reference_data_and_says_so():
    Organisation.objects.filter(record_source="refdata").update(record_source="manual")
    url = f"http://127.0.0.1:{closed_port()}/klass"
    with override_settings(UNIKOM_REFDATA_DIR="", UNIKOM_KLASS_URL=url):
        out, err = run_setup()
    assert "Referansedata er ikke lastet inn" in err
    assert "UNIKOM_REFDATA_DIR" in err
    assert Partnership.objects.count() == 15


def test_an_empty_database_gets_the_bundled_dataset():
    from partnerships.models import Membership

    Membership.objects.all().delete()
    Partnership.objects.all().delete()
    out, _err = run_setup()
    assert Partnership.objects.count() == 15
    assert "partnerships: 15 opprettet" in out
