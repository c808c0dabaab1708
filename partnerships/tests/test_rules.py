"""Rules kept by the database, and the history every admin change leaves."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from organisations.models import Organisation
from partnerships.models import Membership, Partnership

pytestmark = pytest.mark.django_db


def test_a_municipality_number_is_four_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(
            slug="x", name="X", kind="municipality", municipality_number="123"
        )


def test_a_municipality_number_is_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(
            slug="x", name="X", kind="municipality", municipality_number="4601"
        )


def test_only_municipalities_have_a_municipality_number():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(
            slug="x", name="X", kind="university", municipality_number="1234"
        )


def test_a_partnership_has_at_most_one_current_lead():
    p = Partnership.objects.get(slug="kunnskapskommunen-helseomsorg-vest")
    askoy = Organisation.objects.get(municipality_number="4627")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(partnership=p, organisation=askoy).update(role="lead")


def test_a_former_lead_may_be_followed_by_a_new_one():
    import datetime

    p = Partnership.objects.get(slug="kunnskapskommunen-helseomsorg-vest")
    Membership.objects.filter(partnership=p, role="lead").update(valid_to=datetime.date(2024, 1, 1))
    Membership.objects.filter(partnership=p, organisation__municipality_number="4627").update(
        role="lead"
    )
    assert Membership.objects.current().filter(partnership=p, role="lead").count() == 1


def test_roles_come_from_fixed_choices():
    from django.core.exceptions import ValidationError

    m = Membership.objects.first()
    m.role = "emperor"
    with pytest.raises(ValidationError):
        m.full_clean()


def test_an_admin_edit_is_kept_in_history_with_who_and_what(client):
    user = get_user_model().objects.create_superuser(
        "editor", "editor@example.org", "a-long-pass-phrase"
    )
    client.force_login(user)
    p = Partnership.objects.get(slug="usn-skien")
    before = p.history.count()
    response = client.get(f"/admin/partnerships/partnership/{p.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if name == "themes":
            data[name] = [t.pk for t in value]
        elif isinstance(value, list | dict):
            import json

            data[name] = json.dumps(value)
        else:
            data[name] = value
    data["purpose"] = "Et nytt formål."
    for inline in response.context["inline_admin_formsets"]:
        fs = inline.formset
        data.update(
            fs.management_form.initial
            and {
                f"{fs.prefix}-TOTAL_FORMS": fs.total_form_count(),
                f"{fs.prefix}-INITIAL_FORMS": fs.initial_form_count(),
            }
        )
        for i, f in enumerate(fs.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if value is None:
                    continue
                data[f"{fs.prefix}-{i}-{name}"] = value.pk if hasattr(value, "pk") else value
    response = client.post(f"/admin/partnerships/partnership/{p.pk}/change/", data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    p.refresh_from_db()
    assert p.purpose == "Et nytt formål."
    assert p.history.count() == before + 1
    latest = p.history.first()
    assert latest.history_user == user
    changes = latest.diff_against(latest.prev_record).changed_fields
    assert changes == ["purpose"]
    history_page = client.get(f"/admin/partnerships/partnership/{p.pk}/history/")
    assert "editor" in history_page.content.decode()
